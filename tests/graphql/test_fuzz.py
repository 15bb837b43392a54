"""Schemathesis fuzzes every root field of the committed SDL against /graphql/, in process, as production
serves it, as an editor (so the mutations run): no input may cause a server error, a 5xx or an internal
(masked) error.
"""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

pytestmark = pytest.mark.fuzzing

schema = schemathesis.graphql.from_path(Path(settings.BASE_DIR) / "openapi" / "schema.graphql")
# Served in process by the WSGI application, at /graphql/.
schema.app = application
schema.location = "/graphql/"


@pytest.fixture
def one_connection():
    """Keep the test's database connection across requests (as Django's test client does), so the
    requests see the seed data of the test transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor(token_for):
    return {"Authorization": f"Token {token_for('editor')}"}


@pytest.mark.django_db
@pytest.mark.urls("tests.graphql.production_urls")
@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    derandomize=True,  # CI must be repeatable
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_query_makes_a_server_error(case, one_connection, editor):
    response = case.call_and_validate(checks=[not_a_server_error], headers=editor)
    body = response.json()
    assert "Internal error." not in str(body), body
