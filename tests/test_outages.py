"""Outages and time budgets: a database that cannot be reached is a 503 with Retry-After in each API's error shape,
and the service recovers by itself; so is a request past its time budget (api/outages.py, api/timeouts.py)."""

import json

import pytest
from django.db import connection, connections

from api.rest import views

pytestmark = pytest.mark.django_db

CLAUSES = "/api/v1/clauses/"
GRAPHQL_QUERY = json.dumps({"query": '{ proposal(slug: "us-28-point-plan") { slug clauses { slug } } }'})


@pytest.fixture
def unreachable_database():
    """The default database as one that cannot be reached (a closed port; for SQLite a file that cannot exist).
    Yields the connection: give its settings back to end the outage."""
    original = connections["default"]
    settings = dict(original.settings_dict)
    unreachable = dict(settings, HOST="127.0.0.1", PORT=1, CONN_HEALTH_CHECKS=False)
    if original.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-directory/db.sqlite3"
    down = type(original)(unreachable, "default")
    connections["default"] = down
    yield down, settings
    down.close()
    connections["default"] = original


def test_rest_answers_a_database_outage_with_503_and_recovers(client, unreachable_database):
    down, working = unreachable_database
    response = client.get(CLAUSES)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 503 and body["detail"] == "The database is not available at the moment; try again shortly."
    # The database is back: the next request is answered, no restart needed.
    down.settings_dict.update(working)
    if down.vendor == "sqlite":
        down.settings_dict["NAME"] = connection.settings_dict["NAME"]
    assert client.get(CLAUSES).status_code == 200


def test_graphql_answers_a_database_outage_with_503(client, unreachable_database):
    response = client.post("/graphql/", GRAPHQL_QUERY, content_type="application/json")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def test_a_rest_request_past_its_time_budget_is_a_503_problem(client, monkeypatch, settings):
    from api.timeouts import RequestTimeout

    settings.REQUEST_TIMEOUT = 10

    def too_slow(*args, **kwargs):
        raise RequestTimeout()

    monkeypatch.setattr(views.ClauseViewSet, "list", too_slow)
    response = client.get(CLAUSES)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "took longer than the 10 seconds" in response.json()["detail"]


def test_the_time_budget_interrupts_a_slow_view(client, settings, monkeypatch):
    """Run in the main thread, as a sync worker runs a request: the timer signal stops the view."""
    import time

    settings.REQUEST_TIMEOUT = 0.2

    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(views.ClauseViewSet, "list", slow)
    started = time.monotonic()
    response = client.get(CLAUSES)
    assert response.status_code == 503
    assert time.monotonic() - started < 4, "the view was interrupted, not waited for"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_postgresql_statements_have_a_timeout(client, settings, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT}ms".replace("000ms", "s")

    def slow_sql(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(views.ClauseViewSet, "list", slow_sql)
    response = client.get(CLAUSES)
    assert response.status_code == 503
    assert "took too long" in response.json()["detail"]


def test_a_900_kb_search_is_refused_by_rest_at_once(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(CLAUSES, {"q": "war " * 225_000})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "at most 200 characters" in response.json()["errors"]["q"][0]


def test_a_search_at_the_maximum_length_runs(client):
    assert client.get(CLAUSES, {"q": "x" * 200}).status_code == 200


@pytest.mark.parametrize("path", [CLAUSES, "/graphql/"])
def test_an_outage_while_checking_a_token_is_a_503(client, unreachable_database, path):
    response = client.post(path, GRAPHQL_QUERY, content_type="application/json", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "not available" in response.content.decode()
