"""Each GraphQL ordering field, both ways, orders as REST does: by the field, ties in creation order (newest first
after a descending last key)."""

import pytest
from django.db.models import F

from api.graphql.filters import ORDERS
from tests.graphql.test_rest_parity import snake
from treaty import models

pytestmark = pytest.mark.django_db

LISTS = {
    models.Topic: "topicList",
    models.Party: "partyList",
    models.Person: "personList",
    models.Negotiation: "negotiationList",
    models.Source: "sourceList",
    models.Citation: "citationList",
    models.Proposal: "proposalList",
    models.Clause: "clauseList",
    models.Position: "positionList",
    models.Event: "eventList",
    models.NonStoryPassage: "nonStoryPassageList",
}
CASES = [
    (model, field.graphql_name or field.python_name, direction)
    for model, list_field in LISTS.items()
    for field in ORDERS[model].__strawberry_definition__.fields
    for direction in ("ASC", "DESC")
]


@pytest.mark.parametrize(("model", "field", "direction"), CASES, ids=[f"{m.__name__}.{f}.{d}" for m, f, d in CASES])
def test_ordering_by_each_field(gql, world, model, field, direction):
    """On the made-up negotiation's records (tests/factories.py)."""
    list_field = LISTS[model]
    filters = world.graphql_filter(list_field.removesuffix("List"))
    data = gql(
        f"{{ {list_field}(filters: {filters}, ordering: [{{{field}: {direction}}}], pagination: {{limit: 100}}) "
        "{ results { slug } } }"
    )
    column = F(snake(field))
    ascending = world.records(model).order_by(column.asc(), "pk")
    expected = list(ascending.values_list("slug", flat=True))
    if direction == "DESC":  # ties in creation order, newest first: the ascending order reversed
        expected.reverse()
    assert len(expected) > 1 or model is models.Negotiation
    assert [row["slug"] for row in data[list_field]["results"]] == expected


def test_ordering_by_several_fields_in_turn(gql, world):
    filters = world.graphql_filter("clause")
    data = gql(
        f"{{ clauseList(filters: {filters}, ordering: [{{heading: ASC}}, {{number: DESC}}], "
        "pagination: {limit: 100}) { results { slug } } }"
    )
    expected = world.records(models.Clause).order_by("heading", F("number").desc(), "-pk")
    assert [row["slug"] for row in data["clauseList"]["results"]] == list(expected.values_list("slug", flat=True))


def test_without_ordering_a_list_keeps_the_default_order(gql, world):
    filters = world.graphql_filter("position")
    data = gql(f"{{ positionList(filters: {filters}, pagination: {{limit: 100}}) {{ results {{ slug }} }} }}")
    expected = world.records(models.Position).values_list("slug", flat=True)  # Meta.ordering: date, slug
    found = [row["slug"] for row in data["positionList"]["results"]]
    assert found == list(expected)
    assert len(found) == 11


def test_one_field_per_ordering_element(gql_errors):
    (message,) = gql_errors("{ clauseList(ordering: [{heading: ASC, number: DESC}]) { totalCount } }")
    assert "must specify exactly one key" in message


def test_nested_lists_take_an_ordering(gql, world):
    data = gql('{ proposal(slug: "northland-five-point-plan") { clauses(ordering: [{number: DESC}]) { number } } }')
    assert [c["number"] for c in data["proposal"]["clauses"]] == [5, 4, 3, 2, 1]
