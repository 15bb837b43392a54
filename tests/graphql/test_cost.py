"""A query's cost is computed before it runs: the security review's denial-of-service query and its variants are
refused before any SQL, with a message that says why; queries within the limits run (api/graphql/cost.py)."""

import json

import pytest
from django.db import OperationalError

from api.graphql import cost
from api.graphql.cost import MAX_NODES, MAX_SELECTIONS, MAX_STRING_LENGTH, NESTED_LIST_LIMIT
from tests.graphql.conftest import post
from treaty.filtering import MAX_SEARCH_LENGTH

pytestmark = pytest.mark.django_db

# The review's query (depth 7, no aliases): minutes of one worker before this limit.
REVIEW_DOS = (
    '{ clause(slug:"us-28-point-plan-02") { proposal { clauses { proposal { clauses { proposal { clauses '
    "{ slug } } } } } } } }"
)


def refused(client, django_assert_num_queries, query, variables=None, code="QUERY_TOO_COSTLY"):
    """The query's errors, checking it was refused before it ran: no SQL, no data, the error labelled."""
    with django_assert_num_queries(0):
        response = post(client, query, variables)
    body = response.json()
    assert response.status_code == 200, body  # a request error, as GraphQL over HTTP answers it for JSON
    assert body["data"] is None, body
    assert [error["extensions"]["code"] for error in body["errors"]] == [code], body
    return body["errors"][0]["message"]


def deep(levels: int) -> str:
    """proposal { clauses { proposal { clauses … } } } with ``levels`` lists of clauses."""
    inner = "slug"
    for _ in range(levels):
        inner = f"proposal {{ clauses {{ {inner} }} }}"
    return f'{{ clause(slug: "us-28-point-plan-02") {{ {inner} }} }}'


def test_the_reviews_denial_of_service_query_is_refused_with_its_cost(client, django_assert_num_queries):
    message = refused(client, django_assert_num_queries, REVIEW_DOS)
    expected = NESTED_LIST_LIMIT + NESTED_LIST_LIMIT**2 + NESTED_LIST_LIMIT**3
    assert f"could return {expected:,} records" in message
    assert f"more than the {MAX_NODES:,}" in message and "pagination: {limit}" in message


def test_deeper_is_refused_too(client, django_assert_num_queries):
    assert "records" in refused(client, django_assert_num_queries, deep(4))


def test_two_full_levels_run_and_return_everything(gql):
    """100 + 100 x 100 records at most: within the limit, and every clause of the seed's proposal comes back."""
    data = gql(deep(2))["clause"]["proposal"]
    assert len(data["clauses"]) == 28
    assert all(len(clause["proposal"]["clauses"]) == 28 for clause in data["clauses"])


def test_small_pages_make_a_deep_query_affordable(gql):
    page = "(pagination: {limit: 3})"
    query = deep(3).replace("clauses", f"clauses{page}")
    data = gql(query)["clause"]["proposal"]
    assert len(data["clauses"]) == 3
    assert len(data["clauses"][0]["proposal"]["clauses"][0]["proposal"]["clauses"]) == 3


def test_wider_with_aliases_is_refused(client, django_assert_num_queries):
    """Each alias counts: six copies of a 10,100-record selection."""
    selection = "proposal { clauses { proposal { clauses { slug } } } }"
    query = '{ clause(slug: "us-28-point-plan-02") { ' + " ".join(f"a{i}: {selection}" for i in range(6)) + " } }"
    assert "60,600 records" in refused(client, django_assert_num_queries, query)


def test_through_fragments_is_refused(client, django_assert_num_queries):
    query = """{ clause(slug: "us-28-point-plan-02") { ...A } }
      fragment A on ClauseType { proposal { clauses { ...B } } }
      fragment B on ClauseType { proposal { clauses { ...C } } }
      fragment C on ClauseType { proposal { clauses { slug } } }"""
    assert "1,010,100 records" in refused(client, django_assert_num_queries, query)


def test_through_inline_fragments_and_interfaces_is_refused(client, django_assert_num_queries):
    query = """{ clause(slug: "us-28-point-plan-02") { ... on ClauseType { proposal { ... on Dated {
      ... on ProposalType { clauses { proposal { clauses { proposal { clauses { slug } } } } } } } } } } }"""
    refused(client, django_assert_num_queries, query)


def test_aliases_hidden_in_fragments_count_each_time_they_are_spread(client, django_assert_num_queries):
    query = """{ proposal(slug: "us-28-point-plan") { a: clauses { ...Twice } b: clauses { ...Twice } } }
      fragment Twice on ClauseType { x: proposal { ...Lists } y: proposal { ...Lists } }
      fragment Lists on ProposalType { p: clauses { slug } q: clauses { slug } }"""
    # 2 x 100 clauses, each with 2 proposals x 2 lists of 100: 200 + 80,000.
    assert "80,200 records" in refused(client, django_assert_num_queries, query)


def test_a_fragment_bomb_is_refused_before_validation_expands_it(client, django_assert_num_queries):
    """Each fragment spreads the next twice: 2^20 selections once expanded, from a few hundred tokens."""
    levels = 20
    fragments = "".join(
        f"fragment F{i} on TopicType {{ a{i}: clauses(pagination: {{limit: 0}}) {{ topics {{ ...F{i + 1} }} }} "
        f"b{i}: clauses(pagination: {{limit: 0}}) {{ topics {{ ...F{i + 1} }} }} }}\n"
        for i in range(levels)
    )
    query = f'{{ topic(slug: "ceasefire") {{ ...F0 }} }}\n{fragments}fragment F{levels} on TopicType {{ slug }}'
    message = refused(client, django_assert_num_queries, query)
    assert f"more than {MAX_SELECTIONS:,} fields and directives" in message


def test_recursive_fragments_are_refused(client, django_assert_num_queries):
    query = """{ proposal(slug: "us-28-point-plan") { ...A } }
      fragment A on ProposalType { clauses { proposal { ...B } } }
      fragment B on ProposalType { clauses { proposal { ...A } } }"""
    with django_assert_num_queries(0):
        body = post(client, query).json()
    assert body["data"] is None
    assert any("Cannot spread fragment 'A' within itself" in error["message"] for error in body["errors"])


def test_a_directive_flood_is_refused(client, django_assert_num_queries):
    """Directives on every field, the fields spread over and over through fragments."""
    flood = " ".join(f"s{i}: slug @include(if: true)" for i in range(8))
    fragments = "".join(
        f"fragment D{i} on TopicType {{ {flood} a: clauses {{ topics {{ ...D{i + 1} }} }} "
        f"b: clauses {{ topics {{ ...D{i + 1} }} }} }}\n"
        for i in range(9)
    )
    query = f'{{ topic(slug: "ceasefire") {{ ...D0 }} }}\n{fragments}fragment D9 on TopicType {{ slug }}'
    refused(client, django_assert_num_queries, query)


def test_skipped_fields_still_count(client, django_assert_num_queries):
    query = REVIEW_DOS.replace("clauses { slug }", "clauses @skip(if: true) { slug }")
    refused(client, django_assert_num_queries, query)


def test_a_limit_given_in_a_variable_counts_at_its_value(client, gql, django_assert_num_queries):
    query = """query ($n: Int) { proposal(slug: "us-28-point-plan") {
      clauses(pagination: {limit: $n}) { proposal { clauses(pagination: {limit: $n}) {
        proposal { clauses(pagination: {limit: $n}) { slug } } } } } } }"""
    assert gql(query, n=3)["proposal"]["clauses"][0]["proposal"]["clauses"][0]["proposal"]["clauses"]
    refused(client, django_assert_num_queries, query, {"n": 40})


def test_a_huge_string_literal_is_refused(client, django_assert_num_queries):
    query = '{ partyList(filters: {name: "' + "x" * (MAX_STRING_LENGTH + 1) + '"}) { totalCount } }'
    message = refused(client, django_assert_num_queries, query, code="BAD_USER_INPUT")
    assert f"strings are at most {MAX_STRING_LENGTH:,}" in message


@pytest.mark.parametrize("where", ["literal", "variable"])
def test_a_900_kb_search_is_refused_at_once(client, django_assert_num_queries, where):
    """The review's 900 KB `q`: one token, within the token limit, 45 s of PostgreSQL before."""
    q = "war " * 225_000
    if where == "literal":
        query, variables = f'{{ clauseList(filters: {{q: "{q}"}}) {{ totalCount }} }}', None
    else:
        query, variables = "query ($q: String) { clauseList(filters: {q: $q}) { totalCount } }", {"q": q}
    message = refused(client, django_assert_num_queries, query, variables, code="BAD_USER_INPUT")
    assert f"a search takes at most {MAX_SEARCH_LENGTH}" in message


def test_a_search_at_the_maximum_length_runs(gql):
    assert gql("query ($q: String) { clauseList(filters: {q: $q}) { totalCount } }", q="x" * MAX_SEARCH_LENGTH)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query ($f: ClauseFilter) { clauseList(filters: $f) { totalCount } }", {"f": {"q": "\ud800"}}),
        ("query ($f: PartyFilter) { partyList(filters: $f) { totalCount } }", {"f": {"name": "a\udfffb"}}),
        ("mutation ($s: String!) { updateClause(slug: $s, version: 1, changes: {}) { slug } }", {"s": "\ud800"}),
        ("mutation ($s: String!) { updateClause(slug: $s, version: 1, changes: {}) { slug } }", {"s": "a\x00b"}),
    ],
    ids=["q-surrogate", "name-surrogate", "slug-surrogate", "slug-nul"],
)
def test_unencodable_or_unstorable_text_is_a_clear_client_error(client, django_assert_num_queries, query, variables):
    """The review's "Internal error." cases (anonymous, so also before any permission check or lookup)."""
    body = json.dumps({"query": query, "variables": variables})  # json escapes the surrogates, as clients send them
    with django_assert_num_queries(0):
        response = client.post("/graphql/", body, content_type="application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "surrogate" in error["message"] or "NUL" in error["message"]


# Time budget and faults ---------------------------------------------------------------------------------------------


def test_a_query_past_its_time_budget_is_stopped_with_a_503(client, monkeypatch, settings):
    """The budget is checked between fields: here it has run out before the first one."""
    settings.REQUEST_TIMEOUT = 10
    monkeypatch.setattr(cost, "check_deadline", _raise_timeout)
    response = post(client, '{ proposal(slug: "us-28-point-plan") { slug } }')
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    (error,) = response.json()["errors"]
    assert "took longer than" in error["message"] and error["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def _raise_timeout():
    from api.timeouts import RequestTimeout

    raise RequestTimeout()


@pytest.mark.urls("tests.graphql.production_urls")
def test_a_database_outage_during_a_query_is_a_503_not_a_200(client, monkeypatch):
    from api.graphql import schema as schema_module

    def fail(proposal):
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed: Connection refused")

    monkeypatch.setattr(schema_module.analyses.analyses, "stance_matrix", fail)
    response = post(client, '{ stanceMatrix(slug: "us-28-point-plan") { rows { party { slug } } } }')
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json()["errors"][0]["message"] == "The database is not available at the moment; try again shortly."
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.urls("tests.graphql.production_urls")
def test_a_server_fault_is_a_500_with_the_masked_error(client, monkeypatch):
    from api.graphql import schema as schema_module

    def fail(proposal):
        raise RuntimeError("a bug")

    monkeypatch.setattr(schema_module.analyses.analyses, "stance_matrix", fail)
    response = post(client, '{ stanceMatrix(slug: "us-28-point-plan") { rows { party { slug } } } }')
    assert response.status_code == 500
    assert response.json()["errors"][0]["message"] == "Internal error."
