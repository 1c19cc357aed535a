#!/usr/bin/env bash
# manage.py with the production settings of the env file (ENV_FILE, default /etc/coursesite/coursesite.env):
#   sudo -u coursesite deploy/manage.sh check --deploy --fail-level WARNING
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
. "${ENV_FILE:-/etc/coursesite/coursesite.env}"
set +a
exec .venv/bin/python manage.py "$@"
