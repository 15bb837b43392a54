"""REST answers are rendered by orjson (api/rest/renderers.py) to exactly the bytes DRF's own JSONRenderer
gives, and links built once per request (api/rest/serializers/fields.py) are the URLs reverse() gives."""

import threading

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.rest import serializers
from api.rest.renderers import FastJSONRenderer
from api.rest.serializers.shared import represent
from treaty.models import Citation, Clause, Position, Proposal

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


# Representations come from one serializer per class, shared by every request (api/rest/serializers/shared.py).

SHARED_READERS = [
    (serializers.ClauseSerializer, Clause, True),
    (serializers.ClauseDetailSerializer, Clause, False),
    (serializers.PositionSerializer, Position, True),
    (serializers.PositionDetailSerializer, Position, False),
    (serializers.ProposalDetailSerializer, Proposal, False),
    (serializers.CitationDetailSerializer, Citation, False),
]


def context_for(host: str) -> dict:
    return {"request": Request(APIRequestFactory().get("/", HTTP_HOST=host))}


@pytest.mark.parametrize("serializer_class,model,many", SHARED_READERS)
def test_a_shared_serializer_gives_what_a_new_one_gives(db, serializer_class, model, many):
    records = serializer_class.load(model.objects.all())
    context = context_for("testserver")
    if many:
        assert (
            represent(serializer_class, records, context, many=True)
            == serializer_class(records, many=True, context=context).data
        )
    else:
        for record in records:
            assert represent(serializer_class, record, context) == serializer_class(record, context=context).data


def test_each_thread_sees_its_own_request_in_a_shared_serializer(db, settings):
    """Two threads represent records at once, each for its own host: every link names the host of its thread."""
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    records = list(serializers.ClauseSerializer.load(Clause.objects.all()))
    start = threading.Barrier(2)
    found = {}

    def work(host):
        start.wait()
        found[host] = {
            item["url"].split("/")[2]
            for _ in range(20)
            for item in represent(serializers.ClauseSerializer, records, context_for(host), many=True)
        }

    threads = [threading.Thread(target=work, args=(host,)) for host in settings.ALLOWED_HOSTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {"one.example": {"one.example"}, "two.example": {"two.example"}}


def test_links_follow_the_host_of_each_request(client, db, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    for host in ["one.example", "two.example", "one.example"]:
        clause = client.get("/api/v1/clauses/us-28-point-plan-06/", headers={"host": host}).json()
        assert clause["url"] == f"http://{host}/api/v1/clauses/us-28-point-plan-06/"
        assert all(citation["url"].startswith(f"http://{host}/") for citation in clause["citations"])
