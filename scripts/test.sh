#!/usr/bin/env bash
# Sets everything up (with the development tools) and runs the test suite; extra arguments go to pytest.
# The quick subset: scripts/test.sh -m "not slow" (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh dev
# On every core (pytest-xdist: each worker has its own test database, each test file stays on one worker);
# TEST_WORKERS=0 runs the suite in one process.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
