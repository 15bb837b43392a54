"""The endpoint over HTTP: GET and POST, bad requests, CSRF, media types (GraphQL-over-HTTP spec)."""

import json

import pytest
from django.test import Client

from tests.graphql.conftest import GRAPHQL_URL, post

pytestmark = pytest.mark.django_db

QUERY = "{ topicList(pagination: {limit: 2}) { totalCount results { slug } } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_get_runs_a_query_like_post(client):
    got = client.get(GRAPHQL_URL, {"query": QUERY})
    posted = post(client, QUERY)
    assert got.status_code == posted.status_code == 200
    assert got["Content-Type"] == "application/json"
    assert got.json() == posted.json() and got.json()["data"]["topicList"]["results"]


def test_get_takes_variables_as_json(client):
    query = "query ($n: Int!) { topicList(pagination: {limit: $n}) { results { slug } } }"
    response = client.get(GRAPHQL_URL, {"query": query, "variables": json.dumps({"n": 1})})
    assert len(response.json()["data"]["topicList"]["results"]) == 1


def test_mutations_are_refused_over_get(client):
    response = client.get(GRAPHQL_URL, {"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"errors": [{"message": "mutations are not allowed when using GET"}]}


def test_mutations_run_over_post(client):
    body = post(client, "mutation { __typename }").json()
    assert body == {"data": {"__typename": "Mutation"}}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, method):
    response = getattr(client, method)(GRAPHQL_URL, json.dumps({"query": QUERY}), content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("{not json", "application/json", b"Unable to parse request body as JSON"),
        ('"a string"', "application/json", b"Expected a JSON object."),
        ("42", "application/json", b"Expected a JSON object."),
        ("null", "application/json", b"Expected a JSON object."),
        ("[]", "application/json", b"Batching is not enabled"),
        ('[{"query": "{ __typename }"}]', "application/json", b"Batching is not enabled"),
        ("{}", "application/json", b"No GraphQL query found in the request"),
        ('{"query": null}', "application/json", b"No GraphQL query found in the request"),
        ('{"query": 5}', "application/json", b"The GraphQL operation's `query` must be a string or null, if provided."),
        ('{"query": "{ __typename }", "variables": []}', "application/json", b"`variables` must be an object"),
        ('{"query": "{ __typename }", "extensions": "x"}', "application/json", b"`extensions` must be an object"),
        ('{"query": "{ __typename }"}', "text/plain", b"Unsupported content type"),
        ("query=%7B__typename%7D", "application/x-www-form-urlencoded", b"Unsupported content type"),
        ('{"query": "{ __typename }"}', "", b"Unsupported content type"),
    ],
)
def test_malformed_requests_are_answered_400(client, body, content_type, reason):
    response = client.generic("POST", GRAPHQL_URL, body, content_type=content_type)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert reason.decode() in error["message"]


def test_a_get_without_a_query_is_400(client):
    response = client.get(GRAPHQL_URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "No GraphQL query found in the request"}]}


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("{ nope }", {}, "Cannot query field 'nope' on type 'Query'."),
        ("{ topicList { results { id } } }", {}, "Cannot query field 'id' on type 'TopicType'."),
        ("{ topicList ", {}, "Syntax Error: Expected Name, found <EOF>."),
        (
            "query ($n: Int!) { topicList(pagination: {limit: $n}) { totalCount } }",
            {"n": "ten"},
            "Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'",
        ),
        (
            "query ($n: Int!) { topicList(pagination: {limit: $n}) { totalCount } }",
            {},
            "Variable '$n' has invalid value: Expected a value of non-null type 'Int!' to be provided.",
        ),
        (
            "query ($s: [Direction!]) { positionList(filters: {direction: $s}) { totalCount } }",
            {"s": ["open-to"]},
            "Variable '$s' has invalid value at [0]: Value 'open-to' does not exist in 'Direction' enum. "
            "Did you mean the enum value 'OPEN_TO'?",
        ),
    ],
)
def test_bad_documents_and_variables_are_graphql_errors(client, query, variables, message):
    response = post(client, query, variables)
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["message"] == message


def test_with_graphql_response_json_a_request_error_is_a_400_without_data(client):
    response = post(client, "{ nope }", HTTP_ACCEPT=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response["Content-Type"] == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body and body["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'."


def test_with_graphql_response_json_a_field_error_is_a_200_with_data(client):
    query = '{ stanceMatrix(slug: "nope") { rows(pagination: {limit: 10}) { cells { slug: clause { slug } } } } }'
    response = post(client, query, HTTP_ACCEPT=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response["Content-Type"] == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"stanceMatrix": None}


def test_with_graphql_response_json_a_good_query_is_a_200(client):
    response = post(client, QUERY, HTTP_ACCEPT=f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    assert response.status_code == 200
    assert response["Content-Type"] == GRAPHQL_RESPONSE
    assert response.json()["data"]["topicList"]["totalCount"] > 0


def test_json_queries_need_no_csrf_token_and_forms_cannot_make_requests():
    """The view is CSRF-exempt: queries only read, and a cross-site form cannot send JSON (see views.py)."""
    client = Client(enforce_csrf_checks=True)
    assert post(client, QUERY).status_code == 200
    form = client.post(GRAPHQL_URL, {"query": QUERY})  # what a cross-site <form> could send
    assert form.status_code == 400 and form.json() == {"errors": [{"message": "Unsupported content type"}]}
    simple = client.generic("POST", GRAPHQL_URL, json.dumps({"query": QUERY}), content_type="text/plain")
    assert simple.status_code == 400


def test_utf8_in_and_out(client, world):
    response = post(
        client,
        '{ clause(slug: "joint-revised-framework-02") { heading } '
        'personList(filters: {name: "Зеленський🏃"}) { totalCount } }',
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.decode("utf-8")
    assert response.json() == {
        "data": {"clause": {"heading": "Ceasefire left to the leaders"}, "personList": {"totalCount": 0}}
    }
