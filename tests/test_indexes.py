"""Cost grows with the page, not the table: every column a list orders or filters by, on the tables that grow with
the data, leads an index (so a first page reads an index range, not the table). Checked on the declarations
(treaty.filtering.LISTINGS) and on the SQL each filter really produces, on SQLite and PostgreSQL alike; on
PostgreSQL the plans of the lists' first pages are checked too (benchmark_lists measures the cost itself)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Exists, Q, Subquery, TextField
from django.db.models.expressions import Col
from django.db.models.functions import Cast
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode
from django.test import Client
from django.urls import reverse

from treaty import filtering, models, queries
from treaty.filtering import Kind

# The tables that grow with the data (benchmark_data copies them); topics, parties and people are shared.
GROWING = {
    models.Negotiation,
    models.Source,
    models.NonStoryPassage,
    models.PartyRole,
    models.Proposal,
    models.Clause,
    models.ClauseLineage,
    models.Quantity,
    models.Position,
    models.Event,
    models.Citation,
}
GROWING_TABLES = {model._meta.db_table for model in GROWING} | {
    field.remote_field.through._meta.db_table for model in GROWING for field in model._meta.many_to_many
}

SAMPLES = {
    Kind.RECORDS: ["x"],
    Kind.SLUGS: ["x"],
    Kind.TEXT: "x",
    Kind.DATE: date(2025, 11, 20),
    Kind.BOOLEAN: True,
    Kind.NUMBER: 6,
}


def indexed_orders(table: str) -> set[tuple[str, ...]]:
    """The column lists of the table's indexes (an expression index, search's, has none)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = [c for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]
    return {tuple(c["columns"]) for c in indexed if c["columns"]}


def leading_columns(table: str) -> set[str]:
    return {columns[0] for columns in indexed_orders(table)}


def columns(node, query: Query):
    """(table, column) of every column a WHERE clause (with its subqueries and joins) compares."""
    if isinstance(node, WhereNode):
        for child in node.children:
            yield from columns(child, query)
    elif isinstance(node, Lookup):
        yield from columns(node.lhs, query)
        yield from columns(node.rhs, query)
    elif isinstance(node, Col):
        yield node.target.model._meta.db_table, node.target.column
    elif isinstance(node, Query):
        yield from query_columns(node)
    elif isinstance(node, Exists | Subquery):
        yield from query_columns(node.query)
    elif hasattr(node, "get_source_expressions"):
        for expression in node.get_source_expressions():
            yield from columns(expression, query)


def query_columns(query: Query):
    yield from columns(query.where, query)
    for join in query.alias_map.values():
        if isinstance(join, Join):
            parent = query.alias_map[join.parent_alias].table_name
            for parent_column, column in join.join_cols:
                yield parent, parent_column
                yield join.table_name, column


def test_every_declared_ordering_of_a_growing_list_has_its_index(db):
    """An ordering by a unique column reads that column's index; any other by (column, id): ties come in
    creation order, reversed with the key (treaty.filtering.ties_in_creation_order)."""
    missing = []
    for model, listing in filtering.LISTINGS.items():
        if model not in GROWING:
            continue
        indexed = indexed_orders(model._meta.db_table)
        for name in listing.ordering:
            field = model._meta.get_field(name)
            needed = (field.column,) if field.unique and not field.null else (field.column, "id")
            if not any(columns[: len(needed)] == needed for columns in indexed):
                missing.append(f"{model.__name__}: {needed}")
        default = model._meta.ordering[0]
        if model._meta.get_field(default).column not in leading_columns(model._meta.db_table):
            missing.append(f"{model.__name__}.{default} (default order)")
    assert not missing, f"no index on: {missing}"


# Compared by a filter, yet led by no index: a B-tree cannot hold a stored text (several KB); has_text reads one of
# two partial indexes instead (text empty or not), which test_first_pages_of_growing_lists_read_no_whole_table sees.
UNINDEXED = {("treaty_source", "text")}


def test_every_column_a_filter_of_a_growing_list_compares_has_an_index(db):
    missing = set()
    checked = 0
    for model, listing in filtering.LISTINGS.items():
        if model not in GROWING:
            continue
        for declared in listing.filters:
            value = declared.choices.values[:1] if declared.kind is Kind.CHOICES else SAMPLES[declared.kind]
            q = declared.query(value, None) if declared.given else declared.query(value)
            query = model.objects.filter(q).query
            for table, column in query_columns(query):
                checked += 1
                exempt = (table, column) in UNINDEXED
                if table in GROWING_TABLES and not exempt and column not in leading_columns(table):
                    missing.add(f"{table}.{column} (filter {model.__name__}.{declared.name})")
    assert checked > 50  # the walk found the columns
    assert not missing, f"no index leads with: {sorted(missing)}"


def test_the_walk_finds_columns_of_subqueries_and_joins():
    found = set(query_columns(models.Clause.objects.filter(Q(proposal__slug="x") | Q(topics__slug="y")).query))
    assert ("treaty_proposal", "slug") in found
    assert ("treaty_clause", "proposal_id") in found
    assert ("treaty_clause_topics", "clause_id") in found
    nested = models.Clause.objects.filter(Exists(models.Position.objects.filter(direction="x", clause=1))).query
    assert ("treaty_position", "direction") in set(query_columns(nested))


def scanned(node: dict):
    """The tables a plan reads whole."""
    if node["Node Type"] == "Seq Scan":
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from scanned(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_first_pages_of_growing_lists_read_no_whole_table(db):
    """With sequential scans priced out, every query of a filtered or ordered first page plans an index scan on
    the growing tables: an index exists that serves it."""
    from benchmark.management.commands.benchmark_lists import requests

    client = Client(HTTP_HOST="127.0.0.1")
    seq_scans = []
    executed = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    for _, path in requests():
        if "?" not in path:
            continue  # an unfiltered list is its ordering's index
        executed.clear()
        with connection.execute_wrapper(capture):
            assert client.get(path).status_code == 200, path
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for sql, params in executed:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
                seq_scans += [(path, table) for table in scanned(plan[0]["Plan"]) if table in GROWING_TABLES]
            cursor.execute("SET LOCAL enable_seqscan = on")
    assert not seq_scans, seq_scans


def list_orderings():
    """(model, REST list path, ordering) of every declared ordering of a growing list with a REST list, both ways."""
    from benchmark.management.commands.benchmark_lists import BASENAMES

    return [
        pytest.param(model, basename, f"{sign}{name}", id=f"{basename}-{sign}{name}")
        for model, basename in BASENAMES.items()
        if model in GROWING
        for name in filtering.LISTINGS[model].ordering
        for sign in ("", "-")
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.parametrize(("model", "basename", "ordering"), list_orderings())
def test_every_ordering_of_a_growing_list_is_read_in_index_order(world, model, basename, ordering):
    """Either way, each declared ordering's first page (the very query the REST list runs) is read in the order of
    an index, with no sort: a first page reads its first rows instead of sorting the table (or every row that ties,
    or every undated row; at 10,000x the seed, 60,000 undated positions took 740 ms to sort)."""
    executed = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = Client(HTTP_HOST="127.0.0.1").get(reverse(f"v1:{basename}-list"), {"ordering": ordering})
    assert response.status_code == 200, response.content
    table = model._meta.db_table
    (sql, params), *_ = [(sql, p) for sql, p in executed if sql.startswith(f'SELECT "{table}"') and "LIMIT" in sql]
    with transaction.atomic(), connection.cursor() as cursor:
        for plan_kind in ("sort", "incremental_sort", "seqscan"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    assert not {"Sort", "Incremental Sort"} & set(node_types(plan)), plan
    assert any(name.startswith(table) for name in indexes_read(plan)), plan


def node_types(node: dict):
    yield node["Node Type"]
    for child in node.get("Plans", []):
        yield from node_types(child)


def indexes_read(node: dict):
    if "Index Name" in node:
        yield node["Index Name"]
    for child in node.get("Plans", []):
        yield from indexes_read(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.parametrize("model", list(queries.SEARCH_FIELDS), ids=lambda model: model.__name__)
def test_every_part_of_a_search_reads_an_index(db, model):
    """With whole-table and whole-index scans priced out, a search still plans no Seq Scan: its document, the
    names it goes through and its citations' quotes each have an index on the very expression the query builds
    (migration 0015), and the index of the searched model's document is read."""
    search = queries.search(model.objects.all(), "Kyslitsya ceasefire")
    sql, params = search.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    assert not list(scanned(plan))
    assert f"{model._meta.db_table}_search_idx" in set(indexes_read(plan))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's threshold")
def test_connections_find_misspellings_at_the_search_threshold(db):
    """The %> operator that reads the trigram indexes uses the connection's threshold: it is search's own."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == queries.SPELLING_SIMILARITY


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compiler")
def test_no_query_is_compiled_to_machine_code(db):
    """JIT compilation costs seconds on a big search and saves nothing on a page: connections turn it off, so
    even a query past every cost threshold runs uncompiled."""
    with transaction.atomic(), connection.cursor() as cursor:
        for threshold in ("jit_above_cost", "jit_inline_above_cost", "jit_optimize_above_cost"):
            cursor.execute(f"SET LOCAL {threshold} = 0")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM treaty_position WHERE summary <> ''")
        assert "JIT" not in cursor.fetchone()[0][0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored documents")
@pytest.mark.parametrize(
    ("model", "column", "document"),
    [
        pytest.param(model, "search_document", queries.search_document(model), id=model.__name__)
        for model in queries.SEARCH_FIELDS
    ]
    + [pytest.param(models.Citation, "quote_document", queries.quote_document(), id="Citation-quote")],
)
def test_stored_documents_are_what_search_defines(world, model, column, document):
    """Each record's stored document (migration 0017) is the one SEARCH_FIELDS (or the quote) defines, written
    by PostgreSQL on every insert and update: a change to SEARCH_FIELDS without a migration fails here."""
    written = next(
        field
        for field in queries.SEARCH_FIELDS[model][0]
        if model._meta.get_field(field).get_internal_type() != "JSONField"
    )
    record = model.objects.order_by("pk").last()
    model.objects.filter(pk=record.pk).update(**{written: "Zeppelin"})
    documents = model.objects.annotate(
        expected=Cast(document, TextField()), stored=Cast(queries.StoredDocument(column), TextField())
    ).values_list("pk", "expected", "stored")
    rows = {pk: (expected, stored) for pk, expected, stored in documents}
    assert rows and all(expected == stored for expected, stored in rows.values())
    assert "'zeppelin'" in rows[record.pk][1]
