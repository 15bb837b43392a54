import pytest
from django.test import Client

API = "/api/v1"


class Api:
    """A client for the REST API that checks every answer is JSON of the documented kind."""

    def __init__(self):
        self.client = Client()

    def get(self, path, params=None, **extra):
        response = self.client.get(f"{API}{path}", params or {}, **extra)
        expected = "application/json" if response.status_code < 400 else "application/problem+json"
        assert response.headers["Content-Type"] == expected, response.content[:300]
        return response

    def ok(self, path, params=None):
        response = self.get(path, params)
        assert response.status_code == 200, response.json()
        return response.json()

    def problem(self, path, params=None, status=400, method="get"):
        if method == "get":
            response = self.get(path, params)
        else:
            response = getattr(self.client, method)(f"{API}{path}")
            assert response.headers["Content-Type"] == "application/problem+json"
        body = response.json()
        assert response.status_code == status, body
        assert body["status"] == status
        assert body["type"] == "about:blank"
        assert body["title"] and body["detail"]
        return body

    def slugs(self, path, params=None):
        """The slugs of every result of a list, all pages followed."""
        params = {"page_size": 100, **(params or {})}
        body = self.ok(path, params)
        assert body["count"] <= 100, "use a narrower query"
        return [item["slug"] for item in body["results"]]


@pytest.fixture
def api(db):
    return Api()
