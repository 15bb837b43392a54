"""The contract walk: every documented GET, for every record in the database (the seed dataset and the made-up
negotiation of tests/factories.py), answers as the committed openapi/openapi.yaml says (a documented status code
and content type, a body valid against its schema, documented headers), and so do the error answers: an unknown
slug, an unknown or malformed parameter, a page past the last, a missing token.

Schemathesis's checks do the validating (nullable and required fields, enums, formats), against the committed
file rather than the served schema; test_schema shows the two are the same.
"""

import itertools
from pathlib import Path

import pytest
import requests
import schemathesis
from django.conf import settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.rest.urls import router
from treaty.models import Negotiation, Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

COMMITTED = Path(settings.BASE_DIR) / "openapi" / "openapi.yaml"
SCHEMA = schemathesis.openapi.from_path(COMMITTED)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
RESOURCES = {prefix: viewset.queryset.model for prefix, viewset, _ in router.registry}
GETS = [path for path, methods in SCHEMA.raw_schema["paths"].items() if "get" in methods]


class Walk:
    """Sends GETs with Django's test client and validates each answer against the operation it is documented by;
    keeps every failure, so one run lists them all."""

    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []
        self.statuses: list[int] = []

    def get(self, template: str, query: dict | None = None, headers: dict | None = None, **path_parameters):
        path = template.format(**path_parameters)
        response = self.client.get(path, query or {}, headers=headers or {})
        answer = schemathesis.Response(
            status_code=response.status_code,
            headers={name: [value] for name, value in response.headers.items()},
            content=response.content,
            request=requests.Request("GET", f"http://testserver{path}", params=query, headers=headers).prepare(),
            elapsed=0.0,
            verify=True,
        )
        case = SCHEMA[template]["GET"].Case(path_parameters=path_parameters, query=query, headers=headers)
        try:
            case.validate_response(answer, checks=CHECKS)
        except FailureGroup as failure:
            self.failures.append(f"GET {path} {query or ''} → {response.status_code}:\n{failure}")
        self.statuses.append(response.status_code)
        return response

    def assert_clean(self):
        assert not self.failures, f"{len(self.failures)} answers break the contract; the first:\n" + "\n\n".join(
            self.failures[:3]
        )


@pytest.fixture
def walk(client):
    return Walk(client)


def test_every_operation_is_walked():
    """Each documented GET is one this file sends (a new endpoint must join the walk)."""
    walked = {"/api/v1/tokens/"}
    for prefix in RESOURCES:
        walked |= {path for path in GETS if path.startswith(f"/api/v1/{prefix}/")}
    assert set(GETS) == walked
    assert len(GETS) >= 35


@pytest.mark.parametrize("prefix", RESOURCES)
def test_every_record_through_its_list_detail_revisions_and_analyses(walk, prefix):
    model = RESOURCES[prefix]
    slugs = set(model.objects.values_list("slug", flat=True))
    assert slugs, f"no {prefix} to walk"
    # The whole list, page by page.
    listed, page = set(), 1
    while True:
        body = walk.get(f"/api/v1/{prefix}/", {"page": page, "page_size": 100}).json()
        listed |= {item["slug"] for item in body["results"]}
        if not body["next"]:
            break
        page += 1
    assert listed == slugs, "the list shows every record"
    # Each record, through every operation on one record (detail, revisions, analyses).
    per_record = [path for path in GETS if path.startswith(f"/api/v1/{prefix}/{{slug}}/")]
    for slug in sorted(slugs):
        for template in per_record:
            if template.endswith("/diff/"):
                continue  # needs a second proposal: test_every_proposal_diff
            walk.get(template, slug=slug)
    walk.assert_clean()
    assert set(walk.statuses) == {200}
    assert len(walk.statuses) >= len(slugs) * len(per_record) - len(slugs)


def test_every_proposal_diff(walk):
    for negotiation in Negotiation.objects.all():
        slugs = sorted(negotiation.proposals.values_list("slug", flat=True))
        for slug, against in itertools.permutations(slugs, 2):
            walk.get("/api/v1/proposals/{slug}/diff/", {"against": against}, slug=slug)
    walk.assert_clean()
    assert set(walk.statuses) == {200} and len(walk.statuses) >= Proposal.objects.count()


def test_error_answers_match_the_contract(walk):
    for template in GETS:
        if template == "/api/v1/tokens/":
            continue
        if "{slug}" in template:
            walk.get(template, slug="no-such-record")  # 404
            walk.get(template, {"colour": "red"}, slug=walk_slug(template))  # 400: an unknown parameter
        else:
            walk.get(template, {"colour": "red"})  # 400
            walk.get(template, {"page": "x"})  # 400
            walk.get(template, {"page_size": "1000"})  # 400
            walk.get(template, {"page": "9999"})  # 404: past the last page
            walk.get(template, {"ordering": "no-such-field"})  # 400
    walk.get("/api/v1/proposals/{slug}/diff/", slug="us-28-point-plan")  # 400: `against` is required
    walk.get("/api/v1/proposals/{slug}/diff/", {"against": "no-such-proposal"}, slug="us-28-point-plan")  # 404
    walk.get("/api/v1/clauses/", {"q": "x" * 201})  # 400: too long a search
    walk.assert_clean()
    assert set(walk.statuses) == {400, 404}


def test_the_token_list_matches_the_contract(walk, token_for):
    walk.get("/api/v1/tokens/", headers={"Authorization": f"Token {token_for('editor')}"})
    walk.get("/api/v1/tokens/")  # 401
    walk.get("/api/v1/tokens/", headers={"Authorization": "Token not-a-token"})  # 401
    walk.assert_clean()
    assert walk.statuses == [200, 401, 401]


def test_the_walk_notices_a_broken_answer(walk, monkeypatch):
    """The checks can fail: an answer with a field of the wrong type is caught."""
    from api.rest.serializers.records import TopicSerializer

    original = TopicSerializer.to_representation
    monkeypatch.setattr(TopicSerializer, "to_representation", lambda self, obj: original(self, obj) | {"name": 7})
    walk.get("/api/v1/topics/")
    assert len(walk.failures) == 1 and "name" in walk.failures[0]


def walk_slug(template: str) -> str:
    prefix = template.split("/")[3]
    return RESOURCES[prefix].objects.values_list("slug", flat=True).first()
