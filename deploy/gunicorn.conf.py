"""gunicorn's settings for the course site: `gunicorn -c deploy/gunicorn.conf.py coursesite.wsgi`
(scripts/serve-production.sh). Every value can be changed from the environment."""
import multiprocessing
import os

# Only the TLS proxy on this machine talks to gunicorn (deploy/nginx.conf).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn's own rule, (2 x cores) + 1 synchronous workers: while one waits on the database another runs.
# Sync workers are right behind nginx, which buffers slow clients' uploads and downloads.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
# PDF reports (the grade sheet of a large course) take seconds; nothing a page does takes a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# A worker is replaced after this many requests (staggered), so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The headers gunicorn takes the scheme from, only from the proxy's address (gunicorn's default,
# 127.0.0.1); Django itself reads X-Forwarded-Proto when BEHIND_TLS_PROXY=1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket (`gunicornc`) is not used here; off, it needs no writable home folder.
control_socket_disable = True
