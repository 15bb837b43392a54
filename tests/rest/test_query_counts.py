"""Every list and analysis runs the same number of SQL queries for 1 row as for 50.

Each test first adds 50 records of its own with every relation a representation shows filled in,
and lists only those (the seed dataset stays in the database beside them).
"""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.rest.test_contract_walk import RESOURCES
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
)

N = 50


@pytest.fixture
def qc(db):
    """A small made-up negotiation to hang new records on."""
    negotiation = Negotiation.objects.create(slug="qc-talks", name="Query-count talks")
    party = Party.objects.create(slug="qc-party", name="QC Party", kind="state", aliases=["QCP"])
    source = Source.objects.create(slug="qc-source", kind="news-report", tier="original-reporting", outlet="QC Outlet")
    citation = Citation.objects.create(slug="qc-citation", source=source, locator="para 1")
    proposal = Proposal.objects.create(
        slug="qc-proposal", negotiation=negotiation, title="QC proposal", kind="plan", status="draft"
    )
    return {
        "negotiation": negotiation,
        "party": party,
        "person": Person.objects.create(slug="qc-person", name="QC Person", party=party),
        "source": source,
        "citation": citation,
        "topic": Topic.objects.create(slug="qc-topic", name="QC topic"),
        "proposal": proposal,
        "clause": Clause.objects.create(slug="qc-clause", proposal=proposal, number=1, heading="QC", text="QC"),
    }


def add_topics(w, i):
    Topic.objects.create(slug=f"qc-topic-{i}", name=f"QC topic {i}")


def add_parties(w, i):
    party = Party.objects.create(slug=f"qc-party-{i}", name=f"QC Party {i}", kind="state")
    party.member_of.add(w["party"])
    party.members.add(w["party"])


def add_people(w, i):
    person = Person.objects.create(slug=f"qc-person-{i}", name=f"QC Person {i}", party=w["party"])
    person.citations.add(w["citation"])


def add_sources(w, i):
    Source.objects.create(
        slug=f"qc-source-{i}", kind="analysis", tier="opinion-analysis", outlet="QC Outlet", text="text"
    )


def add_citations(w, i):
    Citation.objects.create(slug=f"qc-citation-{i}", source=w["source"], locator=f"para {i}")


def add_negotiations(w, i):
    negotiation = Negotiation.objects.create(slug=f"qc-talks-{i}", name=f"QC talks {i}")
    PartyRole.objects.create(negotiation=negotiation, party=w["party"], role="mediator")
    negotiation.citations.add(w["citation"])


def add_proposals(w, i):
    proposal = Proposal.objects.create(
        slug=f"qc-proposal-{i}",
        negotiation=w["negotiation"],
        title=f"QC {i}",
        kind="draft",
        status="draft",
        supersedes=w["proposal"],
    )
    proposal.authors.add(w["party"])
    proposal.citations.add(w["citation"])


def add_clauses(w, i):
    clause = Clause.objects.create(slug=f"qc-clause-{i}", proposal=w["proposal"], number=i + 2, heading="h", text="t")
    clause.topics.add(w["topic"])
    clause.citations.add(w["citation"])
    Quantity.objects.create(clause=clause, measure="days", value=i, unit="days")


def add_positions(w, i):
    position = Position.objects.create(
        slug=f"qc-position-{i}",
        holder=w["party"],
        proposal=w["proposal"],
        clause=w["clause"],
        direction="supports",
        basis="outlet-inference",
        speaker=w["person"],
        date=date(2025, 1, 1) + timedelta(days=i),
        date_precision="day",
        summary="s",
    )
    position.citations.add(w["citation"])


def add_events(w, i):
    event = Event.objects.create(
        slug=f"qc-event-{i}", negotiation=w["negotiation"], kind="talks", title=f"QC {i}", place="Geneva"
    )
    event.people.add(w["person"])
    event.parties.add(w["party"])
    event.proposals.add(w["proposal"])
    event.citations.add(w["citation"])


# Query parameters that list only the records this module adds.
OWN = {
    "topics": {"q": "QC"},
    "parties": {"q": "QC"},
    "people": {"party": "qc-party"},
    "sources": {"outlet": "QC Outlet"},
    "citations": {"source": "qc-source"},
    "negotiations": {"party": "qc-party"},
    "proposals": {"negotiation": "qc-talks"},
    "clauses": {"proposal": "qc-proposal"},
    "positions": {"holder": "qc-party"},
    "events": {"negotiation": "qc-talks"},
}

ADD = {
    "topics": add_topics,
    "parties": add_parties,
    "people": add_people,
    "sources": add_sources,
    "citations": add_citations,
    "negotiations": add_negotiations,
    "proposals": add_proposals,
    "clauses": add_clauses,
    "positions": add_positions,
    "events": add_events,
}


def queries_for(api, path, params=None):
    cache.clear()  # counted from nothing: a list's count is kept per data version (api/counts.py)
    with CaptureQueriesContext(connection) as captured:
        body = api.ok(path, params)
    return len(captured), body


@pytest.mark.parametrize("resource", ADD)
def test_list_runs_the_same_queries_for_1_and_50_rows(api, qc, resource):
    for i in range(N):
        ADD[resource](qc, i)
    one, body_one = queries_for(api, f"/{resource}/", {**OWN[resource], "page_size": 1})
    fifty, body_fifty = queries_for(api, f"/{resource}/", {**OWN[resource], "page_size": N})
    assert (len(body_one["results"]), len(body_fifty["results"])) == (1, N)
    assert all(item["slug"].startswith("qc-") for item in body_fifty["results"])
    assert one == fifty


@pytest.mark.parametrize(
    ("resource", "params"),
    [
        ("clauses", {"topic": "qc-topic", "direction": "supports", "party": "qc-party", "q": "h"}),
        ("positions", {"holder": "qc-party", "current": "false", "date_after": "2025-01-01", "ordering": "-date"}),
        ("events", {"participant": "qc-person", "kind": "talks", "proposal": "qc-proposal"}),
    ],
)
def test_filtered_lists_run_the_same_queries_for_1_and_50_rows(api, qc, resource, params):
    for i in range(N + 1):  # one more: the latest position is current, the other 50 are not
        ADD[resource](qc, i)
    if resource == "clauses":
        for clause in Clause.objects.filter(slug__startswith="qc-clause-"):
            Position.objects.create(
                slug=f"qc-stance-{clause.slug}",
                holder=qc["party"],
                proposal=qc["proposal"],
                clause=clause,
                direction="supports",
                basis="outlet-inference",
                summary="s",
            )
    one, _ = queries_for(api, f"/{resource}/", {**params, "page_size": 1})
    fifty, body = queries_for(api, f"/{resource}/", {**params, "page_size": N})
    assert len(body["results"]) == N
    assert all(item["slug"].startswith("qc-") for item in body["results"])
    assert one == fifty


def grow(qc, size):
    """A proposal with ``size`` clauses, each derived from a clause of an earlier draft and with two positions."""
    earlier = Proposal.objects.create(
        slug=f"qc-earlier-{size}",
        negotiation=qc["negotiation"],
        title="earlier",
        kind="draft",
        status="draft",
        date=date(2024, 1, 1),
        date_precision="day",
    )
    later = Proposal.objects.create(
        slug=f"qc-later-{size}",
        negotiation=qc["negotiation"],
        title="later",
        kind="draft",
        status="draft",
        date=date(2024, 2, 1),
        date_precision="day",
    )
    first = None
    for i in range(size):
        old = Clause.objects.create(slug=f"qc-old-{size}-{i}", proposal=earlier, number=i + 1, heading="o", text="o")
        new = Clause.objects.create(slug=f"qc-new-{size}-{i}", proposal=later, number=i + 1, heading="n", text="n")
        first = first or old
        Quantity.objects.create(clause=old, measure="days", value=1, unit="days")
        Quantity.objects.create(clause=new, measure="days", value=2, unit="days")
        ClauseLineage.objects.create(clause=new, derived_from=old, change="amended").citations.add(qc["citation"])
        party = Party.objects.create(slug=f"qc-party-{size}-{i}", name=f"QC party {size}-{i}", kind="state")
        Position.objects.create(  # every party's direction on the first clause: the history grows
            slug=f"qc-first-{size}-{i}",
            holder=party,
            proposal=earlier,
            clause=first,
            direction="accepts",
            basis="outlet-inference",
            summary="s",
        ).citations.add(qc["citation"])
        for day, direction in ((1, "supports"), (2, "opposes")):
            position = Position.objects.create(
                slug=f"qc-pos-{size}-{i}-{day}",
                holder=qc["party"],
                proposal=later,
                clause=new,
                direction=direction,
                basis="outlet-inference",
                speaker=qc["person"],
                date=date(2024, 3, day),
                date_precision="day",
                summary="s",
            )
            position.citations.add(qc["citation"])
        Event.objects.create(
            slug=f"qc-ev-{size}-{i}", negotiation=qc["negotiation"], kind="talks", title="t"
        ).people.add(qc["person"])
    return earlier, later


def test_analyses_run_the_same_queries_whatever_the_size(api, qc):
    counts = {}
    for size in (1, N):
        earlier, later = grow(qc, size)
        history_of = Clause.objects.get(slug=f"qc-old-{size}-0")
        counts[size] = [
            queries_for(api, f"/proposals/{later.slug}/diff/", {"against": earlier.slug})[0],
            queries_for(api, f"/proposals/{later.slug}/stance-matrix/")[0],
            queries_for(api, f"/clauses/{history_of.slug}/history/")[0],
            queries_for(api, f"/negotiations/{qc['negotiation'].slug}/timeline/")[0],
        ]
    assert counts[1] == counts[N]


def test_the_analyses_grew_with_the_data(api, qc):
    """The check above compares like with like: the big answers really are big."""
    earlier, later = grow(qc, N)
    diff = api.ok(f"/proposals/{later.slug}/diff/", {"against": earlier.slug})
    assert len(diff["changes"]) >= N
    matrix = api.ok(f"/proposals/{later.slug}/stance-matrix/")
    assert sum(len(cell["positions"]) for cell in matrix["rows"][0]["cells"]) == N
    history = api.ok(f"/clauses/qc-old-{N}-0/history/")
    assert len(history["stances"]) > N
    timeline = api.ok(f"/negotiations/{qc['negotiation'].slug}/timeline/")
    assert len(timeline["entries"]) > N


def test_a_lists_count_is_counted_once_per_data_version(api, qc):
    for i in range(3):
        ADD["topics"](qc, i)
    first, body = queries_for(api, "/topics/", {"page_size": 1})
    with CaptureQueriesContext(connection) as second_page:
        again = api.ok("/topics/", {"page_size": 1, "page": 2})
    assert len(second_page) == first - 1  # the count came from the cache
    assert again["count"] == body["count"]
    ADD["topics"](qc, 3)  # a write: a new data version, so a new count
    with CaptureQueriesContext(connection) as after_write:
        body = api.ok("/topics/", {"page_size": 1, "page": 3})
    assert len(after_write) == first
    assert body["count"] == again["count"] + 1


@pytest.mark.parametrize(("prefix", "model"), RESOURCES.items())
def test_an_unfiltered_lists_count_reads_its_own_table_alone(api, prefix, model):
    """The page's order may come from another table (a clause's proposal date), the count never does: an inner
    join kept in a count reads every related row too."""
    with CaptureQueriesContext(connection) as captured:
        queries_for(api, f"/{prefix}/", {"page_size": 1})
    counts = [query["sql"] for query in captured if query["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1
    assert connection.ops.quote_name(model._meta.db_table) in counts[0]
    assert " JOIN " not in counts[0]
