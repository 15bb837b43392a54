"""The permission matrix, built from the committed OpenAPI contract: every write operation it documents is tried
as an anonymous client, a reader (an account without a role), an editor and an administrator.

A new write endpoint lands in the contract, so it lands here too and cannot slip through unprotected.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

WRITE_METHODS = ("post", "put", "patch", "delete")
CONTRACT = yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / "openapi.yaml").read_text())
# The curated resources' writes (a token holder's own tokens, /api/v1/tokens/, are tested in test_tokens.py).
OPERATIONS = [
    (path, method)
    for path, operations in CONTRACT["paths"].items()
    for method in operations
    if method in WRITE_METHODS and not path.startswith("/api/v1/tokens/")
]

# What each role gets. A body of {} is invalid for a create or replace (400) and changes nothing in a PATCH (200):
# either answer shows the request passed authentication and permission.
EXPECTED = {
    None: {"post": {401}, "put": {401}, "patch": {401}, "delete": {401}},
    "reader": {"post": {403}, "put": {403}, "patch": {403}, "delete": {403}},
    "editor": {"post": {400}, "put": {400}, "patch": {200}, "delete": {403}},
    # 409 when other records still refer to the deleted one (a PROTECT relation).
    "administrator": {"post": {400}, "put": {400}, "patch": {200}, "delete": {204, 409}},
}


def test_the_contract_has_writes_for_every_curated_resource():
    resources = {path.split("/")[3] for path, _ in OPERATIONS}
    assert resources == {"parties", "people", "sources", "citations", "proposals", "clauses", "positions", "events"} | {
        "topics",
        "assessments",
    }
    assert len(OPERATIONS) == len(resources) * 4


def concrete(path: str, world) -> str:
    """The path with the slug of a record of the made-up negotiation (tests/factories.py)."""
    if "{slug}" not in path:
        return path
    model = resolve(path.replace("{slug}", "any-slug")).func.cls.queryset.model
    return path.replace("{slug}", world.records(model).order_by("pk").first().slug)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: role or "anonymous")
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=lambda value: value)
def test_each_write_answers_each_role_as_documented(client_as, world, role, path, method):
    url = concrete(path, world)
    client = client_as(role)
    headers = {}
    if method != "post":
        headers["If-Match"] = client.get(url).headers["ETag"]
    response = getattr(client, method)(url, {}, content_type="application/json", headers=headers)
    assert response.status_code in EXPECTED[role][method], response.content[:300]
    documented = CONTRACT["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} is not documented for {method} {path}"
