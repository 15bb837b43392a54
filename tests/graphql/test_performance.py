"""Queries run a constant number of SQL queries whatever the number of rows (the optimizer is on)."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from strawberry.types.base import StrawberryList, StrawberryOptional

from api.graphql import types
from api.graphql.schema import Query
from tests.graphql.conftest import post
from treaty import models

pytestmark = pytest.mark.django_db

NESTED = """
query ($limit: Int!) {
  proposalList(filters: {negotiation: "perf-negotiation"}, pagination: {limit: $limit}, ordering: [{slug: ASC}]) {
    totalCount
    results {
      slug
      title
      clauses(pagination: {limit: 5}) {
        slug
        number
        positions(pagination: {limit: 5}) {
          direction
          date
          holder { slug name }
          citations(pagination: {limit: 5}) { slug quote source { slug } }
        }
      }
    }
  }
}
"""


def count_queries(client, query, variables):
    cache.clear()  # counted from nothing: a list's totalCount is kept per data version (api/counts.py)
    with CaptureQueriesContext(connection) as captured:
        response = post(client, query, variables)
    body = response.json()
    assert "errors" not in body, body["errors"]
    return len(captured), body["data"]


@pytest.fixture
def fifty_proposals():
    """50 proposals of a negotiation of their own, each with 2 clauses, each with 2 positions citing a passage."""
    negotiation = models.Negotiation.objects.create(slug="perf-negotiation", name="Performance negotiation")
    parties = [
        models.Party.objects.create(slug=f"perf-party-{i}", name=f"Perf party {i}", kind="state") for i in (1, 2)
    ]
    source = models.Source.objects.create(
        slug="perf-source", kind="news-report", tier="original-reporting", outlet="Perf", text="a b c"
    )
    proposals = models.Proposal.objects.bulk_create(
        models.Proposal(slug=f"aaa-perf-{i:02}", negotiation=negotiation, title=f"P{i}", kind="plan", status="draft")
        for i in range(50)
    )
    clauses = models.Clause.objects.bulk_create(
        models.Clause(slug=f"{p.slug}-{n}", proposal=p, number=n, heading="H", text="T")
        for p in proposals
        for n in (1, 2)
    )
    positions = models.Position.objects.bulk_create(
        models.Position(
            slug=f"{c.slug}-{party.slug}",
            holder=party,
            proposal=c.proposal,
            clause=c,
            direction="supports",
            basis="outlet-inference",
            summary="S",
        )
        for c in clauses
        for party in parties
    )
    citations = models.Citation.objects.bulk_create(
        models.Citation(slug=f"cite-{p.slug}", source=source, quote="b", start=2, end=3) for p in positions
    )
    models.Position.citations.through.objects.bulk_create(
        models.Position.citations.through(position_id=p.pk, citation_id=c.pk)
        for p, c in zip(positions, citations, strict=True)
    )


def test_three_level_nested_list_runs_the_same_queries_for_1_and_50_proposals(client, fifty_proposals):
    one, data_one = count_queries(client, NESTED, {"limit": 1})
    fifty, data_fifty = count_queries(client, NESTED, {"limit": 50})

    results = data_fifty["proposalList"]["results"]
    assert len(data_one["proposalList"]["results"]) == 1
    assert len(results) == 50
    # Every level is really there: 50 proposals, 2 clauses each, 2 positions each, each with its party and citation.
    assert all(len(p["clauses"]) == 2 and all(len(c["positions"]) == 2 for c in p["clauses"]) for p in results)
    assert results[0]["clauses"][0]["positions"][0]["citations"][0]["source"]["slug"] == "perf-source"
    assert one == fifty
    # the negotiation's slug checked, count, proposals, clauses, positions with their parties, citations with sources
    assert fifty == 6


def _selection(strawberry_type, depth: int) -> str:
    """Every field of a type, and (to ``depth``) every field of its related types; analyses' arguments aside.
    Nested lists ask for pages of 5, so the query stays within the cost limit."""
    parts = []
    for field in strawberry_type.__strawberry_definition__.fields:
        name = field.graphql_name or _camel(field.python_name)
        inner = field.type
        is_list = False
        while isinstance(inner, StrawberryOptional | StrawberryList):
            is_list = is_list or isinstance(inner, StrawberryList)
            inner = inner.of_type
        if hasattr(inner, "__strawberry_django_definition__") or (
            hasattr(inner, "__strawberry_definition__") and not hasattr(inner, "_enum_definition")
        ):
            if depth:
                page = "(pagination: {limit: 5})" if is_list else ""
                parts.append(f"{name}{page} {{ {_selection(inner, depth - 1)} }}")
        else:
            parts.append(name)
    return " ".join(parts) or "__typename"


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


@pytest.fixture
def second_negotiation(world):
    """A second negotiation beside the made-up one (tests/factories.py), sharing a party, so every list has 2 rows."""
    negotiation = models.Negotiation.objects.create(slug="second", name="Second negotiation")
    models.PartyRole.objects.create(negotiation=negotiation, party=world.parties["northland"], role="mediator")
    negotiation.citations.add(world.citations["column"])
    models.Event.objects.create(slug="second-event", negotiation=negotiation, kind="talks", title="Talks").people.add(
        world.people["anna-norberg"]
    )
    second = models.Assessment.objects.create(  # as complete as the world's own, so both rows fetch alike
        slug="second-assessment",
        assessor_description="A columnist",
        about=world.parties["southland"],
        proposal=world.framework,
        clause=world.clauses["framework-1"],
        summary="S",
    )
    second.citations.add(world.citations["column"])
    conflict = models.Conflict.objects.create(slug="second-conflict", negotiation=world.negotiation, summary="S")
    models.ConflictClaim.objects.create(slug="second-claim", conflict=conflict, claim="C")
    return world


LIST_FIELDS = sorted(f.python_name for f in Query.__strawberry_definition__.fields if f.python_name.endswith("_list"))


@pytest.mark.parametrize("list_field", LIST_FIELDS)
def test_every_list_runs_the_same_queries_for_1_row_and_for_all(client, list_field, second_negotiation):
    """Each list with all its fields and its relations' fields: no query per row."""
    world = second_negotiation
    filters = world.graphql_filter(_camel(list_field).removesuffix("List"))
    field = next(f for f in Query.__strawberry_definition__.fields if f.python_name == list_field)
    node_type = field.type.__strawberry_definition__.type_var_map  # OffsetPaginated[XType]
    (item_type,) = node_type.values()
    query = f"""query ($limit: Int!) {{
      {_camel(list_field)}(filters: {filters}, pagination: {{limit: $limit}}) {{
        totalCount results {{ {_selection(item_type, 1)} }}
      }}
    }}"""
    one, _ = count_queries(client, query, {"limit": 1})
    every, data = count_queries(client, query, {"limit": 100})
    rows = data[_camel(list_field)]["results"]
    assert len(rows) >= 2, f"{list_field}: the test needs at least two rows to show a query per row"
    assert len(rows) == data[_camel(list_field)]["totalCount"] < 100, "only the test's own records"
    assert one == every


def test_every_model_has_a_type_and_a_list():
    typed = {
        t.__strawberry_django_definition__.model
        for t in vars(types).values()
        if hasattr(t, "__strawberry_django_definition__")
    }
    # The audit history's models (HistoricalClause…) are read through each type's `revisions` field instead.
    curated = {m for m in apps.get_app_config("treaty").get_models() if not m.__name__.startswith("Historical")}
    assert typed == curated
    assert len(LIST_FIELDS) == len(typed)


def test_a_lists_total_count_is_counted_once_per_data_version(client, db):
    """As REST's count (api/counts.py): the later pages of a list take totalCount from the shared cache, and a
    write makes the next page count again."""
    for i in range(3):
        models.Topic.objects.create(slug=f"kept-{i}", name=f"Kept {i}")
    query = "query ($at: Int!) { topicList(pagination: {offset: $at, limit: 1}) { totalCount results { slug } } }"
    counted, totals = [], []
    for offset in (0, 1, 2):
        if offset == 2:
            models.Topic.objects.create(slug="kept-3", name="Kept 3")
        with CaptureQueriesContext(connection) as captured:
            body = post(client, query, {"at": offset}).json()
        assert "errors" not in body, body
        totals.append(body["data"]["topicList"]["totalCount"])
        counted.append(sum(statement["sql"].startswith("SELECT COUNT(") for statement in captured))
    assert counted == [1, 0, 1]
    assert totals[1] == totals[0] == models.Topic.objects.count() - 1
    assert totals[2] == totals[0] + 1
