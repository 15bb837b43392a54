"""A token holder lists and revokes their own API tokens (/api/v1/tokens/), and no one else's."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"


def as_token(token: str) -> Client:
    return Client(headers={"Authorization": f"Token {token}"})


def test_a_holder_lists_their_tokens_and_revokes_one(token_for):
    token = token_for("editor", "erin")
    erin = User.objects.get(username="erin")
    other, second = AuthToken.objects.create(user=erin)
    someone_else = token_for("editor", "frank")

    listed = as_token(token).get(TOKENS).json()
    assert len(listed) == 2
    assert {item["key"] for item in listed} == set(
        AuthToken.objects.filter(user=erin).values_list("token_key", flat=True)
    )
    assert {item["key"]: item["current"] for item in listed} == {
        token[: len(other.token_key)]: True,
        other.token_key: False,
    }
    assert all(set(item) == {"key", "created", "expiry", "current"} for item in listed)

    response = as_token(token).delete(f"{TOKENS}{other.token_key}/")
    assert response.status_code == 204
    assert as_token(second).get(TOKENS).status_code == 401, "the revoked token no longer works"
    assert as_token(token).get(TOKENS).status_code == 200

    frank = AuthToken.objects.get(user__username="frank")
    assert as_token(token).delete(f"{TOKENS}{frank.token_key}/").status_code == 404, "not someone else's"
    assert as_token(someone_else).get(TOKENS).status_code == 200


def test_a_holder_can_revoke_the_token_in_use(token_for):
    token = token_for("reader", "rita")
    key = AuthToken.objects.get(user__username="rita").token_key
    assert as_token(token).delete(f"{TOKENS}{key}/").status_code == 204
    assert as_token(token).get(TOKENS).status_code == 401


def test_anonymous_clients_have_no_tokens(client):
    response = client.get(TOKENS)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/clauses/", None),
        ("get", TOKENS, None),
        ("post", "/graphql/", '{"query": "{ topicList { slug } }"}'),
        ("post", "/graphql/", '{"query": "mutation { deleteTopic(slug: \\"no-such-topic\\", version: 1) { slug } }"}'),
    ],
)
def test_a_request_looks_its_token_up_once(token_for, method, path, body):
    """The rate limiter, then REST or GraphQL, each need the token's user: one lookup serves all (review)."""
    client = as_token(token_for("editor"))
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code < 500, response.content
    lookups = [q["sql"] for q in queries if 'WHERE "knox_authtoken"."token_key" =' in q["sql"]]
    assert len(lookups) == 1, lookups
