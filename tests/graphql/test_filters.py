"""Each GraphQL filter, checked on a made-up negotiation (tests/factories.py) against plain ORM queries written here."""

from datetime import date

import pytest
from django.db.models import Q

from api.graphql.schema import Query
from tests.graphql.conftest import post
from tests.graphql.test_rest_parity import _camel
from treaty import models, queries, rules

pytestmark = pytest.mark.django_db


TALKS = "northland-southland-talks"
PLAN = "northland-five-point-plan"
FRAMEWORK = "joint-revised-framework"


def current_position_slugs():
    return {p.slug for p in rules.current_positions(models.Position.objects.filter(proposal__negotiation__slug=TALKS))}


def clauses_with_current_stance(stances, parties=None):
    positions = models.Position.objects.filter(proposal__negotiation__slug=TALKS).select_related("clause", "holder")
    return {
        p.clause.slug
        for p in rules.current_positions(positions)
        if p.clause and p.direction in stances and (parties is None or p.holder.slug in parties)
    }


# (list, filters, the expected records as a queryset or a set of slugs), on the made-up negotiation of
# tests/factories.py; each query is narrowed to that negotiation's records (see test_filter), and so is each queryset.
CASES = [
    ("partyList", '{name: "nordia"}', lambda: models.Party.objects.filter(slug="northland")),
    ("partyList", "{kind: [BLOC, ALLIANCE]}", lambda: models.Party.objects.filter(kind__in=["bloc", "alliance"])),
    ("partyList", f'{{negotiation: "{TALKS}"}}', lambda: models.Party.objects.filter(roles__negotiation__slug=TALKS)),
    ("partyList", "{role: MEDIATOR}", lambda: models.Party.objects.filter(roles__role="mediator")),
    ("partyRoleList", '{party: "eastmark"}', lambda: models.PartyRole.objects.filter(party__slug="eastmark")),
    ("partyRoleList", "{role: BELLIGERENT}", lambda: models.PartyRole.objects.filter(role="belligerent")),
    ("partyRoleList", f'{{negotiation: "{TALKS}"}}', lambda: models.PartyRole.objects.all()),
    ("personList", '{name: "Swen"}', lambda: models.Person.objects.filter(slug="sven-sudberg")),
    ("personList", '{party: "southland"}', lambda: models.Person.objects.filter(party__slug="southland")),
    (
        "negotiationList",
        '{party: "eastmark"}',
        lambda: models.Negotiation.objects.filter(party_roles__party__slug="eastmark"),
    ),
    (
        "sourceList",
        '{outlet: "lakeside herald"}',
        lambda: models.Source.objects.filter(outlet="Lakeside Herald"),
    ),
    ("sourceList", "{kind: [ANALYSIS]}", lambda: models.Source.objects.filter(kind="analysis")),
    (
        "sourceList",
        '{dateAfter: "2031-03-06"}',
        lambda: models.Source.objects.filter(date_latest__gte=date(2031, 3, 6)),
    ),
    ("sourceList", '{dateBefore: "2031-03-05"}', lambda: models.Source.objects.filter(date__lte=date(2031, 3, 5))),
    ("sourceList", "{hasText: false}", lambda: models.Source.objects.filter(text="")),
    (
        "nonStoryPassageList",
        '{source: "herald-2031-03-12-joint-framework"}',
        lambda: models.NonStoryPassage.objects.filter(source__slug="herald-2031-03-12-joint-framework"),
    ),
    (
        "citationList",
        '{source: "gazette-2031-03-05-plan-text"}',
        lambda: models.Citation.objects.filter(source__outlet="Treaty Gazette"),
    ),
    ("proposalList", f'{{negotiation: "{TALKS}"}}', lambda: models.Proposal.objects.all()),
    (
        "proposalList",
        "{kind: [FRAMEWORK, DEMANDS]}",
        lambda: models.Proposal.objects.filter(kind__in=["framework", "demands"]),
    ),
    ("proposalList", "{status: SUPERSEDED}", lambda: models.Proposal.objects.filter(status="superseded")),
    ("proposalList", "{stage: CEASEFIRE}", lambda: models.Proposal.objects.filter(stage="ceasefire")),
    ("proposalList", '{author: "southland"}', lambda: models.Proposal.objects.filter(authors__slug="southland")),
    (
        "proposalList",
        '{dateAfter: "2031-03-01", dateBefore: "2031-03-11"}',
        lambda: models.Proposal.objects.filter(date__range=(date(2031, 3, 1), date(2031, 3, 11))),
    ),
    ("proposalList", "{textPublished: true}", lambda: models.Proposal.objects.filter(text_published=True)),
    (
        "clauseList",
        f'{{proposal: "{FRAMEWORK}"}}',
        lambda: models.Clause.objects.filter(proposal__slug=FRAMEWORK),
    ),
    ("clauseList", f'{{negotiation: "{TALKS}", number: 2}}', lambda: models.Clause.objects.filter(number=2)),
    (
        "clauseList",
        '{topic: ["lake-ceasefire", "lake-borders"]}',
        lambda: models.Clause.objects.filter(topics__slug__in=["lake-ceasefire", "lake-borders"]).distinct(),
    ),
    (
        "clauseList",
        "{state: [CONTESTED, DEFERRED]}",
        lambda: models.Clause.objects.filter(state__in=["contested", "deferred"]),
    ),
    (
        "clauseList",
        '{party: "northland"}',
        lambda: models.Clause.objects.filter(positions__holder__slug="northland").distinct(),
    ),
    ("clauseList", "{direction: [REJECTS]}", lambda: clauses_with_current_stance({"rejects"})),
    (
        "clauseList",
        '{party: "southland", direction: [OPPOSES, REJECTS]}',
        lambda: clauses_with_current_stance({"opposes", "rejects"}, {"southland"}),
    ),
    (
        "clauseLineageList",
        f'{{derivedFrom: "{PLAN}-02"}}',
        lambda: models.ClauseLineage.objects.filter(derived_from__slug=f"{PLAN}-02"),
    ),
    (
        "clauseLineageList",
        f'{{clause: "{FRAMEWORK}-03"}}',
        lambda: models.ClauseLineage.objects.filter(clause__slug=f"{FRAMEWORK}-03"),
    ),
    (
        "quantityList",
        '{measure: "armed-forces-cap"}',
        lambda: models.Quantity.objects.filter(measure="armed-forces-cap"),
    ),
    (
        "quantityList",
        f'{{clause: "{FRAMEWORK}-01"}}',
        lambda: models.Quantity.objects.filter(clause__slug=f"{FRAMEWORK}-01"),
    ),
    (
        "positionList",
        '{holder: ["southland", "eastmark"]}',
        lambda: models.Position.objects.filter(holder__slug__in=["southland", "eastmark"]),
    ),
    (
        "positionList",
        f'{{proposal: "{FRAMEWORK}"}}',
        lambda: models.Position.objects.filter(proposal__slug=FRAMEWORK),
    ),
    (
        "positionList",
        f'{{clause: "{PLAN}-02"}}',
        lambda: models.Position.objects.filter(clause__slug=f"{PLAN}-02"),
    ),
    ("positionList", "{wholeProposal: true}", lambda: models.Position.objects.filter(clause=None)),
    ("positionList", "{wholeProposal: false}", lambda: models.Position.objects.exclude(clause=None)),
    ("positionList", "{direction: [OPEN_TO]}", lambda: models.Position.objects.filter(direction="open-to")),
    ("positionList", "{basis: ON_RECORD}", lambda: models.Position.objects.filter(basis="on-record")),
    (
        "positionList",
        '{speaker: "anna-norberg"}',
        lambda: models.Position.objects.filter(speaker__slug="anna-norberg"),
    ),
    ("positionList", "{current: true}", current_position_slugs),
    (
        "positionList",
        "{current: false}",
        lambda: (
            set(models.Position.objects.filter(proposal__negotiation__slug=TALKS).values_list("slug", flat=True))
            - current_position_slugs()
        ),
    ),
    ("positionList", '{dateAfter: "2031-03-12"}', lambda: models.Position.objects.filter(date__gte=date(2031, 3, 12))),
    (
        "positionList",
        '{dateBefore: "2031-03-06"}',
        lambda: models.Position.objects.filter(date__lte=date(2031, 3, 6)),
    ),
    ("eventList", f'{{negotiation: "{TALKS}"}}', lambda: models.Event.objects.all()),
    ("eventList", "{kind: [TALKS, MEETING]}", lambda: models.Event.objects.filter(kind__in=["talks", "meeting"])),
    (
        "eventList",
        '{participant: ["anna-norberg"]}',
        lambda: models.Event.objects.filter(people__slug="anna-norberg"),
    ),
    ("eventList", '{participant: ["eastmark"]}', lambda: models.Event.objects.filter(parties__slug="eastmark")),
    (
        "eventList",
        f'{{proposal: "{PLAN}"}}',
        lambda: models.Event.objects.filter(proposals__slug=PLAN),
    ),
    (
        "eventList",
        '{dateAfter: "2031-03-09"}',
        lambda: models.Event.objects.filter(Q(date__gte=date(2031, 3, 9)) | Q(end_date__gte=date(2031, 3, 9))),
    ),
    ("eventList", '{dateBefore: "2031-03-05"}', lambda: models.Event.objects.filter(date__lte=date(2031, 3, 5))),
]

MODELS = {
    "partyList": models.Party,
    "partyRoleList": models.PartyRole,
    "personList": models.Person,
    "negotiationList": models.Negotiation,
    "sourceList": models.Source,
    "nonStoryPassageList": models.NonStoryPassage,
    "citationList": models.Citation,
    "proposalList": models.Proposal,
    "clauseList": models.Clause,
    "clauseLineageList": models.ClauseLineage,
    "quantityList": models.Quantity,
    "positionList": models.Position,
    "eventList": models.Event,
    "topicList": models.Topic,
}


def scoped(world, list_field: str, filters: str = "{}") -> str:
    """``filters`` narrowed to the world's records."""
    inner = filters.strip()[1:-1].strip()
    return f"{{AND: {world.graphql_filter(list_field.removesuffix('List'))}{', ' + inner if inner else ''}}}"


def own(world, list_field, expected):
    """The expected records that belong to the world."""
    if isinstance(expected, set):
        return expected
    return expected.filter(pk__in=world.records(MODELS[list_field]).values("pk"))


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
def test_filter(gql, world, list_field, filters, expected):
    selection = SELECTION.get(list_field, "slug")
    filters = scoped(world, list_field, filters)
    data = gql(
        f"{{ {list_field}(filters: {filters}, pagination: {{limit: 100}}) {{ totalCount results {{ {selection} }} }} }}"
    )
    rows = data[list_field]["results"]
    found = [_key(list_field, row) for row in rows]
    expected = _slugs(own(world, list_field, expected()))
    assert expected, "the world should have records matching this filter"
    assert len(found) == len(set(found)) == data[list_field]["totalCount"], "no duplicates"
    assert set(found) == expected


def test_filters_are_not_all_vacuous(gql, world):
    # Most filters of CASES leave some of the world's records out: the filters really filter.
    narrowed = 0
    for list_field, _filters, expected in CASES:
        query = f"{{ {list_field}(filters: {scoped(world, list_field)}) {{ totalCount }} }}"
        model_total = gql(query)[list_field]["totalCount"]
        assert model_total == world.records(MODELS[list_field]).count()
        narrowed += len(_slugs(own(world, list_field, expected()))) < model_total
    assert narrowed >= len(CASES) - 5


@pytest.mark.parametrize(
    ("list_field", "text", "expected_slug"),
    [
        ("clauseList", "ceasefire", f"{PLAN}-04"),
        ("personList", "Swen", "sven-sudberg"),
        ("partyList", "Nordia", "northland"),
        ("proposalList", "revised", FRAMEWORK),
        ("topicList", "ceasefire", "lake-ceasefire"),
        ("citationList", "ceasefire", None),
        ("sourceList", "framework", None),
        ("negotiationList", "Northland", TALKS),
        ("positionList", "proposal", None),
        ("eventList", "framework", None),
    ],
)
def test_free_text_search(gql, world, list_field, text, expected_slug):
    model = MODELS[list_field]
    filters = scoped(world, list_field, f'{{q: "{text}"}}')
    data = gql(f"{{ {list_field}(filters: {filters}, pagination: {{limit: 100}}) {{ results {{ slug }} }} }}")
    found = [row["slug"] for row in data[list_field]["results"]]
    # The same function REST calls, in the same (relevance, on PostgreSQL) order.
    assert found == list(queries.search(world.records(model), text).values_list("slug", flat=True)[:100])
    assert found and (len(found) < world.records(model).count() or model is models.Negotiation)
    if expected_slug:
        assert expected_slug in found
    everywhere = gql(
        f'{{ {list_field}(filters: {{q: "{text}"}}, pagination: {{limit: 100}}) {{ results {{ slug }} }} }}'
    )
    assert set(found) <= {row["slug"] for row in everywhere[list_field]["results"]}


def test_blank_or_nul_search_text_filters_nothing(gql, world):
    blank, nul = scoped(world, "clauseList", '{q: "  "}'), scoped(world, "clauseList", '{q: "\\u0000"}')
    data = gql(f"{{ a: clauseList(filters: {blank}) {{ totalCount }} b: clauseList(filters: {nul}) {{ totalCount }} }}")
    assert data["a"]["totalCount"] == data["b"]["totalCount"] == world.records(models.Clause).count() == 8
    everything = gql('{ a: clauseList(filters: {q: "  "}) { totalCount } }')
    assert everything["a"]["totalCount"] == models.Clause.objects.count()


def test_and_or_not_combine_filters(gql, world):
    data = gql(
        f"""{{
          either: clauseList(filters: {{negotiation: "{TALKS}", AND: {{state: CONTESTED, OR: {{state: DEFERRED}}}}}}) {{
            totalCount
          }}
          neither: clauseList(filters: {{negotiation: "{TALKS}", NOT: {{state: [CONTESTED, DEFERRED]}}}}) {{
            totalCount
          }}
        }}"""
    )
    contested_or_deferred = world.records(models.Clause).filter(state__in=["contested", "deferred"]).count()
    assert data["either"]["totalCount"] == contested_or_deferred == 5
    assert data["neither"]["totalCount"] == world.records(models.Clause).count() - contested_or_deferred == 3


def test_nested_lists_take_filters_too(gql, world):
    data = gql(
        f"""{{ proposal(slug: "{PLAN}") {{
          clauses(filters: {{topic: "alliance-membership"}}) {{ slug }}
          positions(filters: {{current: true, holder: "southland"}}) {{ slug }}
        }} }}"""
    )["proposal"]
    assert {c["slug"] for c in data["clauses"]} == {f"{PLAN}-03", f"{PLAN}-05"}
    expected_positions = current_position_slugs() & set(
        world.plan.positions.filter(holder__slug="southland").values_list("slug", flat=True)
    )
    assert {p["slug"] for p in data["positions"]} == expected_positions
    assert expected_positions == {"southland-rejects-plan", "southland-open-on-cap", "southland-rejects-neutrality"}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ('{topic: "no-such-topic"}', "No topic has the slug “no-such-topic”."),
        (f'{{proposal: ["{PLAN}", "nope", "bad slug"]}}', "No proposal has the slug “nope”, “bad slug”."),
        ('{party: "\\u0000"}', "No party has the slug “\x00”."),
        ("{number: 0}", "A point number is between 1 and 32767, not 0."),
        ("{number: 40000}", "A point number is between 1 and 32767, not 40000."),
    ],
)
def test_bad_filter_values_are_refused_clearly(gql_errors, world, filters, message):
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
