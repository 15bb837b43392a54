#!/usr/bin/env bash
# Serves the API in production: migrates, collects the static files (served by the app, whitenoise) and starts
# gunicorn with config/gunicorn.conf.py. Settings come from the environment (see the README), for example:
#   DEBUG=false SECRET_KEY=... ALLOWED_HOSTS=treaty.example.org DATABASE_URL=postgres://... \
#   CACHE_URL=redis://127.0.0.1:6379/0 WEB_CONCURRENCY=4 BIND=0.0.0.0:8000 scripts/serve-production.sh
# It does not seed: load the seed dataset once, explicitly, with `manage.py seed`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
if [ "${SKIP_MIGRATE:-false}" != "true" ]; then
    "$PYTHON" manage.py migrate --no-input
fi
"$PYTHON" manage.py collectstatic --no-input --verbosity 0
exec "$PYTHON" -m gunicorn --config config/gunicorn.conf.py
