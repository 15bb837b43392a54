"""PostgreSQL indexes that serve every part of free-text search (treaty.queries.search), so its cost follows the
matches, not the table: each searched model's weighted document and the citation quote (GIN over the same
tsvector expressions the queries build), and the trigram indexes for names and aliases (contains, and the %>
misspelling operator). Nothing on other databases, whose search is a plain icontains.

Each expression is the SQL Django compiles for treaty.queries.search_document, quote_document and names_text
(and the UPPER(…::text) of icontains); tests/test_search_plans.py checks PostgreSQL uses each one.
"""

from django.db import migrations

INDEXES = {
    "treaty_negotiation_search_idx": (
        "CREATE INDEX \"treaty_negotiation_search_idx\" ON \"treaty_negotiation\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'B'))))"
    ),
    "treaty_party_search_idx": (
        "CREATE INDEX \"treaty_party_search_idx\" ON \"treaty_party\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '') || ' ' || COALESCE((\"aliases\")::text, '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '')), 'B'))))"
    ),
    "treaty_person_search_idx": (
        "CREATE INDEX \"treaty_person_search_idx\" ON \"treaty_person\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '') || ' ' || COALESCE((\"aliases\")::text, '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '') || ' ' || COALESCE(\"description\", '')), 'B'))))"
    ),
    "treaty_source_search_idx": (
        "CREATE INDEX \"treaty_source_search_idx\" ON \"treaty_source\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"headline\", '') || ' ' || COALESCE(\"outlet\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"byline\", '') || ' ' || COALESCE(\"text\", '') || ' ' || COALESCE(\"notes\", '') || ' ' || COALESCE(\"republished_from\", '') || ' ' || COALESCE(\"declared_interest\", '')), 'B'))))"
    ),
    "treaty_citation_search_idx": (
        "CREATE INDEX \"treaty_citation_search_idx\" ON \"treaty_citation\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"quote\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"locator\", '') || ' ' || COALESCE(\"note\", '')), 'B'))))"
    ),
    "treaty_proposal_search_idx": (
        "CREATE INDEX \"treaty_proposal_search_idx\" ON \"treaty_proposal\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'B'))))"
    ),
    "treaty_clause_search_idx": (
        "CREATE INDEX \"treaty_clause_search_idx\" ON \"treaty_clause\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"heading\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"text\", '')), 'B'))))"
    ),
    "treaty_position_search_idx": (
        "CREATE INDEX \"treaty_position_search_idx\" ON \"treaty_position\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"review_note\", '')), 'B'))))"
    ),
    "treaty_assessment_search_idx": (
        "CREATE INDEX \"treaty_assessment_search_idx\" ON \"treaty_assessment\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"assessor_description\", '')), 'B'))))"
    ),
    "treaty_conflict_search_idx": (
        "CREATE INDEX \"treaty_conflict_search_idx\" ON \"treaty_conflict\" USING gin ((setweight(to_tsvector('english'::regconfig, COALESCE(\"summary\", '')), 'A')))"
    ),
    "treaty_event_search_idx": (
        "CREATE INDEX \"treaty_event_search_idx\" ON \"treaty_event\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"place\", '') || ' ' || COALESCE(\"summary\", '') || ' ' || COALESCE(\"outcome\", '')), 'B'))))"
    ),
    "treaty_topic_search_idx": (
        "CREATE INDEX \"treaty_topic_search_idx\" ON \"treaty_topic\" USING gin (((setweight(to_tsvector('english'::regconfig, COALESCE(\"name\", '')), 'A') || setweight(to_tsvector('english'::regconfig, COALESCE(\"description\", '') || ' ' || COALESCE(\"pax_categories\", '')), 'B'))))"
    ),
    "treaty_citation_quote_search_idx": (
        'CREATE INDEX "treaty_citation_quote_search_idx" ON "treaty_citation" USING gin ((to_tsvector(\'english\'::regconfig, COALESCE("quote", \'\'))))'
    ),
    "treaty_party_names_trgm_idx": (
        "CREATE INDEX \"treaty_party_names_trgm_idx\" ON \"treaty_party\" USING gin (((COALESCE((\"name\")::text, '') || COALESCE((COALESCE(' ', '') || COALESCE((\"aliases\")::text, '')), ''))) gin_trgm_ops)"
    ),
    "treaty_party_name_upper_trgm_idx": (
        'CREATE INDEX "treaty_party_name_upper_trgm_idx" ON "treaty_party" USING gin ((UPPER(("name")::text)) gin_trgm_ops)'
    ),
    "treaty_party_aliases_upper_trgm_idx": (
        'CREATE INDEX "treaty_party_aliases_upper_trgm_idx" ON "treaty_party" USING gin ((UPPER(("aliases")::text)) gin_trgm_ops)'
    ),
    "treaty_person_names_trgm_idx": (
        "CREATE INDEX \"treaty_person_names_trgm_idx\" ON \"treaty_person\" USING gin (((COALESCE((\"name\")::text, '') || COALESCE((COALESCE(' ', '') || COALESCE((\"aliases\")::text, '')), ''))) gin_trgm_ops)"
    ),
    "treaty_person_name_upper_trgm_idx": (
        'CREATE INDEX "treaty_person_name_upper_trgm_idx" ON "treaty_person" USING gin ((UPPER(("name")::text)) gin_trgm_ops)'
    ),
    "treaty_person_aliases_upper_trgm_idx": (
        'CREATE INDEX "treaty_person_aliases_upper_trgm_idx" ON "treaty_person" USING gin ((UPPER(("aliases")::text)) gin_trgm_ops)'
    ),
    "treaty_proposal_names_trgm_idx": (
        'CREATE INDEX "treaty_proposal_names_trgm_idx" ON "treaty_proposal" USING gin ((("title")::text) gin_trgm_ops)'
    ),
    "treaty_proposal_title_upper_trgm_idx": (
        'CREATE INDEX "treaty_proposal_title_upper_trgm_idx" ON "treaty_proposal" USING gin ((UPPER(("title")::text)) gin_trgm_ops)'
    ),
    "treaty_topic_names_trgm_idx": (
        'CREATE INDEX "treaty_topic_names_trgm_idx" ON "treaty_topic" USING gin ((("name")::text) gin_trgm_ops)'
    ),
    "treaty_topic_name_upper_trgm_idx": (
        'CREATE INDEX "treaty_topic_name_upper_trgm_idx" ON "treaty_topic" USING gin ((UPPER(("name")::text)) gin_trgm_ops)'
    ),
}


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("treaty", "0014_more_kinds")]

    operations = [
        migrations.RunPython(
            on_postgresql(INDEXES.values()),
            on_postgresql([f'DROP INDEX IF EXISTS "{name}"' for name in INDEXES]),
        )
    ]
