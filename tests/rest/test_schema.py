"""The OpenAPI contract: committed, valid, complete, and served with offline docs."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from treaty.choices import Direction
from treaty.filtering import MAX_SEARCH_LENGTH

COMMITTED = Path(settings.BASE_DIR) / "openapi" / "openapi.yaml"
REGENERATE = ".venv/bin/python manage.py spectacular --validate --fail-on-warn --file openapi/openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", file=str(path), validate=True, fail_on_warn=True)
    return path.read_text()


def test_committed_schema_matches_the_code(generated):
    assert COMMITTED.read_text() == generated, f"openapi/openapi.yaml is out of date; regenerate it with: {REGENERATE}"


@pytest.fixture(scope="module")
def schema(generated):
    return yaml.safe_load(generated)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


CURATED = [
    *["parties", "people", "sources", "citations", "proposals", "clauses", "positions", "assessments", "events"],
    "topics",
]


def test_every_resource_and_analysis_is_documented_and_only_curated_resources_are_writable(schema):
    resources = ["negotiations", "conflicts", *CURATED]
    expected = {f"/api/v1/{r}/" for r in resources} | {f"/api/v1/{r}/{{slug}}/" for r in resources}
    expected |= {f"/api/v1/{r}/{{slug}}/revisions/" for r in resources}
    expected |= {
        "/api/v1/proposals/{slug}/diff/",
        "/api/v1/proposals/{slug}/stance-matrix/",
        "/api/v1/clauses/{slug}/history/",
        "/api/v1/negotiations/{slug}/timeline/",
    }
    expected |= set(TOKENS)
    assert set(schema["paths"]) == expected
    writes = {(path, method) for path, method, _ in operations(schema) if method != "get" and path not in TOKENS}
    assert writes == {(f"/api/v1/{r}/", "post") for r in CURATED} | {
        (f"/api/v1/{r}/{{slug}}/", method) for r in CURATED for method in ("put", "patch", "delete")
    }


# A token holder's own tokens (api/rest/tokens.py): read and revoked with a token, no ETag.
TOKENS = {"/api/v1/tokens/": {"200", "400", "401", "404"}, "/api/v1/tokens/{key}/": {"204", "401", "404"}}

# The answers each kind of operation documents, besides its success.
ANSWERS = {
    "get": {"200", "400", "404"},
    "post": {"201", "400", "401", "403"},
    "put": {"200", "400", "401", "403", "404", "412", "428"},
    "patch": {"200", "400", "401", "403", "404", "412", "428"},
    "delete": {"204", "401", "403", "404", "409", "412", "428"},
}


def test_every_operation_documents_its_answers_and_problem_details(schema):
    for path, method, operation in operations(schema):
        assert operation["summary"], path
        assert operation["description"], path
        assert set(operation["responses"]) == TOKENS.get(path, ANSWERS[method]), (method, path)
        success = min(operation["responses"])
        if method != "delete":
            assert "application/json" in operation["responses"][success]["content"]
        for status in set(operation["responses"]) - {success}:
            content = operation["responses"][status]["content"]
            assert content == {"application/problem+json": content["application/problem+json"]}
            assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_writes_document_the_token_and_if_match_and_reads_are_anonymous(schema):
    for path, method, operation in operations(schema):
        if path in TOKENS:
            assert operation["security"] == [{"knoxApiToken": []}], (method, path)
            continue
        if method == "get":
            assert {} in operation["security"], path
            continue
        assert operation["security"] == [{"knoxApiToken": []}], (method, path)
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if method in ("put", "patch", "delete"):
            assert headers["If-Match"]["required"] is True, (method, path)
        if method == "post":
            assert "Location" in operation["responses"]["201"]["headers"]
    detail = schema["paths"]["/api/v1/clauses/{slug}/"]["get"]
    assert "ETag" in detail["responses"]["200"]["headers"]


def test_every_parameter_is_described(schema):
    for path, _, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("description"), (path, parameter["name"])


def test_lists_document_their_filters_and_capped_pagination(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/clauses/"]["get"]["parameters"]}
    assert {"proposal", "topic", "number", "state", "party", "direction", "q", "ordering", "page", "page_size"} <= set(
        parameters
    )
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert parameters["direction"]["schema"]["items"] == {"$ref": "#/components/schemas/DirectionEnum"}
    assert set(schema["components"]["schemas"]["DirectionEnum"]["enum"]) == set(Direction.values)
    diff = {p["name"]: p for p in schema["paths"]["/api/v1/proposals/{slug}/diff/"]["get"]["parameters"]}
    assert diff["against"]["required"] is True


def test_enums_have_stable_names(schema):
    components = schema["components"]["schemas"]
    for name in [
        "DirectionEnum",
        "FirmnessEnum",
        "SourceTierEnum",
        "BasisEnum",
        "ClauseStateEnum",
        "ChangeKindEnum",
        "DiffChangeEnum",
        "DatePrecisionEnum",
    ]:
        assert name in components
    assert "unknown" in components["DiffChangeEnum"]["enum"]
    assert not [name for name in components if re.fullmatch(r".*Enum[0-9a-f]+|.*[0-9a-f]{3,}Enum", name)]


def test_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Treaty API"


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_work_offline(client, path):
    """The docs pages load only scripts, styles and icons served by this site (drf-spectacular-sidecar)."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert references
    for reference in references:
        assert reference.startswith(settings.STATIC_URL) or reference.startswith("/"), reference
        if reference.startswith("/static/"):
            assert finders.find(reference.removeprefix("/static/")), reference
    assert "http://" not in html
    assert "https://" not in html


def test_the_search_length_limit_is_documented_where_it_applies(schema):
    """The limit that InputLimitsMiddleware enforces is the one the schema states, on every `q`."""
    searches = [
        parameter
        for _, _, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "q"
    ]
    assert len(searches) >= 5
    for parameter in searches:
        assert parameter["schema"]["maxLength"] == MAX_SEARCH_LENGTH
        assert f"At most {MAX_SEARCH_LENGTH} characters" in parameter["description"]
    assert f"at most {MAX_SEARCH_LENGTH} characters" in schema["info"]["description"]


def test_the_schema_states_that_a_slug_cannot_change(schema):
    """A rule the schema can state (the review found it unstated on 16 operations): on every write body."""
    bodies = [name for name in schema["components"]["schemas"] if name.endswith("WriteRequest")]
    assert len(bodies) == 2 * len(CURATED)  # POST/PUT and PATCH bodies
    for name in bodies:
        description = schema["components"]["schemas"][name]["properties"]["slug"]["description"]
        assert "never changed" in description and "refused (400)" in description, name
