"""The pages for people: / links to the docs, GraphiQL, the admin and the README; the admin's "View site" goes
there; the development server starts without alarming or doubled messages."""

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_home_page_links_to_the_docs_graphiql_the_admin_and_the_readme(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Treaty API</title>" in html
    hrefs = links(html)
    for expected in ("/api/docs/", "/api/redoc/", "/graphql/", "/admin/", "/README.md"):
        assert expected in hrefs
    for href in hrefs:
        target = client.get(href, headers={"Accept": "text/html,*/*;q=0.8"})  # as a browser asks
        assert target.status_code in {200, 302}, href  # the admin redirects to its login page


def test_the_readme_is_served_as_it_is(client):
    response = client.get("/README.md")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")


def test_the_admins_view_site_link_goes_to_the_home_page(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert re.search(r'<a href="/">View site</a>', html)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_development_server_starts_quietly(tmp_path, seeded_sqlite):
    """runserver with its autoreloader, as serve.sh starts it after its set-up: each start-up line once, nothing
    alarming."""
    shutil.copy(seeded_sqlite, tmp_path / "db.sqlite3")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PYTHONUNBUFFERED": "1"},
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if "Quit the server" in line:
                break
    finally:
        server.terminate()
        server.wait(timeout=10)
    output = "\n".join(lines)
    assert f"Starting development server at http://127.0.0.1:{port}/" in output
    assert output.count("Watching for file changes") <= 1, output
    for alarming in ("Existing history found", "Traceback", "Error", "unapplied migration"):
        assert alarming not in output, output
