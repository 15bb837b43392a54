"""Each GraphQL filter, checked against the seed data with plain ORM queries written independently here."""

from datetime import date

import pytest
from django.db.models import Q

from api.graphql.schema import Query
from tests.graphql.conftest import post
from tests.graphql.test_rest_parity import _camel
from treaty import models, queries, rules

pytestmark = pytest.mark.django_db


def current_position_slugs():
    return {p.slug for p in rules.current_positions(models.Position.objects.all())}


def clauses_with_current_direction(directions, parties=None):
    return {
        p.clause.slug
        for p in rules.current_positions(models.Position.objects.select_related("clause", "holder"))
        if p.clause and p.direction in directions and (parties is None or p.holder.slug in parties)
    }


# (list, filters, the expected records as a queryset or a set of slugs)
CASES = [
    ("partyList", '{name: "emirates"}', lambda: models.Party.objects.filter(slug="united-arab-emirates")),
    ("partyList", "{kind: [BLOC, ALLIANCE]}", lambda: models.Party.objects.filter(kind__in=["bloc", "alliance"])),
    ("partyList", '{negotiation: "russia-ukraine-2025"}', lambda: models.Party.objects.filter(roles__isnull=False)),
    ("partyList", "{role: MEDIATOR}", lambda: models.Party.objects.filter(roles__role="mediator")),
    ("partyRoleList", '{party: "united-states"}', lambda: models.PartyRole.objects.filter(party__slug="united-states")),
    ("partyRoleList", "{role: BELLIGERENT}", lambda: models.PartyRole.objects.filter(role="belligerent")),
    ("partyRoleList", '{negotiation: "russia-ukraine-2025"}', lambda: models.PartyRole.objects.all()),
    ("personList", '{name: "Zelenskiy"}', lambda: models.Person.objects.filter(slug="volodymyr-zelensky")),
    ("personList", '{party: "russia"}', lambda: models.Person.objects.filter(party__slug="russia")),
    (
        "negotiationList",
        '{party: "turkey"}',
        lambda: models.Negotiation.objects.filter(party_roles__party__slug="turkey"),
    ),
    (
        "sourceList",
        '{outlet: "the washington post"}',
        lambda: models.Source.objects.filter(outlet="The Washington Post"),
    ),
    ("sourceList", "{kind: [ANALYSIS]}", lambda: models.Source.objects.filter(kind="analysis")),
    (
        "sourceList",
        '{dateAfter: "2025-11-20"}',
        lambda: models.Source.objects.filter(date_latest__gte=date(2025, 11, 20)),
    ),
    ("sourceList", '{dateBefore: "2025-11-19"}', lambda: models.Source.objects.filter(date__lte=date(2025, 11, 19))),
    ("sourceList", "{hasText: false}", lambda: models.Source.objects.filter(text="")),
    (
        "nonStoryPassageList",
        '{source: "nightly-2025-11-25-key-issues-unresolved"}',
        lambda: models.NonStoryPassage.objects.filter(source__slug="nightly-2025-11-25-key-issues-unresolved"),
    ),
    (
        "citationList",
        '{source: "axios-2025-11-20-28-point-text"}',
        lambda: models.Citation.objects.filter(source__outlet="Axios"),
    ),
    ("proposalList", '{negotiation: "russia-ukraine-2025"}', lambda: models.Proposal.objects.all()),
    (
        "proposalList",
        "{kind: [FRAMEWORK, COUNTERPROPOSAL]}",
        lambda: models.Proposal.objects.filter(kind__in=["framework", "counterproposal"]),
    ),
    ("proposalList", "{status: SUPERSEDED}", lambda: models.Proposal.objects.filter(status="superseded")),
    ("proposalList", "{stage: CEASEFIRE}", lambda: models.Proposal.objects.filter(stage="ceasefire")),
    ("proposalList", '{author: "ukraine"}', lambda: models.Proposal.objects.filter(authors__slug="ukraine")),
    (
        "proposalList",
        '{dateAfter: "2025-11-01", dateBefore: "2025-11-21"}',
        lambda: models.Proposal.objects.filter(date__lte=date(2025, 11, 21), date_latest__gte=date(2025, 11, 1)),
    ),
    ("proposalList", "{textPublished: true}", lambda: models.Proposal.objects.filter(text_published=True)),
    (
        "clauseList",
        '{proposal: "european-counterproposal"}',
        lambda: models.Clause.objects.filter(proposal__slug="european-counterproposal"),
    ),
    ("clauseList", '{negotiation: "russia-ukraine-2025", number: 7}', lambda: models.Clause.objects.filter(number=7)),
    (
        "clauseList",
        '{topic: ["ceasefire", "elections-and-governance"]}',
        lambda: models.Clause.objects.filter(topics__slug__in=["ceasefire", "elections-and-governance"]).distinct(),
    ),
    (
        "clauseList",
        "{state: [CONTESTED, DEFERRED]}",
        lambda: models.Clause.objects.filter(state__in=["contested", "deferred"]),
    ),
    (
        "clauseList",
        '{party: "russia"}',
        lambda: models.Clause.objects.filter(positions__holder__slug="russia").distinct(),
    ),
    ("clauseList", "{direction: [REJECTS]}", lambda: clauses_with_current_direction({"rejects"})),
    (
        "clauseList",
        '{party: "ukraine", direction: [OPPOSES, REJECTS]}',
        lambda: clauses_with_current_direction({"opposes", "rejects"}, {"ukraine"}),
    ),
    (
        "clauseLineageList",
        '{derivedFrom: "us-28-point-plan-06"}',
        lambda: models.ClauseLineage.objects.filter(derived_from__slug="us-28-point-plan-06"),
    ),
    (
        "clauseLineageList",
        '{clause: "european-counterproposal-armed-forces-cap"}',
        lambda: models.ClauseLineage.objects.filter(clause__slug="european-counterproposal-armed-forces-cap"),
    ),
    (
        "quantityList",
        '{measure: "armed-forces-cap"}',
        lambda: models.Quantity.objects.filter(measure="armed-forces-cap"),
    ),
    (
        "quantityList",
        '{clause: "european-counterproposal-armed-forces-cap"}',
        lambda: models.Quantity.objects.filter(clause__slug="european-counterproposal-armed-forces-cap"),
    ),
    (
        "positionList",
        '{holder: ["russia", "united-states"]}',
        lambda: models.Position.objects.filter(holder__slug__in=["russia", "united-states"]),
    ),
    (
        "positionList",
        '{proposal: "us-ukraine-revised-framework"}',
        lambda: models.Position.objects.filter(proposal__slug="us-ukraine-revised-framework"),
    ),
    (
        "positionList",
        '{clause: "us-28-point-plan-07"}',
        lambda: models.Position.objects.filter(clause__slug="us-28-point-plan-07"),
    ),
    ("positionList", "{wholeProposal: true}", lambda: models.Position.objects.filter(clause=None)),
    ("positionList", "{wholeProposal: false}", lambda: models.Position.objects.exclude(clause=None)),
    ("positionList", "{direction: [OPEN_TO]}", lambda: models.Position.objects.filter(direction="open-to")),
    ("positionList", "{firmness: RED_LINE}", lambda: models.Position.objects.filter(firmness="red-line")),
    ("positionList", "{basis: ON_RECORD}", lambda: models.Position.objects.filter(basis="on-record")),
    ("positionList", "{needsReview: true}", lambda: models.Position.objects.filter(needs_review=True)),
    (
        "positionList",
        '{speaker: "volodymyr-zelensky"}',
        lambda: models.Position.objects.filter(speaker__slug="volodymyr-zelensky"),
    ),
    ("positionList", "{current: true}", current_position_slugs),
    (
        "positionList",
        "{current: false}",
        lambda: set(models.Position.objects.values_list("slug", flat=True)) - current_position_slugs(),
    ),
    (
        "positionList",
        '{dateAfter: "2025-11-24"}',
        lambda: models.Position.objects.filter(date_latest__gte=date(2025, 11, 24)),
    ),
    (
        "positionList",
        '{dateBefore: "2025-11-21"}',
        lambda: models.Position.objects.filter(date__lte=date(2025, 11, 21)),
    ),
    ("eventList", '{negotiation: "russia-ukraine-2025"}', lambda: models.Event.objects.all()),
    ("eventList", "{kind: [TALKS, MEETING]}", lambda: models.Event.objects.filter(kind__in=["talks", "meeting"])),
    (
        "eventList",
        '{participant: ["volodymyr-zelensky"]}',
        lambda: models.Event.objects.filter(people__slug="volodymyr-zelensky"),
    ),
    ("eventList", '{participant: ["turkey"]}', lambda: models.Event.objects.filter(parties__slug="turkey")),
    (
        "eventList",
        '{proposal: "us-28-point-plan"}',
        lambda: models.Event.objects.filter(proposals__slug="us-28-point-plan"),
    ),
    (
        "eventList",
        '{dateAfter: "2025-11-23"}',
        lambda: models.Event.objects.filter(
            Q(date_latest__gte=date(2025, 11, 23)) | Q(end_date__gte=date(2025, 11, 23))
        ),
    ),
    ("eventList", '{dateBefore: "2025-11-20"}', lambda: models.Event.objects.filter(date__lte=date(2025, 11, 20))),
]


def _slugs(expected) -> set[str]:
    if isinstance(expected, set):
        return expected
    model = expected.model
    if model is models.PartyRole:
        return {
            f"{r.negotiation.slug}/{r.party.slug}/{r.role}" for r in expected.select_related("negotiation", "party")
        }
    if model is models.ClauseLineage:
        return {
            f"{link.clause.slug}<{link.derived_from.slug}" for link in expected.select_related("clause", "derived_from")
        }
    if model is models.Quantity:
        return {f"{q.clause.slug}/{q.measure}" for q in expected.select_related("clause")}
    return set(expected.values_list("slug", flat=True))


SELECTION = {
    "partyRoleList": "negotiation { slug } party { slug } role",
    "clauseLineageList": "clause { slug } derivedFrom { slug }",
    "quantityList": "clause { slug } measure",
}


def _key(list_field, row) -> str:
    if list_field == "partyRoleList":
        return f"{row['negotiation']['slug']}/{row['party']['slug']}/{row['role'].lower()}"
    if list_field == "clauseLineageList":
        return f"{row['clause']['slug']}<{row['derivedFrom']['slug']}"
    if list_field == "quantityList":
        return f"{row['clause']['slug']}/{row['measure']}"
    return row["slug"]


@pytest.mark.parametrize(("list_field", "filters", "expected"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_filter(gql, list_field, filters, expected):
    selection = SELECTION.get(list_field, "slug")
    data = gql(
        f"{{ {list_field}(filters: {filters}, pagination: {{limit: 100}}) {{ totalCount results {{ {selection} }} }} }}"
    )
    rows = data[list_field]["results"]
    found = [_key(list_field, row) for row in rows]
    expected = _slugs(expected())
    assert expected, "the seed should have records matching this filter"
    assert len(found) == len(set(found)) == data[list_field]["totalCount"], "no duplicates"
    assert set(found) == expected


def test_filters_are_not_all_vacuous(gql):
    # Most filters of CASES leave some records out: the filters really filter.
    narrowed = 0
    for list_field, _filters, expected in CASES:
        model_total = gql(f"{{ {list_field} {{ totalCount }} }}")[list_field]["totalCount"]
        narrowed += len(_slugs(expected())) < model_total
    assert narrowed >= len(CASES) - 5


@pytest.mark.parametrize(
    ("list_field", "text", "expected_slug"),
    [
        ("clauseList", "NATO", "us-28-point-plan-07"),
        ("personList", "Zelenskyy", "volodymyr-zelensky"),
        ("partyList", "Emirates", "united-arab-emirates"),
        ("proposalList", "counterproposal", "european-counterproposal"),
        ("topicList", "ceasefire", "ceasefire"),
        ("citationList", "Driscoll", None),
        ("sourceList", "Geneva", None),
        ("negotiationList", "Ukraine", "russia-ukraine-2025"),
        ("positionList", "NATO", None),
        ("eventList", "Geneva", None),
    ],
)
def test_free_text_search(gql, list_field, text, expected_slug):
    model = {
        "clauseList": models.Clause,
        "personList": models.Person,
        "partyList": models.Party,
        "proposalList": models.Proposal,
        "topicList": models.Topic,
        "citationList": models.Citation,
        "sourceList": models.Source,
        "negotiationList": models.Negotiation,
        "positionList": models.Position,
        "eventList": models.Event,
    }[list_field]
    data = gql(f'{{ {list_field}(filters: {{q: "{text}"}}, pagination: {{limit: 100}}) {{ results {{ slug }} }} }}')
    found = [row["slug"] for row in data[list_field]["results"]]
    # The same function REST calls, in the same (relevance, on PostgreSQL) order.
    assert found == list(queries.search(model.objects.all(), text).values_list("slug", flat=True)[:100])
    assert found and (len(found) < model.objects.count() or model is models.Negotiation)
    if expected_slug:
        assert expected_slug in found


def test_blank_or_nul_search_text_filters_nothing(gql):
    data = gql(
        '{ a: clauseList(filters: {q: "  "}) { totalCount } b: clauseList(filters: {q: "\\u0000"}) { totalCount } }'
    )
    assert data["a"]["totalCount"] == data["b"]["totalCount"] == models.Clause.objects.count()


def test_and_or_not_combine_filters(gql):
    data = gql(
        """{
          either: clauseList(filters: {state: CONTESTED, OR: {state: DEFERRED}}) { totalCount }
          neither: clauseList(filters: {NOT: {state: [CONTESTED, DEFERRED]}}) { totalCount }
        }"""
    )
    contested_or_deferred = models.Clause.objects.filter(state__in=["contested", "deferred"]).count()
    assert data["either"]["totalCount"] == contested_or_deferred > 0
    assert data["neither"]["totalCount"] == models.Clause.objects.count() - contested_or_deferred


def test_nested_lists_take_filters_too(gql):
    data = gql(
        """{ proposal(slug: "us-28-point-plan") {
          clauses(filters: {topic: "territory-and-borders"}) { slug }
          positions(filters: {current: true, holder: "ukraine"}) { slug }
        } }"""
    )["proposal"]
    plan = models.Proposal.objects.get(slug="us-28-point-plan")
    expected_clauses = plan.clauses.filter(topics__slug="territory-and-borders").values_list("slug", flat=True)
    assert {c["slug"] for c in data["clauses"]} == set(expected_clauses) != set()
    expected_positions = current_position_slugs() & set(
        plan.positions.filter(holder__slug="ukraine").values_list("slug", flat=True)
    )
    assert {p["slug"] for p in data["positions"]} == expected_positions != set()


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ('{topic: "no-such-topic"}', "No topic has the slug “no-such-topic”."),
        ('{proposal: ["us-28-point-plan", "nope", "bad slug"]}', "No proposal has the slug “nope”, “bad slug”."),
        ('{party: "\\u0000"}', "No party has the slug “\x00”."),
        ("{number: 0}", "A point number is between 1 and 32767, not 0."),
        ("{number: 40000}", "A point number is between 1 and 32767, not 40000."),
    ],
)
def test_bad_filter_values_are_refused_clearly(gql_errors, filters, message):
    assert gql_errors(f"{{ clauseList(filters: {filters}) {{ totalCount }} }}") == [message]


def test_an_unknown_participant_is_refused_naming_both_kinds(gql_errors):
    messages = gql_errors('{ eventList(filters: {participant: "nobody"}) { totalCount } }')
    assert messages == ["No person or party has the slug “nobody”."]


@pytest.mark.parametrize(
    ("list_field", "filters", "message"),
    [
        ("clauseList", '{direction: "opposes"}', "Enum 'Direction' cannot represent non-enum value"),
        ("clauseList", "{number: 1.5}", "Int cannot represent non-integer value: 1.5"),
        ("positionList", '{dateAfter: "25 November"}', 'Value cannot represent a Date: "25 November".'),
        ("clauseList", "{nope: 1}", "Expected value of type 'ClauseFilter' not to include unknown field 'nope'."),
        ("clauseList", "{state: [NOT_A_STATE]}", "Value 'NOT_A_STATE' does not exist in 'ClauseState' enum."),
    ],
)
def test_ill_typed_filter_values_are_graphql_validation_errors(gql_errors, list_field, filters, message):
    (error,) = gql_errors(f"{{ {list_field}(filters: {filters}) {{ totalCount }} }}")
    assert message in error


def _string_filters():
    """(list field, filter field) for every filter that takes text."""
    cases = []
    for field in Query.__strawberry_definition__.fields:
        if not field.python_name.endswith("_list"):
            continue
        filter_type = next(arg for arg in field.arguments if arg.python_name == "filters").type.of_type
        for filter_field in filter_type.__strawberry_definition__.fields:
            inner = filter_field.type
            while hasattr(inner, "of_type"):  # optional, list
                inner = inner.of_type
            if inner is str:
                cases.append((field.python_name, filter_field.python_name))
    return cases


@pytest.mark.parametrize(("list_field", "filter_name"), _string_filters())
def test_a_nul_character_in_text_is_never_a_server_error(client, list_field, filter_name):
    """PostgreSQL cannot take a NUL character in a query: each filter must refuse or ignore it."""
    query = f'{{ {_camel(list_field)}(filters: {{{_camel(filter_name)}: "a\\u0000b"}}) {{ totalCount }} }}'
    body = post(client, query).json()
    for error in body.get("errors", []):
        assert error.get("extensions") == {"code": "BAD_USER_INPUT"}, error
