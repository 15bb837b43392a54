"""The committed SDL (openapi/schema.graphql) is the schema the code serves."""

from pathlib import Path

from django.conf import settings
from strawberry.printer import print_schema

from api.graphql.schema import build_schema, schema
from treaty.filtering import MAX_SEARCH_LENGTH

SDL = Path(settings.BASE_DIR) / "openapi" / "schema.graphql"
REGENERATE = ".venv/bin/python manage.py export_schema api.graphql.schema:schema --path openapi/schema.graphql"


def test_committed_sdl_matches_the_code():
    committed = SDL.read_text(encoding="utf-8")
    assert committed.strip() == print_schema(schema).strip(), (
        f"{SDL} differs from the schema in the code. If the change is intended, regenerate it:\n    {REGENERATE}"
    )


def test_production_serves_the_same_types():
    # Only extensions (introspection, error masking) differ between development and production.
    assert print_schema(build_schema(debug=False)) == print_schema(build_schema(debug=True))


def test_no_integer_ids_are_exposed():
    sdl = print_schema(schema)
    assert " id:" not in sdl and " pk:" not in sdl and "ID!" not in sdl


def test_the_search_length_limit_is_documented_on_every_q():
    type_map = schema._schema.type_map
    searches = [t.fields["q"] for t in type_map.values() if getattr(t, "fields", None) and "q" in t.fields]
    assert len(searches) >= 5
    for field in searches:
        assert f"At most {MAX_SEARCH_LENGTH} characters" in field.description
