"""Free-text search finds what a reader types: through the names and aliases of the records a record is tied
to, through the quotes of its citations, and (on PostgreSQL) through a misspelt name. Records of its own."""

import pytest
from django.core.cache import cache
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="relevance ranking")
@pytest.mark.parametrize("keep_counts", [True, False], ids=["counts-kept", "counts-not-kept"])
def test_a_ranked_page_counts_its_matches_in_the_statement_that_ranks_them(client, world, settings, keep_counts):
    """Ranking reads every match, so a window counts them on the way: one statement searches, not a second
    count that reads the matches all again. A count kept from an earlier page is used instead. A page past the
    last is still a 404 that names the last page."""
    settings.COUNT_CACHE_SECONDS = 3600 if keep_counts else 0
    found = ordered_world(world)
    for page, rows in [(1, 2), (2, 1)]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/positions/", {"q": "Zembla", "page_size": 2, "page": page})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(found) and len(body["results"]) == rows
        assert (body["next"] is None) == (page == 2)
        searching = [query["sql"] for query in captured if "websearch_to_tsquery" in query["sql"]]
        assert len(searching) == 1, searching
        assert (" OVER ()" in searching[0]) == (page == 1 or not keep_counts)
    response = client.get("/api/v1/positions/", {"q": "Zembla", "page_size": 2, "page": 3})
    assert response.status_code == 404
    assert response.json()["detail"] == "Page 3 is past the last page, 2."
    assert client.get("/api/v1/positions/", {"q": "Zzyzxq"}).json()["count"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="relevance ranking")
def test_a_ranked_graphql_page_counts_its_matches_in_the_statement_that_reads_it(client, world):
    """As in REST: totalCount comes from a window over the ranked matches, then from the count kept for the list;
    the pages keep REST's rank order."""
    found = ordered_world(world)
    ranked = [row["slug"] for row in client.get("/api/v1/positions/", {"q": "Zembla"}).json()["results"]]
    query = (
        'query ($offset: Int!) { positionList(filters: {q: "Zembla"}, pagination: {offset: $offset, limit: 2}) '
        "{ totalCount results { slug } } }"
    )
    cache.clear()  # nothing kept: the REST request above kept a count of its own list
    pages = []
    for offset, rows in [(0, 2), (2, 1)]:
        with CaptureQueriesContext(connection) as captured:
            body = post(client, query, {"offset": offset}).json()
        assert "errors" not in body, body
        page = body["data"]["positionList"]
        assert page["totalCount"] == len(found) and len(page["results"]) == rows
        pages += [row["slug"] for row in page["results"]]
        searching = [statement["sql"] for statement in captured if "websearch_to_tsquery" in statement["sql"]]
        assert len(searching) == 1, searching
        assert (" OVER ()" in searching[0]) == (offset == 0)
    assert pages == ranked
    assert post(client, query, {"offset": 10}).json()["data"]["positionList"] == {"totalCount": 3, "results": []}


def ordered_world(world):
    """Positions found in three ways (their own summary, their speaker's name, a quote they cite), and one not."""
    base = {"holder": world["position"].holder, "proposal": world["position"].proposal, "basis": "on-record"}
    made = [
        models.Position.objects.create(slug="zembla-own", direction="opposes", summary="Zembla stays.", **base),
        models.Position.objects.create(slug="zembla-named", direction="supports", summary="No.", **base),
        models.Position.objects.create(slug="zembla-quoted", direction="accepts", summary="Maybe.", **base),
        models.Position.objects.create(slug="zembla-not", direction="rejects", summary="Elsewhere.", **base),
    ]
    made[1].speaker = models.Person.objects.create(slug="zembla-envoy", name="Envoy of Zembla")
    made[1].save()
    source = models.Source.objects.create(
        slug="zembla-wire", kind="news-report", tier="original-reporting", outlet="Wire", text="Zembla will wait."
    )
    made[2].citations.add(models.Citation.objects.create(slug="zembla-wait", source=source, quote="Zembla will wait"))
    return ["zembla-own", "zembla-named", "zembla-quoted"]


@pytest.mark.parametrize("ordering", ["direction", "-direction", "slug", "-slug"])
def test_a_search_in_a_declared_order_finds_what_the_ranked_search_finds_in_that_order(client, world, ordering):
    """With an ordering, the matches are the same (found in any of the ways) and come in that order; REST and
    GraphQL alike."""
    found = ordered_world(world)
    ranked = set(rest_slugs(client, "positions", "Zembla"))
    assert ranked == set(found)
    key = ordering.removeprefix("-")
    expected = [
        position.slug
        for position in sorted(
            models.Position.objects.filter(slug__in=found),
            key=lambda position: (getattr(position, key), position.pk),
            reverse=ordering.startswith("-"),
        )
    ]
    response = client.get("/api/v1/positions/", {"q": "Zembla", "ordering": ordering, "page_size": 100})
    assert response.status_code == 200, response.content
    assert [row["slug"] for row in response.json()["results"]] == expected
    assert response.json()["count"] == len(found)
    direction = "DESC" if ordering.startswith("-") else "ASC"
    query = (
        "query ($q: String!) { positionList(filters: {q: $q}, ordering: [{" + key + ": " + direction + "}], "
        "pagination: {limit: 100}) { totalCount results { slug } } }"
    )
    body = post(client, query, {"q": "Zembla"}).json()
    assert "errors" not in body, body
    assert [row["slug"] for row in body["data"]["positionList"]["results"]] == expected
    assert body["data"]["positionList"]["totalCount"] == len(found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.parametrize("ask", ["rest", "graphql"])
def test_a_search_in_a_declared_order_tests_each_way_of_being_found_apart(client, world, ask):
    """Ordered, not ranked: each way of being found is its own subquery, never their union, which PostgreSQL may
    join to every row it reads in the order's index (at 10,000x the seed: past the statement timeout)."""
    ordered_world(world)
    with CaptureQueriesContext(connection) as captured:
        if ask == "rest":
            assert client.get("/api/v1/positions/", {"q": "Zembla", "ordering": "-date"}).status_code == 200
        else:
            query = '{ positionList(filters: {q: "Zembla"}, ordering: [{date: DESC}]) { results { slug } } }'
            assert "errors" not in post(client, query).json()
    searching = [query["sql"] for query in captured if "websearch_to_tsquery" in query["sql"]]
    assert searching
    assert all(" UNION " not in sql and "ts_rank" not in sql for sql in searching), searching
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/positions/", {"q": "Zembla"}).status_code == 200
    assert any(" UNION " in query["sql"] for query in captured)  # ranked: every match is read, through the union
