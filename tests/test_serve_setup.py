"""Starting the server again keeps every curator's edit: scripts/serve.sh's set-up steps (migrate, seed) run
after edits made through REST, GraphQL and the admin, and find each edit and its history as they were."""

import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.graphql.conftest import post
from tests.test_admin import admin_url, form_data
from treaty.models import Clause, Topic

pytestmark = pytest.mark.django_db

SERVE = Path(settings.BASE_DIR) / "scripts" / "serve.sh"


def serve_setup_commands() -> list[list[str]]:
    """The manage.py commands serve.sh runs before it starts the server, as it runs them."""
    commands = []
    for line in SERVE.read_text().splitlines():
        words = shlex.split(line, comments=True)
        if "manage.py" in " ".join(words):
            arguments = words[words.index(next(w for w in words if w.endswith("manage.py"))) + 1 :]
            if arguments[0] not in {"runserver", "collectstatic"}:
                commands.append(arguments)
    return commands


def test_serve_sets_up_with_migrate_and_seed_only():
    assert serve_setup_commands() == [["migrate", "--no-input"], ["seed"]]


def history_of(record):
    return list(record.history.order_by("history_id").values_list("history_id", "history_type", "history_user_id"))


def test_serving_again_keeps_edits_made_through_rest_graphql_and_the_admin(client_as, admin_client):
    editor = client_as("editor", "alice")
    rest_clause = "us-28-point-plan-06"
    etag = editor.get(f"/api/v1/clauses/{rest_clause}/").headers["ETag"]
    response = editor.patch(
        f"/api/v1/clauses/{rest_clause}/",
        {"state": "agreed"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content

    graphql_clause = Clause.objects.get(slug="us-28-point-plan-07")
    mutation = """mutation ($slug: String!, $version: Int!) {
      updateClause(slug: $slug, version: $version, changes: {heading: "Edited through GraphQL"}) { version } }"""
    body = post(client_as("editor", "bob"), mutation, {"slug": graphql_clause.slug, "version": graphql_clause.version})
    assert "errors" not in body.json(), body.json()

    topic = Topic.objects.get(slug="ceasefire")
    url = admin_url(Topic, "change", topic.pk)
    data = form_data(admin_client, url, slug=topic.slug, name=topic.name, description="Edited in the admin.")
    data |= {"pax_categories": topic.pax_categories, "read_version": topic.version}
    assert admin_client.post(url, data).status_code == 302

    records = [
        Clause.objects.get(slug=rest_clause),
        Clause.objects.get(slug=graphql_clause.slug),
        Topic.objects.get(pk=topic.pk),
    ]
    before = [(record.version, history_of(record)) for record in records]
    assert all(len(history) >= 2 for _version, history in before), "each edit is in the history"

    output = StringIO()
    for command in serve_setup_commands():
        call_command(*command, stdout=output)

    assert Clause.objects.get(slug=rest_clause).state == "agreed"
    assert Clause.objects.get(slug=graphql_clause.slug).heading == "Edited through GraphQL"
    assert Topic.objects.get(pk=topic.pk).description == "Edited in the admin."
    after = [(type(record).objects.get(pk=record.pk).version, history_of(record)) for record in records]
    assert after == before, "versions (ETags) and history unchanged"
    assert "3 record(s) differ from the fixtures and were kept as they are" in output.getvalue()
