"""Each GraphQL ordering field, both ways, orders as REST does: by the field, ties in creation order."""

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
def test_ordering_by_each_field(gql, model, field, direction):
    list_field = LISTS[model]
    data = gql(
        f"{{ {list_field}(ordering: [{{{field}: {direction}}}], pagination: {{limit: 100}}) {{ results {{ slug }} }} }}"
    )
    column = F(snake(field))
    expected = model.objects.order_by(column.asc() if direction == "ASC" else column.desc(), "pk")
    assert [row["slug"] for row in data[list_field]["results"]] == list(expected.values_list("slug", flat=True)[:100])


def test_ordering_by_several_fields_in_turn(gql):
    data = gql(
        "{ clauseList(ordering: [{heading: ASC}, {number: DESC}], pagination: {limit: 100}) { results { slug } } }"
    )
    expected = models.Clause.objects.order_by("heading", F("number").desc(), "pk").values_list("slug", flat=True)
    assert [row["slug"] for row in data["clauseList"]["results"]] == list(expected[:100])


def test_without_ordering_a_list_keeps_the_default_order(gql):
    data = gql("{ positionList(pagination: {limit: 100}) { results { slug } } }")
    expected = models.Position.objects.values_list("slug", flat=True)  # Meta.ordering: date, slug
    assert [row["slug"] for row in data["positionList"]["results"]] == list(expected[:100])


def test_one_field_per_ordering_element(gql_errors):
    (message,) = gql_errors("{ clauseList(ordering: [{heading: ASC, number: DESC}]) { totalCount } }")
    assert "must specify exactly one key" in message


def test_nested_lists_take_an_ordering(gql):
    data = gql('{ proposal(slug: "us-28-point-plan") { clauses(ordering: [{number: DESC}]) { number } } }')
    assert [c["number"] for c in data["proposal"]["clauses"]] == list(range(28, 0, -1))
