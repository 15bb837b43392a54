#!/usr/bin/env bash
# Sets everything up and serves the API with the seed data at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py seed
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
