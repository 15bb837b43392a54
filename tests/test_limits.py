"""Throttling (429 with Retry-After, per client, behind a proxy too) and the request body size limit (413)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

CLAUSES = "/api/v1/clauses/"


@pytest.fixture
def rates(settings):
    """Sets the rate limits for a test, with empty counters."""

    def set_rates(anon=None, user=None, **rest):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
            **rest,
        }
        cache.clear()

    yield set_rates
    cache.clear()


def test_anonymous_clients_are_throttled_with_retry_after(rates):
    rates(anon="2/minute")
    client = Client()
    assert [client.get(CLAUSES).status_code for _ in range(2)] == [200, 200]
    response = client.get(CLAUSES)
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_authenticated_clients_have_their_own_limit(rates, client_as):
    rates(anon="1/minute", user="3/minute")
    editor = client_as("editor")
    assert [editor.get(CLAUSES).status_code for _ in range(3)] == [200, 200, 200]
    assert editor.get(CLAUSES).status_code == 429
    assert Client().get(CLAUSES).status_code == 200, "anonymous clients are counted apart"


def test_behind_a_proxy_clients_are_told_apart_by_forwarded_address(rates):
    rates(anon="1/minute", NUM_PROXIES=1)
    client = Client()
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429


def test_graphql_is_throttled_too(rates):
    rates(anon="1/minute")
    body = json.dumps({"query": "{ __typename }"})
    client = Client()
    assert client.post("/graphql/", body, content_type="application/json").status_code == 200
    response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize("path", [CLAUSES, "/graphql/"])
def test_an_oversized_body_is_a_413_problem(settings, client_as, path):
    settings.API_MAX_BODY_SIZE = 1000
    response = client_as("editor").post(path, {"text": "x" * 2000}, content_type="application/json")
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "at most 1000" in response.json()["detail"]


def test_a_body_within_the_limit_is_read(settings, client_as):
    settings.API_MAX_BODY_SIZE = 1000
    response = client_as("editor").post(CLAUSES, {"slug": "x"}, content_type="application/json")
    assert response.status_code == 400, "read and validated, not refused for its size"
