"""Production serving: gunicorn with the documented script, static files with DEBUG off, health checks,
JSON access logs."""

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

from django.db import OperationalError, connections

from config.accesslog import access_record
from tests.live import free_port, running

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **extra) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    return environment | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
        **extra,
    }


# Health checks, in process.


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")  # without the db fixture, any query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_and_the_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_is_503_with_retry_after_when_the_database_is_down(client, db):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["checks"] == {"database": "down", "cache": "ok"}


def test_readyz_is_503_with_retry_after_when_the_cache_is_down(client, db, settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["checks"] == {"database": "ok", "cache": "down"}


def test_health_checks_are_never_throttled_and_need_no_allowed_host(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": None}}
    for _ in range(5):
        assert client.get("/healthz", headers={"host": "10.0.0.7:8000"}).status_code == 200
        assert client.get("/readyz", headers={"host": "10.0.0.7:8000"}).status_code == 200


def test_the_access_log_line_is_json_with_the_request_fields():
    atoms = {
        "h": "127.0.0.1",
        "m": "GET",
        "U": "/api/v1/clauses/",
        "q": "q=army",
        "s": "200",
        "B": 52,
        "D": 1500,
        "{user-agent}i": 'curl "quoted"',
        "{x-cache}o": "hit",
        "p": "<42>",
    }
    record = json.loads(json.dumps(access_record(atoms)))
    assert record["method"] == "GET"
    assert record["path"] == "/api/v1/clauses/"
    assert record["query"] == "q=army"
    assert record["status"] == 200
    assert record["bytes"] == 52
    assert record["duration_ms"] == 1.5
    assert record["user_agent"] == 'curl "quoted"'
    assert record["cache"] == "hit"


# Production, for real: DEBUG off, collectstatic, gunicorn through the documented script.


def wsgi_get(env: dict, *paths: str) -> dict:
    """Status, Content-Type and body length of GETs through config.wsgi.application, in a process with env."""
    script = """
import json, sys
from config.wsgi import application
out = {}
for path in sys.argv[1:]:
    got = {}
    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, dict(headers)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http",
               "wsgi.input": sys.stdin.buffer, "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1"}
    body = b"".join(application(environ, start_response))
    out[path] = {"status": got["status"], "type": got["headers"].get("Content-Type", ""),
                 "body": body.decode("latin-1")}
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", script, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_debug_off_the_app_serves_the_docs_and_admin_static_files(tmp_path):
    env = production_env(tmp_path)
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collect.returncode == 0, collect.stderr
    pages = wsgi_get(env, "/api/docs/", "/admin/login/")
    assert pages["/api/docs/"]["status"].startswith("200")
    # The page names the hashed copies (cacheable forever); each is served by the app itself.
    docs = pages["/api/docs/"]["body"]
    assets = [part.split('"')[0] for part in docs.split('src="')[1:] if part.startswith("/static/")]
    assert any("swagger-ui-bundle" in asset for asset in assets), docs
    login = pages["/admin/login/"]["body"]
    stylesheet = next(part.split('"')[0] for part in login.split('href="')[1:] if "admin/css/base" in part)
    served = wsgi_get(env, *assets, stylesheet)
    for path, answer in served.items():
        assert answer["status"].startswith("200"), path
        assert len(answer["body"]) > 1000, path
    assert served[stylesheet]["type"].startswith("text/css")


def test_the_production_script_serves_with_gunicorn_json_access_logs_and_health_checks(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", SKIP_MIGRATE="true", PYTHON=sys.executable
    )
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"  # the access log (stdout) and gunicorn's own (stderr)
    with running([str(ROOT / "scripts" / "serve-production.sh")], env, f"{base}/healthz", log):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            assert json.load(response)["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/admin/css/base.css", timeout=5) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/css")
    output = log.read_text()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    paths = {(line["method"], line["path"], line["status"]) for line in lines}
    assert ("GET", "/readyz", 200) in paths, output
    assert ("GET", "/static/admin/css/base.css", 200) in paths, output
    assert "gthread" in output  # the worker class, from config/gunicorn.conf.py
