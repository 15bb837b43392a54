"""GraphQL means what REST means: every REST filter and ordering has its GraphQL counterpart, and the
same questions (filtered lists, the four analyses) get the same answers from both, on the made-up
negotiation of tests/factories.py (each question narrowed to it).

REST and GraphQL differ only in form, which ``from_rest`` and ``from_graphql`` undo: REST drops
``url``s in and names related records by slug; GraphQL camel-cases names, writes enum values as
their Python names (``AT_MOST`` for ``at-most``) and decimals as strings.
"""

import re
from decimal import Decimal

import pytest
from strawberry.types.base import StrawberryList, StrawberryOptional

from api.graphql.filters import FILTERS, ORDERS
from api.rest import filters as rest_filters
from api.rest.urls import router
from tests.graphql.conftest import post
from treaty.models import Citation, Clause, Event, Negotiation, Party, Person, Position, Proposal, Source, Topic

pytestmark = pytest.mark.django_db

OWN_MODELS = [Citation, Clause, Event, Negotiation, Party, Person, Position, Proposal, Source, Topic]
ENUM_KEYS = {
    *["kind", "status", "direction", "firmness", "basis", "state", "change", "qualifier", "date_precision", "type"],
    *["stage", "tier", "source_tier", "support", "confidence"],
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def from_graphql(value, key=None):
    if isinstance(value, dict):
        if set(value) == {"slug"}:  # REST names a related record by its slug
            return value["slug"]
        return {snake(k): from_graphql(v, snake(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [from_graphql(item, key) for item in value]
    if key in ENUM_KEYS and isinstance(value, str):
        return value.lower().replace("_", "-")
    if key == "value" and value is not None:
        return Decimal(value)
    return value


def from_rest(value, key=None):
    if isinstance(value, dict):
        return {k: from_rest(v, k) for k, v in value.items() if k != "url"}
    if isinstance(value, list):
        return [from_rest(item, key) for item in value]
    if key == "value" and value is not None:
        return Decimal(str(value))
    return value


def rest(client, path: str, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    return from_rest(response.json())


def graphql(client, query: str, **variables):
    response = post(client, with_fragments(query.replace(" DATES ", f" {DATE_FIELDS} ")), variables)
    body = response.json()
    assert "errors" not in body, body["errors"]
    return from_graphql(body["data"])


# The fields of REST's brief representations, as GraphQL fragments. Inner lists ask for pages that hold every
# record of the seed but keep the analyses' queries within the cost limit (api/graphql/cost.py).
DATE_FIELDS = "date dateLatest datePrecision dateDisplay dateExpression dateResolvedAgainst dateNote"
FRAGMENTS = """
fragment PartyBrief on PartyType { slug name }
fragment PersonBrief on PersonType { slug name title }
fragment SourceBrief on SourceType { slug outlet headline tier DATES }
fragment CitationBrief on CitationType {
  slug source { ...SourceBrief } sourceTier checked declaredInterest quote locator start end
}
fragment ProposalBrief on ProposalType { slug title kind status DATES }
fragment ClauseBrief on ClauseType { slug proposal { slug } number heading }
fragment EventBrief on EventType { slug kind title DATES endDate place }
fragment QuantityFields on QuantityType { measure qualifier value unit note }
fragment Stance on PositionType {
  slug holder { ...PartyBrief } clause { slug } direction firmness DATES basis speaker { ...PersonBrief }
  reportedBy { ...PartyBrief } reportedByPerson { ...PersonBrief } summary needsReview
  citations(pagination: {limit: 10}) { ...CitationBrief }
}
fragment AssessmentBrief on AssessmentType {
  slug assessor { ...PersonBrief } assessorDescription about { ...PartyBrief } clause { slug } DATES summary
  needsReview citations(pagination: {limit: 10}) { ...CitationBrief }
}
fragment Lineage on ClauseLineageType {
  clause { ...ClauseBrief } derivedFrom { ...ClauseBrief } change note citations(pagination: {limit: 10}) {
    ...CitationBrief
  }
}
""".replace("DATES", DATE_FIELDS)


def differences(graphql_answer, rest_answer, path="") -> list[str]:
    """Where the two answers differ, as paths (an assertion message a reader can act on)."""
    if isinstance(graphql_answer, dict) and isinstance(rest_answer, dict):
        return [
            f"{path}.{key}: only in {'REST' if key in rest_answer else 'GraphQL'}"
            for key in sorted(set(graphql_answer) ^ set(rest_answer))
        ] + [
            line
            for key in sorted(set(graphql_answer) & set(rest_answer))
            for line in differences(graphql_answer[key], rest_answer[key], f"{path}.{key}")
        ]
    if isinstance(graphql_answer, list) and isinstance(rest_answer, list) and len(graphql_answer) == len(rest_answer):
        return [
            line
            for i, (g, r) in enumerate(zip(graphql_answer, rest_answer, strict=True))
            for line in differences(g, r, f"{path}[{i}]")
        ]
    return (
        [] if graphql_answer == rest_answer else [f"{path}: GraphQL {graphql_answer!r:.80} != REST {rest_answer!r:.80}"]
    )


def assert_same(graphql_answer, rest_answer):
    found = differences(graphql_answer, rest_answer)
    assert not found, "\n".join(found[:20])


def with_fragments(query: str) -> str:
    """The query with the fragments it uses (GraphQL refuses unused ones)."""
    fragments = {m.group(1): m.group(0) for m in re.finditer(r"(?ms)^fragment (\w+) .*?(?=^fragment |\Z)", FRAGMENTS)}
    document, used = query, set(re.findall(r"fragment (\w+)", query))
    while names := set(re.findall(r"\.\.\.(\w+)", document)) - used:
        used |= names
        document += "".join(fragments[name] for name in names)
    return document


# Every REST filter has a GraphQL counterpart ----------------------------------------------------------------------


def _filter_sets():
    return [viewset.filterset_class for _, viewset, _ in router.registry]


def _camel(name: str) -> str:
    first, *rest_ = name.split("_")
    return first + "".join(word.title() for word in rest_)


def _graphql_names(input_type) -> set[str]:
    return {f.graphql_name or _camel(f.python_name) for f in input_type.__strawberry_definition__.fields}


@pytest.mark.parametrize("filter_set", _filter_sets(), ids=lambda fs: fs.__name__)
def test_every_rest_filter_has_a_graphql_filter_of_the_same_name(filter_set):
    graphql_filter = FILTERS[filter_set.Meta.model]
    rest_names = {name for name in filter_set.base_filters if name != "ordering"}
    assert rest_names, filter_set
    # snake_case in REST, camelCase in GraphQL: date_after ↔ dateAfter.
    assert {_camel(name) for name in rest_names} <= _graphql_names(graphql_filter)


@pytest.mark.parametrize("filter_set", _filter_sets(), ids=lambda fs: fs.__name__)
def test_every_rest_ordering_field_has_a_graphql_ordering_field(filter_set):
    graphql_order = ORDERS[filter_set.Meta.model]
    rest_fields = set(filter_set.base_filters["ordering"].param_map)
    assert rest_fields and {_camel(name) for name in rest_fields} == _graphql_names(graphql_order)


def test_graphql_list_filters_take_lists_where_rest_takes_repeated_parameters():
    # REST: ?kind=a&kind=b. GraphQL: kind: [A, B].
    for filter_set in _filter_sets():
        graphql_filter = FILTERS[filter_set.Meta.model]
        fields = {f.python_name: f for f in graphql_filter.__strawberry_definition__.fields}
        for name, rest_filter in filter_set.base_filters.items():
            repeated = isinstance(rest_filter, rest_filters.SlugsFilter | rest_filters.ChoicesFilter)
            field_type = fields[name].type if name in fields else None
            if isinstance(field_type, StrawberryOptional):
                field_type = field_type.of_type
            if name != "ordering":
                assert isinstance(field_type, StrawberryList) == repeated, (filter_set.__name__, name)


# The same answers -------------------------------------------------------------------------------------------------

CLAUSE_FIELDS = """
fragment ClauseFields on ClauseType {
  slug proposal { slug } number heading text textIsVerbatim state topics { slug }
  quantities { ...QuantityFields } derivedFrom { slug } citations { slug } confidence support needsReview reviewNote
}
"""


TALKS = "northland-southland-talks"
PLAN = "northland-five-point-plan"
FRAMEWORK = "joint-revised-framework"
MARCH_9 = "2031-03-09"


def test_a_filtered_clause_list_is_the_same(client, world):
    answer = rest(client, "clauses/", proposal=PLAN, topic="troop-limits", page_size=100)
    data = graphql(
        client,
        """query {
          clauseList(
            filters: {proposal: "northland-five-point-plan", topic: "troop-limits"}, pagination: {limit: 100}
          ) {
            totalCount results { ...ClauseFields }
          }
        }"""
        + CLAUSE_FIELDS,
    )
    assert answer["count"] == 2  # points 2 and 5
    assert data["clause_list"]["total_count"] == answer["count"]
    assert_same(data["clause_list"]["results"], answer["results"])


# (REST path and parameters, GraphQL list and arguments): each pair must list the same records in the same order.
# Each is narrowed to the made-up negotiation, by its slug or by naming its records.
SAME_LISTS = [
    (
        ("clauses/", {"negotiation": TALKS, "state": "contested"}),
        ("clauseList", f'(filters: {{negotiation: "{TALKS}", state: CONTESTED}})'),
    ),
    (
        ("clauses/", {"party": "southland", "direction": ["rejects", "opposes"]}),
        ("clauseList", '(filters: {party: "southland", direction: [REJECTS, OPPOSES]})'),
    ),
    (
        ("clauses/", {"negotiation": TALKS, "direction": "opposes"}),
        ("clauseList", f'(filters: {{negotiation: "{TALKS}", direction: OPPOSES}})'),
    ),
    (
        ("clauses/", {"negotiation": TALKS, "q": "forces"}),
        ("clauseList", f'(filters: {{negotiation: "{TALKS}", q: "forces"}})'),
    ),
    (
        ("clauses/", {"negotiation": TALKS, "number": 2}),
        ("clauseList", f'(filters: {{negotiation: "{TALKS}", number: 2}})'),
    ),
    (
        ("clauses/", {"negotiation": TALKS, "ordering": "-number,heading"}),
        ("clauseList", f'(filters: {{negotiation: "{TALKS}"}}, ordering: [{{number: DESC}}, {{heading: ASC}}])'),
    ),
    (
        ("positions/", {"holder": "southland", "current": "true", "ordering": "-date"}),
        ("positionList", '(filters: {holder: "southland", current: true}, ordering: [{date: DESC}])'),
    ),
    (
        (
            "positions/",
            {"proposal": PLAN, "basis": "outlet-inference", "date_after": "2031-03-01", "date_before": MARCH_9},
        ),
        (
            "positionList",
            f'(filters: {{proposal: "{PLAN}", basis: OUTLET_INFERENCE, dateAfter: "2031-03-01", '
            f'dateBefore: "{MARCH_9}"}})',
        ),
    ),
    (
        ("positions/", {"proposal": [PLAN, FRAMEWORK], "whole_proposal": "true", "ordering": "direction"}),
        (
            "positionList",
            f'(filters: {{proposal: ["{PLAN}", "{FRAMEWORK}"], wholeProposal: true}}, ordering: [{{direction: ASC}}])',
        ),
    ),
    (
        ("positions/", {"proposal": FRAMEWORK, "speaker": "anna-norberg"}),
        ("positionList", f'(filters: {{proposal: "{FRAMEWORK}", speaker: "anna-norberg"}})'),
    ),
    (
        ("proposals/", {"negotiation": TALKS, "kind": ["plan", "framework"], "ordering": "-date"}),
        (
            "proposalList",
            f'(filters: {{negotiation: "{TALKS}", kind: [PLAN, FRAMEWORK]}}, ordering: [{{date: DESC}}])',
        ),
    ),
    (("proposals/", {"author": "southland"}), ("proposalList", '(filters: {author: "southland"})')),
    (
        ("parties/", {"negotiation": TALKS, "role": "mediator"}),
        ("partyList", f'(filters: {{negotiation: "{TALKS}", role: MEDIATOR}})'),
    ),
    (("people/", {"name": "ana norberg"}), ("personList", '(filters: {name: "ana norberg"})')),
    (
        ("people/", {"party": ["northland", "southland", "eastmark"], "ordering": "-name"}),
        ("personList", '(filters: {party: ["northland", "southland", "eastmark"]}, ordering: [{name: DESC}])'),
    ),
    (
        ("sources/", {"date_after": "2031-01-01", "has_text": "true", "ordering": "outlet"}),
        ("sourceList", '(filters: {dateAfter: "2031-01-01", hasText: true}, ordering: [{outlet: ASC}])'),
    ),
    (
        ("citations/", {"source": "herald-2031-03-12-joint-framework", "ordering": "-start"}),
        ("citationList", '(filters: {source: "herald-2031-03-12-joint-framework"}, ordering: [{start: DESC}])'),
    ),
    (("negotiations/", {"party": "southland"}), ("negotiationList", '(filters: {party: "southland"})')),
    (
        ("topics/", {"q": "Lakeside", "ordering": "-slug"}),
        ("topicList", '(filters: {q: "Lakeside"}, ordering: [{slug: DESC}])'),
    ),
    (
        ("events/", {"negotiation": TALKS, "date_after": "2031-03-09"}),
        ("eventList", f'(filters: {{negotiation: "{TALKS}", dateAfter: "2031-03-09"}})'),
    ),
]


@pytest.mark.parametrize(("rest_question", "graphql_question"), SAME_LISTS)
def test_the_same_filters_list_the_same_records(client, world, rest_question, graphql_question):
    path, params = rest_question
    answer = rest(client, path, **params, page_size=100)
    list_name, arguments = graphql_question
    args = arguments[:-1] + ", pagination: {limit: 100})" if arguments else "(pagination: {limit: 100})"
    data = graphql(client, f"query {{ {list_name}{args} {{ totalCount results {{ slug }} }} }}")
    result = data[snake(list_name)]
    assert result["total_count"] == answer["count"] > 0
    assert result["results"] == [record["slug"] for record in answer["results"]]
    own = {slug for model in OWN_MODELS for slug in world.records(model).values_list("slug", flat=True)}
    assert set(result["results"]) <= own, "only the made-up negotiation's records"


# The analyses -----------------------------------------------------------------------------------------------------


def test_the_diff_of_the_plan_and_the_framework_is_the_same(client, world):
    answer = rest(client, f"proposals/{PLAN}/diff/", against=FRAMEWORK)
    data = graphql(
        client,
        """query {
          proposalDiff(slug: "northland-five-point-plan", against: "joint-revised-framework") {
            old { ...ProposalBrief } new { ...ProposalBrief } counts { change count }
            changes {
              change oldClauses { ...ClauseBrief } newClauses { ...ClauseBrief }
              lineage(pagination: {limit: 10}) { ...Lineage }
              quantityChanges { measure old { ...QuantityFields } new { ...QuantityFields } } textChanged
            }
          }
        }""",
    )["proposal_diff"]
    data["counts"] = {count["change"]: count["count"] for count in data["counts"]}
    assert answer["old"]["slug"] == PLAN
    assert len(answer["changes"]) == 4
    assert any(change["quantity_changes"] for change in answer["changes"])
    assert_same(data, answer)


def test_a_clause_history_is_the_same(client, world):
    answer = rest(client, f"clauses/{PLAN}-02/history/")
    data = graphql(
        client,
        """query {
          clauseHistory(slug: "northland-five-point-plan-02") {
            clause { ...ClauseBrief } versions { ...ClauseBrief } lineage { ...Lineage }
            stances {
              party { ...PartyBrief } current(pagination: {limit: 10}) { ...Stance }
              timeline(pagination: {limit: 20}) { current position { ...Stance } } disagreement
            }
            assessments(pagination: {limit: 10}) { ...AssessmentBrief }
          }
        }""",
    )["clause_history"]
    for stances in data["stances"]:
        stances["timeline"] = [{**entry["position"], "current": entry["current"]} for entry in stances["timeline"]]
    assert len(answer["versions"]) == 2 and len(answer["stances"]) == 2
    assert_same(data, answer)


def test_the_stance_matrix_is_the_same(client, world):
    answer = rest(client, f"proposals/{PLAN}/stance-matrix/")
    data = graphql(
        client,
        """query {
          stanceMatrix(slug: "northland-five-point-plan") {
            proposal { ...ProposalBrief } clauses { ...ClauseBrief }
            rows(pagination: {limit: 10}) {
              party { ...PartyBrief }
              wholeProposal { clause { slug } positions(pagination: {limit: 10}) { ...Stance } disagreement }
              cells(pagination: {limit: 10}) {
                clause { slug } positions(pagination: {limit: 10}) { ...Stance } disagreement
              }
            }
            assessments(pagination: {limit: 10}) { ...AssessmentBrief }
          }
        }""",
    )["stance_matrix"]
    assert len(answer["clauses"]) == 5 and len(answer["rows"]) == 4
    assert_same(data, answer)


def test_the_negotiation_timeline_is_the_same(client, world):
    answer = rest(client, f"negotiations/{TALKS}/timeline/")
    data = graphql(
        client,
        """query {
          negotiationTimeline(slug: "northland-southland-talks") {
            negotiation { slug name }
            entries {
              type date dateLatest datePrecision dateDisplay dateExpression endDate concurrentWith
              event { ...EventBrief } proposal { ...ProposalBrief }
            }
          }
        }""",
    )["negotiation_timeline"]
    assert len(answer["entries"]) == 8
    assert_same(data, answer)
