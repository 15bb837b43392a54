import pytest

GRAPHQL_URL = "/graphql/"


def post(client, query: str, variables: dict | None = None, **headers):
    body = {"query": query, "variables": variables or {}}
    return client.post(GRAPHQL_URL, body, content_type="application/json", **headers)


@pytest.fixture
def gql(client, db):
    """Runs a query over HTTP and returns its data, failing on any error."""

    def run(query: str, **variables):
        response = post(client, query, variables)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return run


@pytest.fixture
def gql_errors(client, db):
    """Runs a query over HTTP that must fail; returns the error messages."""

    def run(query: str, **variables):
        response = post(client, query, variables)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body.get("errors"), body
        return [error["message"] for error in body["errors"]]

    return run
