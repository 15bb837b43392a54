"""The HTML pages (home, Swagger UI, Redoc, GraphiQL, the admin login) in headless Chromium, with their
Content-Security-Policy and Permissions-Policy: each renders from this site alone, and the policy refuses nothing
it needs, while it does refuse an injected inline script. DEBUG on and off (whitenoise's hashed files)."""

import json

import pytest

from tests import live

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
HERE = live.ROOT / "tests" / "browser"
PAGES = {
    "home": ("/", "h1"),
    "swagger": ("/api/docs/", ".swagger-ui .opblock"),
    "redoc": ("/api/redoc/", "[data-section-id]"),
    "graphiql": ("/graphql/", ".graphiql-query-editor .CodeMirror"),
    "admin-login": ("/admin/login/", "#id_username"),
}


@pytest.fixture(scope="module", params=[True, False], ids=["development", "production"])
def report(request, seeded_sqlite, tmp_path_factory):
    live.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with live.serving(seeded_sqlite, tmp_path_factory.mktemp("pages"), debug=request.param) as url:
        args = [f"{name}={path}={selector}" for name, (path, selector) in PAGES.items()]
        run = live.run_node(HERE / "pages.mjs", url, str(live.ARTIFACTS), *args, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", PAGES)
def test_the_page_renders_under_its_policies(report, name):
    page = report["pages"][name]
    assert page["status"] == 200
    assert page["rendered"], f"{name} did not render: {report['errors']}"
    assert "script-src 'self'" in page["csp"] and "default-src 'self'" in page["csp"]
    assert "unsafe-eval" not in page["csp"]
    assert "camera=()" in page["permissions"] and "geolocation=()" in page["permissions"]


# Redoc's bundle always shows a "by Redocly" logo from its CDN; the policy refuses it and Redoc then drops the image
# (its onError), as it does offline. That is the one refusal expected, and it costs the page nothing.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_the_policy_refuses_nothing_the_pages_need_and_nothing_comes_from_elsewhere(report):
    assert report["errors"] == [], report["errors"]
    assert report["foreign"] == [], "a page asked another host for something"
    unexpected = [v for v in report["violations"] if not ("/api/redoc/" in v and REDOC_LOGO in v)]
    assert unexpected == [], "the Content-Security-Policy refused something a page needs"


def test_the_policy_refuses_an_injected_inline_script(report):
    assert report["probe"]["ran"] is False, "an inline script ran: the policy would not stop an injection"
    assert report["probe"]["reported"], "Chromium reported no violation for it: the check above proves nothing"
