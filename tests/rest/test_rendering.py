"""REST answers are rendered by orjson (api/rest/renderers.py) to exactly the bytes DRF's own JSONRenderer
gives, and links built once per request (api/rest/serializers/fields.py) are the URLs reverse() gives."""

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from api.rest.renderers import FastJSONRenderer
from treaty.models import Clause, Position, Proposal

PATHS = [
    "/api/v1/",
    "/api/v1/clauses/?page_size=100",
    "/api/v1/positions/?page_size=100",
    "/api/v1/events/?page_size=100",
    "/api/v1/proposals/",
    "/api/v1/parties/",
    "/api/v1/people/",
    "/api/v1/sources/",
    "/api/v1/citations/?page_size=100",
    "/api/v1/negotiations/",
    "/api/v1/topics/",
    "/api/v1/clauses/us-28-point-plan-06/",
    "/api/v1/proposals/us-28-point-plan/",
    "/api/v1/proposals/us-28-point-plan/stance-matrix/",
    "/api/v1/clauses/?page=999",  # an error: problem details
]


@pytest.mark.parametrize("path", PATHS)
def test_the_bytes_are_those_of_drfs_renderer(client, db, path):
    response = client.get(path)
    assert response.content == JSONRenderer().render(response.data)
    assert response.content.startswith((b"{", b"["))


def test_characters_that_break_javascript_strings_are_escaped():
    data = {"text": "line\u2028separator\u2029and “quotes” é", "n": [1, 2.5, None, True]}
    rendered = FastJSONRenderer().render(data)
    assert rendered == JSONRenderer().render(data)
    assert b"\\u2028" in rendered and "é".encode() in rendered


def test_indentation_is_still_honoured():
    rendered = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert rendered == b'{\n  "a": [\n    1\n  ]\n}'


def test_links_are_the_urls_reverse_gives(client, db):
    body = client.get("/api/v1/clauses/?page_size=100").json()
    clauses = {clause.slug: clause for clause in Clause.objects.all()}
    assert body["results"]
    for item in body["results"]:
        assert item["url"] == "http://testserver" + reverse("v1:clause-detail", kwargs={"slug": item["slug"]})
        assert item["slug"] in clauses
    detail = client.get("/api/v1/proposals/us-28-point-plan/").json()
    proposal = Proposal.objects.get(slug="us-28-point-plan")
    assert detail["url"] == "http://testserver" + reverse("v1:proposal-detail", kwargs={"slug": proposal.slug})
    position = Position.objects.filter(clause__isnull=False).first()
    answer = client.get(reverse("v1:position-detail", kwargs={"slug": position.slug})).json()
    assert answer["clause"]["url"].endswith(f"/api/v1/clauses/{position.clause.slug}/")
