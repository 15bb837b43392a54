"""CORS for browser clients of the public APIs (django-cors-headers) and Vary on API answers."""

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
