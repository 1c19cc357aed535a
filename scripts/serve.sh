#!/usr/bin/env bash
# Set everything up and serve the course site with a Celery grading worker, on the embedded
# default (SQLite in var/, a file-system broker: no database or Redis server needed).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
PORT="${PORT:-8000}"
# Links in emails point where this server listens, unless SITE_URL says otherwise (a proxy in front).
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
.venv/bin/python manage.py migrate --noinput -v0
# The demo course goes only into a database that does not have it: serving again keeps every edit,
# score and password (`manage.py loaddemo --reset` reloads it, listing what would change first).
.venv/bin/python manage.py loaddemo --noinput
if ! command -v bwrap >/dev/null && [ -z "${GRADER_ALLOW_UNSANDBOXED:-}" ]; then
  echo "Note: bubblewrap is not installed, so coding submissions will be marked as not gradable."
  echo "      Install it (sudo apt-get install bubblewrap), or for local development only, run with"
  echo "      GRADER_ALLOW_UNSANDBOXED=1 to grade without any isolation."
fi
# One grading worker. It also runs the sweep that re-sends grading jobs left behind, by itself, every
# AUTOGRADER_SWEEP_SECONDS (no beat: coursesite/autograding/liveness.py).
.venv/bin/celery -A coursesite worker --loglevel=INFO --concurrency=1 \
  > var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "Grading worker started (log: var/worker.log). Stop everything with Ctrl-C."
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
