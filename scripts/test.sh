#!/usr/bin/env bash
# Sets everything up (with the development tools) and runs the test suite; extra arguments go to pytest.
# The quick subset: scripts/test.sh -m "not slow" (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh dev
exec .venv/bin/python -m pytest "$@"
