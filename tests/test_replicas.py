"""Read replicas: public reads go to a replica, writes and a writer's reads to the primary (api/replicas.py).

The router is tested in process; the whole arrangement against a real PostgreSQL streaming replica: a throwaway
primary (initdb) and its standby (pg_basebackup, a second port), served by gunicorn with DATABASE_REPLICA_URLS.
A throwaway primary rather than the machine's own cluster: that one accepts no replication connections (pg_hba)
and a base backup of it would copy every database on it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.test import RequestFactory

from api.replicas import PRIMARY, ReplicaMiddleware, ReplicaRouter
from tests.live import free_port, running

ROOT = Path(__file__).resolve().parent.parent
router = ReplicaRouter()


def reads_during(request, during=lambda: None) -> list[str]:
    """The databases a request's reads go to: before and after ``during`` (something the view does)."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(None))
        during()
        seen.append(router.db_for_read(None))
        return None

    ReplicaMiddleware(view)(request)
    return seen


@pytest.fixture
def one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def test_an_anonymous_read_goes_to_a_replica(one_replica):
    assert not connections[PRIMARY].in_atomic_block
    assert reads_during(RequestFactory().get("/api/v1/clauses/")) == ["replica1", "replica1"]


def test_a_request_that_may_write_reads_the_primary(one_replica):
    for method in ("post", "put", "patch", "delete"):
        request = getattr(RequestFactory(), method)("/api/v1/topics/")
        assert reads_during(request) == [PRIMARY, PRIMARY], method


def test_a_request_with_credentials_reads_the_primary(one_replica):
    """A curator's reads after their write see it, wherever replication is."""
    token = RequestFactory().get("/api/v1/clauses/", headers={"authorization": "Token abc"})
    assert reads_during(token) == [PRIMARY, PRIMARY]
    session = RequestFactory().get("/admin/")
    session.COOKIES["sessionid"] = "x"
    assert reads_during(session) == [PRIMARY, PRIMARY]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(one_replica):
    seen = reads_during(RequestFactory().get("/api/v1/clauses/"), during=lambda: router.db_for_write(None))
    assert seen == ["replica1", PRIMARY]
    # … and the next request reads a replica again.
    assert reads_during(RequestFactory().get("/api/v1/clauses/")) == ["replica1", "replica1"]


def test_reads_inside_a_transaction_on_the_primary_go_to_the_primary(one_replica, db):
    assert connections[PRIMARY].in_atomic_block  # the test's own transaction
    assert reads_during(RequestFactory().get("/api/v1/clauses/")) == [PRIMARY, PRIMARY]


def test_without_replicas_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert reads_during(RequestFactory().get("/api/v1/clauses/")) == [PRIMARY, PRIMARY]


def test_only_the_primary_is_migrated():
    assert router.allow_migrate(PRIMARY, "treaty")
    assert not router.allow_migrate("replica1", "treaty")


# A real streaming replica.

PG_TOOLS = ("initdb", "pg_ctl", "pg_basebackup")
MISSING_TOOLS = [tool for tool in PG_TOOLS if not shutil.which(tool)]


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's server tools refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


def sql(port: int, query: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-AtXqc", query],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stdout.strip()


@contextmanager
def streaming_pair():
    """A primary and a streaming standby on two free ports; yields their ports."""
    directory = Path(tempfile.mkdtemp(prefix="treaty-replica-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    primary, standby = directory / "primary", directory / "standby"
    ports = free_port(), free_port()
    started = []
    try:
        as_postgres(["initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        with (primary / "postgresql.conf").open("a") as conf:
            # As the README asks of a primary with replicas: commits wait for the standby (the app asks for
            # remote_apply on its own connections).
            conf.write(f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\nsynchronous_standby_names = '*'\n")
            conf.write(f"unix_socket_directories = '{directory}'\nfsync = off\n")
        if os.geteuid() == 0:
            shutil.chown(primary / "pg_hba.conf", "postgres")
            shutil.chown(primary / "postgresql.conf", "postgres")
        as_postgres(["pg_ctl", "-D", str(primary), "-l", str(directory / "primary.log"), "-w", "start"])
        started.append(primary)
        as_postgres(
            [
                *("pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-D", str(standby)),
                *("-X", "stream", "-R", "--no-sync"),
            ]
        )
        as_postgres(
            [
                *("pg_ctl", "-D", str(standby), "-l", str(directory / "standby.log"), "-w", "start"),
                *("-o", f"-p {ports[1]}"),
            ]
        )
        started.append(standby)
        assert sql(ports[1], "SELECT pg_is_in_recovery()") == "t"
        yield ports
    finally:
        for data in reversed(started):
            as_postgres(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(directory, ignore_errors=True)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def fetch(url: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 (http only)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.mark.replica
@pytest.mark.skipif(bool(MISSING_TOOLS), reason=f"PostgreSQL server tools not installed: {MISSING_TOOLS}")
def test_reads_are_served_by_a_streaming_replica_and_writes_by_the_primary(tmp_path):
    with streaming_pair() as (primary_port, standby_port):
        sql(primary_port, "CREATE DATABASE treaty")
        primary = f"postgres://postgres@127.0.0.1:{primary_port}/treaty"
        standby = f"postgres://postgres@127.0.0.1:{standby_port}/treaty"
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URLS": standby,
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(tmp_path / "static"),
            "CACHE_URL": f"file://{tmp_path / 'cache'}",  # shared by the workers, response cache on
            "THROTTLE_ANON_RATE": "none",
            "THROTTLE_USER_RATE": "none",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "warning",
        }
        manage(env, "migrate", "--no-input", "-v", "0")  # on the primary only; the standby replays it
        token = manage(env, "create_editor", "alice").strip().splitlines()[-1]
        base = f"http://127.0.0.1:{port}"
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py"]
        with running(gunicorn, env, f"{base}/healthz", tmp_path / "gunicorn.log", seconds=60):
            assert fetch(f"{base}/readyz")[0] == 200  # the primary and the replica answer

            # A write through the API lands on the primary (the standby refuses writes) and, once answered, is on
            # the replica already: an anonymous read right after it, from the replica, sees it.
            status, created = fetch(f"{base}/api/v1/topics/", "POST", {"slug": "water", "name": "Water rights"}, token)
            assert status == 201, created
            assert sql(standby_port, "SELECT name FROM treaty_topic WHERE slug = 'water'", "treaty") == "Water rights"
            assert fetch(f"{base}/api/v1/topics/water/") == (200, created)

            # Reads come from the replica: with its replay paused, a row committed on the primary is not seen by
            # anonymous readers until replay resumes, while a curator (credentials: the primary) sees it at once.
            sql(standby_port, "SELECT pg_wal_replay_pause()")
            sql(
                primary_port,
                "INSERT INTO treaty_topic (slug, name, description, pax_categories, version) "
                "VALUES ('grain', 'Grain exports', '', '', 1)",
                "treaty",
            )
            assert fetch(f"{base}/api/v1/topics/grain/")[0] == 404
            assert fetch(f"{base}/api/v1/topics/grain/", token=token)[0] == 200
            sql(standby_port, "SELECT pg_wal_replay_resume()")
            deadline = time.monotonic() + 30
            while sql(standby_port, "SELECT count(*) FROM treaty_topic WHERE slug = 'grain'", "treaty") != "1":
                assert time.monotonic() < deadline, "the standby did not catch up"
                time.sleep(0.2)
            status, grain = fetch(f"{base}/api/v1/topics/grain/")
            assert (status, grain["name"]) == (200, "Grain exports")
