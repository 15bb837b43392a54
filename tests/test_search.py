"""Free-text search finds what a reader types: through the names and aliases of the records a record is tied
to, through the quotes of its citations, and (on PostgreSQL) through a misspelt name. Records of its own."""

import pytest
from django.db import connection

from tests.graphql.conftest import post
from treaty import models

pytestmark = pytest.mark.django_db

SOURCE_TEXT = "The envoy said the militia of Quorvath would be disbanded within a season."


@pytest.fixture
def world():
    party = models.Party.objects.create(slug="quorvath", name="Quorvath", kind="state", aliases=["Kworvat"])
    speaker = models.Person.objects.create(
        slug="ilsabet-marrow", name="Ilsabet Marrow", party=party, aliases=["Ilsabeth Marow"]
    )
    source = models.Source.objects.create(
        slug="quorvath-gazette", kind="news-report", tier="original-reporting", outlet="Gazette", text=SOURCE_TEXT
    )
    citation = models.Citation.objects.create(
        slug="quorvath-militia", source=source, quote="the militia of Quorvath would be disbanded"
    )
    negotiation = models.Negotiation.objects.create(slug="quorvath-talks", name="Quorvath talks")
    proposal = models.Proposal.objects.create(
        slug="quorvath-plan", negotiation=negotiation, title="Quorvath plan", kind="plan", status="presented"
    )
    clause = models.Clause.objects.create(
        slug="quorvath-plan-01", proposal=proposal, number=1, heading="Armed groups", text="Irregular forces end."
    )
    clause.citations.add(citation)
    position = models.Position.objects.create(
        slug="quorvath-supports-disbanding",
        holder=party,
        proposal=proposal,
        clause=clause,
        direction="supports",
        basis="on-record",
        speaker=speaker,
        summary="For ending the irregular forces.",
    )
    event = models.Event.objects.create(slug="quorvath-summit", negotiation=negotiation, kind="summit", title="Summit")
    event.people.add(speaker)
    return {"clause": clause, "position": position, "event": event, "speaker": speaker}


def rest_slugs(client, resource: str, q: str) -> set[str]:
    response = client.get(f"/api/v1/{resource}/", {"q": q, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def graphql_slugs(client, list_field: str, q: str) -> set[str]:
    query = (
        "query ($q: String!) { " + list_field + "(filters: {q: $q}, pagination: {limit: 100}) { results { slug } } }"
    )
    body = post(client, query, {"q": q}).json()
    assert "errors" not in body, body
    return {row["slug"] for row in body["data"][list_field]["results"]}


@pytest.mark.parametrize("find", [rest_slugs, graphql_slugs], ids=["rest", "graphql"])
def test_a_speakers_alias_finds_the_positions_they_stated(client, world, find):
    resource = "positions" if find is rest_slugs else "positionList"
    assert world["position"].slug in find(client, resource, "Ilsabeth Marow")


@pytest.mark.parametrize("find", [rest_slugs, graphql_slugs], ids=["rest", "graphql"])
def test_a_participants_alias_finds_the_event(client, world, find):
    resource = "events" if find is rest_slugs else "eventList"
    assert world["event"].slug in find(client, resource, "Kworvat") | find(client, resource, "Ilsabeth Marow")


@pytest.mark.parametrize("find", [rest_slugs, graphql_slugs], ids=["rest", "graphql"])
def test_a_word_only_in_a_supporting_quote_finds_the_record(client, world, find):
    resource = "clauses" if find is rest_slugs else "clauseList"
    # "militia" is in neither the clause's heading nor its text, only in the quote that supports it.
    assert "militia" not in (world["clause"].heading + world["clause"].text).lower()
    assert world["clause"].slug in find(client, resource, "militia")
    assert world["clause"].slug not in find(client, resource, "xylophone")


def test_a_misspelt_name_finds_the_person_on_postgresql_only(client, world):
    found = rest_slugs(client, "people", "Ilsabett Maro")
    # The README says so: SQLite matches names and aliases by substring only.
    assert (world["speaker"].slug in found) == (connection.vendor == "postgresql")
