#!/usr/bin/env bash
# Run the whole test suite. With DATABASE_URL / CELERY_BROKER_URL set it runs on PostgreSQL /
# Redis; without, on SQLite and the file-system broker. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
