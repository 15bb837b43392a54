"""Free-text search finds what a reader types: through the names and aliases of the records a record is tied
to, through the quotes of its citations, and (on PostgreSQL) through a misspelt name. Records of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.graphql.conftest import post
from treaty import models, queries

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="relevance ranking")
def test_a_ranked_page_reads_the_ids_of_its_matches_then_only_its_own_records(client, world):
    """Relevance is computed for every match, so the ranking reads ids alone; only the page's records are joined
    to their holder, clause and the rest. The rows keep the rank order, page after page."""
    for slug, summary in [("once", "Zembla once."), ("twice", "Zembla, and Zembla again."), ("not", "Elsewhere.")]:
        models.Position.objects.create(
            slug=f"quorvath-{slug}",
            holder=world["position"].holder,
            proposal=world["position"].proposal,
            direction="opposes",
            basis="on-record",
            summary=summary,
        )
    ranked = list(queries.search(models.Position.objects.all(), "Zembla").values_list("slug", flat=True))
    assert ranked == ["quorvath-twice", "quorvath-once"]
    table = connection.ops.quote_name("treaty_position")
    pages = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/positions/", {"q": "Zembla", "page_size": 1, "page": page})
        assert response.status_code == 200
        pages += [row["slug"] for row in response.json()["results"]]
        ranking = [query["sql"] for query in captured if "ts_rank" in query["sql"]]
        assert len(ranking) == 1
        assert ranking[0].startswith(f"SELECT {table}.{connection.ops.quote_name('id')} AS ")
        assert " JOIN " not in ranking[0].split(" WHERE ")[0]
        records = [
            query["sql"]
            for query in captured
            if query["sql"].startswith(f"SELECT {table}.") and " JOIN " in query["sql"]
        ]
        assert len(records) == 1 and "ts_rank" not in records[0]
    assert pages == ranked
