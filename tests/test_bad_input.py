"""Malformed requests get a 4xx with a clear message in the API's error shape, never a 5xx or an HTML page
(api/middleware.py, api/throttles.py for the Authorization header, api/rest/pagination.py)."""

import json

import pytest

pytestmark = pytest.mark.django_db

TOPICS = "/api/v1/topics/"
DEEP = "[" * 10_000 + "]" * 10_000


def graphql_error(response, status=400) -> str:
    assert response.status_code == status, response.content[:300]
    assert response.headers["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    return error["message"]


def problem(response, status=400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize(
    "body",
    [
        b'{"query":"{__typename}","x":"\xff"}',  # the review's invalid UTF-8
        '{"query":"{__typename}"}'.encode("utf-16"),
        '{"query":"{__typename}"}'.encode("utf-16-le"),
    ],
    ids=["invalid-utf-8", "utf-16-bom", "utf-16-le"],
)
def test_a_graphql_body_that_is_not_utf8_is_a_400(client, body):
    assert "not UTF-8" in graphql_error(client.post("/graphql/", body, content_type="application/json"))


def test_a_rest_body_that_is_not_utf8_is_a_400(client_as):
    response = client_as("editor").post(TOPICS, b'{"slug": "\xff"}', content_type="application/json")
    assert "not UTF-8" in problem(response)["detail"]


def test_json_nested_10000_deep_in_graphql_variables_is_a_400(client):
    body = '{"query": "query ($v: JSON) { __typename }", "variables": {"v": ' + DEEP + "}}"
    assert "nests more than" in graphql_error(client.post("/graphql/", body, content_type="application/json"))


def test_json_nested_10000_deep_in_get_variables_is_a_400(client):
    response = client.get("/graphql/", {"query": "{ __typename }", "variables": '{"v": ' + DEEP + "}"})
    assert "nests more than" in graphql_error(response)


def test_json_nested_10000_deep_in_a_rest_write_is_a_400(client_as):
    response = client_as("editor").post(TOPICS, DEEP, content_type="application/json")
    assert "nests more than" in problem(response)["detail"]


def test_ordinary_nesting_is_fine(client_as):
    body = json.dumps({"slug": "water", "name": "Water", "pax_categories": [["a"]]})
    assert client_as("editor").post(TOPICS, body, content_type="application/json").status_code in (201, 400)


@pytest.mark.parametrize("page", ["+2", " 1", "1_0", "\u0661", "\u00b2", "0x1", "1.0"])
def test_lax_page_numbers_are_refused(client, page):
    body = problem(client.get(TOPICS, {"page": page}))
    assert body["errors"]["page"] == [f"A whole number is required, not “{page}”."]


@pytest.mark.parametrize("parameter", ["page", "page_size"])
def test_a_very_long_number_is_refused_not_parsed(client, parameter):
    assert problem(client.get(TOPICS, {parameter: "9" * 5000}))["errors"][parameter]


@pytest.mark.parametrize("accept", ["*/*;q=0", "text/csv", "application/xml, image/*;q=0.9", "application/json;q=0"])
def test_an_accept_header_without_json_is_a_406(client, accept):
    problem(client.get(TOPICS, HTTP_ACCEPT=accept), status=406)
    assert graphql_error(client.get("/graphql/", {"query": "{ __typename }"}, HTTP_ACCEPT=accept), status=406)


@pytest.mark.parametrize("accept", ["*/*", "application/json", "application/*;q=0.5", "text/html, */*;q=0.8"])
def test_accept_headers_that_admit_json_are_served(client, accept):
    assert client.get(TOPICS, HTTP_ACCEPT=accept).status_code == 200


def test_the_schema_and_docs_keep_their_own_types(client):
    assert client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi").status_code == 200
    assert client.get("/api/docs/", HTTP_ACCEPT="text/html").status_code == 200


@pytest.mark.parametrize("path", [TOPICS, "/graphql/"])
def test_a_chunked_body_is_a_411(client_as, path):
    response = client_as("editor").generic(
        "POST", path, b"", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


def test_a_surrogate_in_a_graphql_get_query_is_a_client_error(client):
    """An escaped lone surrogate (the test client cannot send a raw one in a URL)."""
    response = client.get("/graphql/", {"query": '{ party(slug: "a\\ud800") { slug } }'})
    assert response.status_code < 500
    message = response.json()["errors"][0]["message"]
    assert "surrogate" in message or "Invalid Unicode escape" in message


def test_nul_in_a_rest_path_or_filter_is_a_4xx(client):
    assert client.get("/api/v1/topics/a%00b/").status_code == 404
    assert problem(client.get("/api/v1/clauses/", {"proposal": "a\x00b"}))["errors"]["proposal"]


def test_permission_is_checked_before_the_record_is_looked_up(client):
    """Anonymous: UNAUTHENTICATED whether or not the slug exists, so nothing is learnt about the records."""
    query = "mutation ($s: String!) { updateClause(slug: $s, version: 1, changes: {}) { slug } }"
    for slug in ("us-28-point-plan-01", "no-such-clause"):
        body = client.post(
            "/graphql/", json.dumps({"query": query, "variables": {"s": slug}}), content_type="application/json"
        ).json()
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
