"""Limits on hostile queries, masked errors and no introspection in production, the caches."""

import re

import pytest
from django.contrib.staticfiles import finders
from strawberry.extensions.parser_cache import DEFAULT_MAXSIZE as PARSER_CACHE_SIZE
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import DEFAULT_MAXSIZE as VALIDATION_CACHE_SIZE
from strawberry.extensions.validation_cache import _get_validate_cache

from api.graphql import schema as schema_module
from api.graphql.cost import MAX_PAGE_SIZE
from api.graphql.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.graphql.conftest import post
from treaty import models

# The queries name records of the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

GRAPHQL_RESPONSE = "application/graphql-response+json"


def nested(depth: int) -> str:
    """A query ``depth`` fields deep: proposal → negotiation → proposals → negotiation … (pages of 2, within cost)"""
    inner = "slug"
    for level in range(depth - 1):
        inner = f"negotiation {{ {inner} }}" if level % 2 == 0 else f"proposals(pagination: {{limit: 2}}) {{ {inner} }}"
    return f'{{ proposal(slug: "northland-five-point-plan") {{ {inner} }} }}'


def test_queries_up_to_the_maximum_depth_run(gql):
    assert gql(nested(MAX_DEPTH))["proposal"]


def test_deeper_queries_are_refused_before_they_run(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = post(client, nested(MAX_DEPTH + 1))
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    assert body["errors"][0]["message"] == f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"


@pytest.mark.urls("tests.graphql.development_urls")
def test_deep_introspection_is_not_counted_as_depth(gql):
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }"
    assert gql(query)["__schema"]["types"]


def test_too_many_aliases_are_refused(gql, gql_errors):
    aliases = lambda count: "{ " + " ".join(f"a{i}: topicList {{ totalCount }}" for i in range(count)) + " }"  # noqa: E731
    assert len(gql(aliases(MAX_ALIASES))) == MAX_ALIASES
    assert gql_errors(aliases(MAX_ALIASES + 1)) == [f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"]


def test_too_many_tokens_are_refused(gql_errors):
    query = "{ topicList { " + "totalCount " * MAX_TOKENS + "} }"
    assert gql_errors(query) == [f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted."]


@pytest.mark.parametrize(
    ("pagination", "message"),
    [
        ("{offset: -1}", "pagination.offset must be 0 or more."),
        ("{limit: -1}", f"pagination.limit must be between 0 and {MAX_PAGE_SIZE}."),
        (f"{{limit: {MAX_PAGE_SIZE + 1}}}", f"pagination.limit must be between 0 and {MAX_PAGE_SIZE}."),
        ("{offset: -2147483648, limit: 2147483647}", "pagination.offset must be 0 or more."),
    ],
)
def test_bad_pagination_is_refused_clearly_before_the_query_runs(client, pagination, message):
    body = post(client, f"{{ citationList(pagination: {pagination}) {{ results {{ slug }} }} }}").json()
    assert body["data"] is None
    assert body["errors"] == [
        {"message": message, "locations": [{"line": 1, "column": 3}], "extensions": {"code": "BAD_USER_INPUT"}}
    ]


def test_bad_pagination_of_a_nested_list_is_refused_too(gql_errors):
    query = "{ proposalList { results { clauses(pagination: {limit: 101}) { slug } } } }"
    assert gql_errors(query) == [f"pagination.limit must be between 0 and {MAX_PAGE_SIZE}."]


def test_the_largest_page_and_an_empty_page(gql, world):
    source = world.sources["report"]
    models.Citation.objects.bulk_create(
        models.Citation(slug=f"many-{i}", source=source, quote="Southland", start=0, end=9)
        for i in range(MAX_PAGE_SIZE)
    )
    own = f'filters: {{source: "{source.slug}"}}'
    data = gql(
        f"""{{ big: citationList({own}, pagination: {{limit: {MAX_PAGE_SIZE}}}) {{ results {{ slug }} }}
              none: citationList({own}, pagination: {{limit: 0}}) {{ totalCount results {{ slug }} }}
              past: citationList(pagination: {{offset: 100000}}) {{ results {{ slug }} }} }}"""
    )
    total = models.Citation.objects.filter(source=source).count()
    assert total > MAX_PAGE_SIZE
    assert len(data["big"]["results"]) == MAX_PAGE_SIZE
    assert data["none"] == {"totalCount": total, "results": []}
    assert data["past"]["results"] == []


def test_a_pagination_limit_that_is_not_an_int_is_a_validation_error(gql_errors):
    (message,) = gql_errors("{ citationList(pagination: {limit: 99999999999}) { totalCount } }")
    assert "Int cannot represent non 32-bit signed integer value" in message


# Production: DEBUG off ----------------------------------------------------------------------------------------------


@pytest.fixture
def failing_analysis(monkeypatch):
    def fail(proposal):
        raise RuntimeError("connection to db-internal.example:5432 refused")

    monkeypatch.setattr(schema_module.analyses.analyses, "stance_matrix", fail)


@pytest.mark.urls("tests.graphql.production_urls")
def test_production_masks_unexpected_errors(client, failing_analysis):
    body = post(client, '{ stanceMatrix(slug: "northland-five-point-plan") { rows { party { slug } } } }').json()
    assert body["data"] == {"stanceMatrix": None}
    assert body["errors"] == [
        {"message": "Internal error.", "locations": [{"line": 1, "column": 3}], "path": ["stanceMatrix"]}
    ]
    assert "db-internal" not in str(body) and "Traceback" not in str(body)


@pytest.mark.urls("tests.graphql.production_urls")
def test_only_server_faults_are_logged(client, caplog, failing_analysis):
    with caplog.at_level("ERROR", logger="strawberry.execution"):
        post(client, "{ nope }")
        post(client, "{ citationList(pagination: {offset: -1}) { totalCount } }")
        assert not caplog.records
        post(client, '{ stanceMatrix(slug: "northland-five-point-plan") { rows { party { slug } } } }')
    (record,) = [record for record in caplog.records if record.name == "strawberry.execution"]
    assert "db-internal" in record.getMessage() and record.exc_info
    # A server fault is a 500, which Django logs as any other.
    assert [record.getMessage() for record in caplog.records if record.name == "django.request"] == [
        "Internal Server Error: /graphql/"
    ]


@pytest.mark.urls("tests.graphql.development_urls")
def test_development_shows_unexpected_errors(client, failing_analysis):
    body = post(client, '{ stanceMatrix(slug: "northland-five-point-plan") { rows { party { slug } } } }').json()
    assert body["errors"][0]["message"] == "connection to db-internal.example:5432 refused"


@pytest.mark.urls("tests.graphql.production_urls")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ citationList(pagination: {offset: -1}) { totalCount } }", "pagination.offset must be 0 or more."),
        ('{ proposalDiff(slug: "a", against: "b") { counts { count } } }', "No proposal has the slug “a”."),
        ("{ nope }", "Cannot query field 'nope' on type 'Query'."),
        ("{ topicList ", "Syntax Error: Expected Name, found <EOF>."),
    ],
)
def test_production_still_explains_the_clients_mistakes(client, query, message):
    assert post(client, query).json()["errors"][0]["message"] == message


@pytest.mark.urls("tests.graphql.production_urls")
def test_production_has_no_introspection(client):
    body = post(client, "{ __schema { queryType { name } } }").json()
    assert body["data"] is None
    assert "introspection has been disabled" in body["errors"][0]["message"]
    # Asking for __typename is not introspecting the schema.
    assert post(client, "{ __typename }").json() == {"data": {"__typename": "Query"}}


@pytest.mark.urls("tests.graphql.development_urls")
def test_development_has_introspection(gql):
    assert gql("{ __schema { queryType { name } } }") == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize("urls", ["tests.graphql.production_urls", "tests.graphql.development_urls"])
def test_the_graphiql_page_loads_only_our_own_static_files(client, settings, urls):
    settings.ROOT_URLCONF = urls
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "graphiql.min.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no asset from another host"
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert finders.find(asset.removeprefix("/static/")), asset


# Caches -------------------------------------------------------------------------------------------------------------


def test_parsing_and_validation_are_cached(gql):
    parse_cache, validate_cache = _get_parse_cache(PARSER_CACHE_SIZE), _get_validate_cache(VALIDATION_CACHE_SIZE)
    query = "{ topicList(pagination: {limit: 3}) { totalCount results { slug name } } }"
    gql(query)
    parsed, validated = parse_cache.cache_info().hits, validate_cache.cache_info().hits
    gql(query)
    assert parse_cache.cache_info().hits == parsed + 1
    assert validate_cache.cache_info().hits == validated + 1
