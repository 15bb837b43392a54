"""Each searched model's weighted document, and a citation's quote, stored on PostgreSQL in generated columns
(search_document, quote_document), with migration 0015's GIN indexes (same names) rebuilt on those columns
instead of on the expressions.

An expression index finds the matches but does not hold their documents: to rank the matches, or to recheck
the rows of a bitmap too big to be exact, PostgreSQL parsed each match's text again (to_tsvector), so a word
found 100,000 times took seconds. The stored columns are read instead. Their expressions are exactly 0015's,
which treaty.queries.search_document and quote_document compile (tests/test_indexes.py checks the stored
documents equal them). Nothing on other databases, whose search is a plain icontains. The columns are not model
fields, so no query but search's reads them (treaty.queries.StoredDocument).
"""

from django.db import migrations

# table: {column: (index, expression)}
DOCUMENTS = {
    "treaty_negotiation": {
        "search_document": (
            "treaty_negotiation_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'B'))",
        ),
    },
    "treaty_party": {
        "search_document": (
            "treaty_party_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '') || ' ' || COALESCE((\"aliases\")::text, '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '')), 'B'))",
        ),
    },
    "treaty_person": {
        "search_document": (
            "treaty_person_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '') || ' ' || COALESCE((\"aliases\")::text, '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '') || ' ' || COALESCE(\"description\", '')), 'B'))",
        ),
    },
    "treaty_source": {
        "search_document": (
            "treaty_source_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"headline\", '') || ' ' || COALESCE(\"outlet\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"byline\", '') || ' ' || COALESCE(\"text\", '') || ' ' || COALESCE(\"notes\", '') || ' ' || COALESCE(\"republished_from\", '') || ' ' || COALESCE(\"declared_interest\", '')), 'B'))",
        ),
    },
    "treaty_citation": {
        "search_document": (
            "treaty_citation_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"quote\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"locator\", '') || ' ' || COALESCE(\"note\", '')), 'B'))",
        ),
        "quote_document": (
            "treaty_citation_quote_search_idx",
            "to_tsvector('english'::regconfig, COALESCE(\"quote\", ''))",
        ),
    },
    "treaty_proposal": {
        "search_document": (
            "treaty_proposal_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'B'))",
        ),
    },
    "treaty_clause": {
        "search_document": (
            "treaty_clause_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"heading\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"text\", '')), 'B'))",
        ),
    },
    "treaty_position": {
        "search_document": (
            "treaty_position_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"review_note\", '')), 'B'))",
        ),
    },
    "treaty_assessment": {
        "search_document": (
            "treaty_assessment_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"assessor_description\", '')), 'B'))",
        ),
    },
    "treaty_conflict": {
        "search_document": (
            "treaty_conflict_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A'))",
        ),
    },
    "treaty_event": {
        "search_document": (
            "treaty_event_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"place\", '') || ' ' || COALESCE(\"summary\", '') || ' ' || COALESCE(\"outcome\", '')), 'B'))",
        ),
    },
    "treaty_topic": {
        "search_document": (
            "treaty_topic_search_idx",
            "(setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '') || ' ' || COALESCE(\"pax_categories\", '')), 'B'))",
        ),
    },
}

def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Each table is rewritten whole: no request's statement budget applies (the migration is one transaction).
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    for table, columns in DOCUMENTS.items():
        added = ", ".join(
            f'ADD COLUMN "{column}" tsvector GENERATED ALWAYS AS ({expression}) STORED'
            for column, (_, expression) in columns.items()
        )
        schema_editor.execute(f'ALTER TABLE "{table}" {added}')  # one rewrite of the table
        for column, (index, _) in columns.items():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
            schema_editor.execute(f'CREATE INDEX "{index}" ON "{table}" USING gin ("{column}")')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    for table, columns in DOCUMENTS.items():
        for column, (index, expression) in columns.items():
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')  # and its index
            schema_editor.execute(f'CREATE INDEX "{index}" ON "{table}" USING gin (({expression}))')


class Migration(migrations.Migration):
    dependencies = [("treaty", "0016_source_order_index")]

    operations = [migrations.RunPython(forwards, backwards)]
