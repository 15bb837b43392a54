"""Configuration comes from the environment, and production settings are safe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_without_debug_is_a_clear_startup_error():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_unreadable_debug_flag_is_refused():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="treaty.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_to_a_sqlite_file_in_the_checkout():
    result = manage(
        "shell", "-c", "from django.db import connection; print(connection.settings_dict['NAME'])", DATABASE_URL=""
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "db.sqlite3")


def test_a_bad_host_header_is_logged_as_one_line_without_a_traceback():
    request = (
        "from django.test import Client; print(Client().get('/api/v1/', HTTP_HOST='evil.example.org').status_code)"
    )
    result = manage(
        "shell",
        "-c",
        request,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="treaty.example.org",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "400"
    assert "Invalid HTTP_HOST header: 'evil.example.org'" in result.stderr
    assert "Traceback" not in result.stderr
