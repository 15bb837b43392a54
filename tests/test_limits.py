"""Throttling (429 with Retry-After, per client, behind a proxy too) and the request body size limit (413)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from api.throttles import Window, parse_rate

pytestmark = pytest.mark.django_db

CLAUSES = "/api/v1/clauses/"


@pytest.fixture
def rates(settings):
    """Sets the rate limits for a test, with empty counters."""

    def set_rates(anon=None, user=None, auth_failure=None, trusted_proxies=()):
        settings.THROTTLE_RATES = {"anon": anon, "user": user, "auth_failure": auth_failure}
        settings.TRUSTED_PROXIES = list(trusted_proxies)
        cache.clear()

    yield set_rates
    cache.clear()


GRAPHQL_BODY = json.dumps({"query": "{ __typename }"})


def graphql(client, **headers):
    return client.post("/graphql/", GRAPHQL_BODY, content_type="application/json", **headers)


def test_anonymous_clients_are_throttled_with_retry_after(rates):
    rates(anon="2/minute")
    client = Client()
    assert [client.get(CLAUSES).status_code for _ in range(2)] == [200, 200]
    response = client.get(CLAUSES)
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_answers_carry_the_rate_limit_headers(rates):
    rates(anon="5/minute")
    client = Client()
    first, second = client.get(CLAUSES), client.get(CLAUSES)
    for name in ("RateLimit-Limit", "X-RateLimit-Limit"):
        assert first.headers[name] == "5"
    assert (first.headers["RateLimit-Remaining"], second.headers["RateLimit-Remaining"]) == ("4", "3")
    assert second.headers["X-RateLimit-Remaining"] == "3"
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 60
    assert int(first.headers["X-RateLimit-Reset"]) > 1_700_000_000  # a Unix time


def test_authenticated_clients_have_their_own_limit(rates, client_as):
    rates(anon="1/minute", user="3/minute")
    editor = client_as("editor")
    assert [editor.get(CLAUSES).status_code for _ in range(3)] == [200, 200, 200]
    assert editor.get(CLAUSES).status_code == 429
    assert Client().get(CLAUSES).status_code == 200, "anonymous clients are counted apart"


def test_a_forged_forwarded_address_changes_nothing(rates):
    """The review: a new X-Forwarded-For on each request escaped every limit."""
    rates(anon="2/minute")
    client = Client()
    statuses = [
        client.get(CLAUSES, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}", HTTP_X_REAL_IP=f"198.51.100.{i}").status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    statuses = [graphql(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(10, 12)]
    assert statuses == [429, 429], "GraphQL counts with REST, from the same address"


def test_behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_address(rates):
    rates(anon="1/minute", trusted_proxies=["127.0.0.1"])
    client = Client(REMOTE_ADDR="127.0.0.1")
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # What the client itself put before the proxy's entry is not believed: the proxy saw 203.0.113.1.
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1").status_code == 429


def test_an_untrusted_peer_is_counted_by_its_own_address_even_with_proxies_declared(rates):
    rates(anon="1/minute", trusted_proxies=["10.0.0.0/8"])
    client = Client(REMOTE_ADDR="192.0.2.9")
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get(CLAUSES, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429


def test_graphql_is_throttled_with_its_own_error_shape(rates):
    rates(anon="1/minute")
    client = Client()
    assert graphql(client).status_code == 200
    response = graphql(client)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["RateLimit-Remaining"] == "0"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED" and "Too many requests" in error["message"]


def test_pages_outside_the_apis_are_not_counted(rates, admin_client):
    rates(anon="1/minute", user="1/minute")
    assert [admin_client.get("/admin/").status_code for _ in range(3)] == [200, 200, 200]
    assert "RateLimit-Limit" not in admin_client.get("/admin/").headers


def test_failed_authentication_is_throttled_per_address(rates):
    """The review: 400 bad tokens got 400 answers 401."""
    rates(auth_failure="3/minute")
    client = Client()
    statuses = [client.get(CLAUSES, HTTP_AUTHORIZATION=f"Token guess{i}").status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    response = graphql(client, HTTP_AUTHORIZATION="Token another-guess")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert Client(REMOTE_ADDR="192.0.2.1").get(CLAUSES, HTTP_AUTHORIZATION="Token x").status_code == 401


@pytest.mark.parametrize("path", [CLAUSES, "/graphql/"])
def test_a_bad_token_is_a_401_in_the_apis_error_shape(rates, path):
    response = Client().post(path, GRAPHQL_BODY, content_type="application/json", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    body = response.json()
    message = body["detail"] if path == CLAUSES else body["errors"][0]["message"]
    assert message == "Invalid token."


@pytest.mark.parametrize("path", [CLAUSES, "/graphql/"])
def test_a_non_ascii_authorization_header_is_a_401_not_a_500(rates, path):
    """The review's `Authorization: Token \\xe9\\xe9` (WSGI hands the header over as latin-1)."""
    response = Client().get(path, {"query": "{ __typename }"}, HTTP_AUTHORIZATION="Token \xe9\xe9")
    assert response.status_code == 401
    assert "ASCII" in response.content.decode()


def test_counts_live_in_the_shared_cache(rates):
    """Another worker reads the same count from the cache."""
    rates(anon="5/minute")
    Client().get(CLAUSES)
    Client().get(CLAUSES)
    assert cache.get(Window("anon:127.0.0.1", parse_rate("5/minute")).key) == 2


def test_an_unreachable_cache_is_a_503_and_recovers(rates, settings):
    pytest.importorskip("redis")

    rates(anon="5/minute")
    working = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    try:
        response = Client().get(CLAUSES)
        assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
        assert response.headers["Content-Type"] == "application/problem+json"
    finally:
        settings.CACHES = working
    assert Client().get(CLAUSES).status_code == 200


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


def test_the_admin_login_locks_an_address_out_after_repeated_failures(settings, django_user_model):
    """The review: 100 wrong passwords got 100 login pages. django-axes locks the address out for a while."""
    django_user_model.objects.create_superuser("carol", "carol@example.org", "the-right-password-1")
    client = Client()
    client.get("/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "carol", "password": "wrong"})
        assert response.status_code == 200 and b"correct username and password" in response.content
    response = client.post("/admin/login/", {"username": "carol", "password": "wrong"})
    assert response.status_code == 429
    # Locked out: even the right password is refused, from this address…
    assert client.post("/admin/login/", {"username": "carol", "password": "the-right-password-1"}).status_code == 429
    # …but not from another one.
    other = Client(REMOTE_ADDR="192.0.2.44")
    response = other.post("/admin/login/", {"username": "carol", "password": "the-right-password-1"})
    assert response.status_code == 302
