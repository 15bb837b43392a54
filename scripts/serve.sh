#!/usr/bin/env bash
# Sets up (runtime dependencies only) and serves the API with the seed data at http://127.0.0.1:8000.
# The seed step only creates missing seed records: it never changes a record a curator edited or deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh runtime
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py seed
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
