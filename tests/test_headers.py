"""CORS for browser clients of the public APIs (django-cors-headers), Vary on API answers, and the HTML pages'
Content-Security-Policy and Permissions-Policy (their effect in a browser: tests/browser/test_pages.py)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ORIGIN = "https://reader.example"


def test_any_site_may_read_the_rest_api_without_cookies(client):
    response = client.get("/api/v1/topics/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "RateLimit-Remaining" in exposed


def test_a_graphql_preflight_is_answered(client):
    response = client.options(
        "/graphql/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 200
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    body = json.dumps({"query": "{ __typename }"})
    answer = client.post("/graphql/", body, content_type="application/json", HTTP_ORIGIN=ORIGIN)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


def test_browser_writes_need_to_be_allowed(client):
    response = client.options(
        "/api/v1/topics/ceasefire/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH"
    )
    assert "PATCH" not in response.headers.get("Access-Control-Allow-Methods", "")


def test_the_admin_gets_no_cors_headers(admin_client):
    assert "Access-Control-Allow-Origin" not in admin_client.get("/admin/", HTTP_ORIGIN=ORIGIN).headers


@pytest.mark.parametrize("path", ["/api/v1/topics/", "/graphql/?query=%7B__typename%7D"])
def test_api_answers_vary_on_accept(path):
    response = Client().get(path)
    assert "Accept" in [value.strip() for value in response.headers["Vary"].split(",")]


def test_behind_a_tls_proxy_answers_vary_on_the_forwarded_scheme(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/api/v1/topics/", HTTP_X_FORWARDED_PROTO="https")
    assert "X-Forwarded-Proto" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/", "/api/docs/", "/api/redoc/", "/graphql/", "/admin/login/"])
def test_html_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    policy = dict(
        directive.strip().split(" ", 1) for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'", "no inline or eval'd script"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    html = response.content.decode()
    assert "<script>" not in html, "an inline script the policy would refuse"


def test_swagger_ui_setup_script_is_served_from_this_site(client):
    html = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_every_answer_carries_the_policy_django_csp_builds_and_a_changed_setting_changes_it(client, settings):
    """The site's policy is built once (api/security_headers.py), and is exactly django-csp's."""
    from csp.utils import build_policy

    for path in ("/", "/api/v1/clauses/?page_size=1", "/graphql/?query={__typename}"):
        assert client.get(path).headers["Content-Security-Policy"] == build_policy(), path
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/api/v1/clauses/?page_size=1").headers["Content-Security-Policy"] == "default-src 'none'"


def test_an_answer_with_a_policy_of_its_own_or_a_nonce_gets_what_django_csp_gives_it(rf, settings):
    """Beside the site's policy built once, django-csp's own middleware decides: the same header for a view
    with its own policy, a page that used a nonce (with a policy that asks for one) and a plain answer."""
    from csp.constants import NONCE
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from api.security_headers import SitePolicyMiddleware

    def view_with_its_own_policy(request):
        response = HttpResponse("page")
        response._csp_update = {"img-src": ["https://maps.example"]}
        return response

    def page_using_a_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    def header(middleware, view):
        request = rf.get("/")
        request._csp_nonce = "fixed-nonce" if view is page_using_a_nonce else None
        return middleware(view)(request).headers["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    for view in (view_with_its_own_policy, page_using_a_nonce, lambda request: HttpResponse("page")):
        assert header(SitePolicyMiddleware, view) == header(CSPMiddleware, view)
    assert "https://maps.example" in header(SitePolicyMiddleware, view_with_its_own_policy)
    assert "'nonce-fixed-nonce'" in header(SitePolicyMiddleware, page_using_a_nonce)
