#!/usr/bin/env bash
# Serve the course site in production: apply migrations, collect the static files, then run gunicorn in
# the foreground (deploy/systemd/coursesite-web.service runs this; README "Running a course in production").
# Settings come from the environment (deploy/coursesite.env.example); ENV_FILE=path reads them from a file.
# The grading workers run apart (deploy/systemd/), also on other machines.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${ENV_FILE:-}" ]; then
  set -a
  . "$ENV_FILE"
  set +a
fi
if [ "${DEBUG:-1}" != "0" ]; then
  echo "serve-production.sh serves with DEBUG=0 only (set it in the env file); scripts/serve.sh is for development." >&2
  exit 1
fi
if [ ! -x .venv/bin/gunicorn ]; then
  echo "No .venv/bin/gunicorn: install the packages first (python3 -m venv .venv && .venv/bin/pip install -r requirements.txt)." >&2
  exit 1
fi
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v0
# Lists what production still lacks (https SITE_URL, a long SECRET_KEY, ...) in the log; serves anyway.
.venv/bin/python manage.py check --deploy
exec .venv/bin/gunicorn --config deploy/gunicorn.conf.py coursesite.wsgi
