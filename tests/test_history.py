"""The audit history: every change, through any channel, is recorded with who, when and what; readable in the
API at /revisions/ and revertible in the admin."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treaty.models import Clause, Party, Topic

# The changes are made to the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

CLAUSE = "northland-five-point-plan-02"
TOPIC = "lake-ceasefire"


def revisions(client, path):
    response = client.get(f"/api/v1{path}revisions/")
    assert response.status_code == 200, response.content
    return response.json()


def test_seeded_records_start_with_one_created_revision(client):
    """About the seed command (populate_history), so on a seeded clause, whichever it is."""
    seeded = Clause.objects.exclude(proposal__negotiation__slug="northland-southland-talks").select_related("proposal")
    clause = seeded.first()
    assert clause is not None, "the seed dataset has no clause"
    (created,) = revisions(client, f"/clauses/{clause.slug}/")
    assert created["action"] == "created" and created["user"] is None
    changes = {change["field"]: change for change in created["changes"]}
    assert changes["proposal"] == {"field": "proposal", "old": None, "new": clause.proposal.slug}
    assert changes["heading"]["new"] == clause.heading


def test_a_rest_change_is_recorded_with_the_token_user(client_as):
    editor = client_as("editor", "erin")
    tag = editor.get(f"/api/v1/clauses/{CLAUSE}/").headers["ETag"]
    old_heading = Clause.objects.get(slug=CLAUSE).heading
    response = editor.patch(
        f"/api/v1/clauses/{CLAUSE}/", {"heading": "New heading"}, content_type="application/json", HTTP_IF_MATCH=tag
    )
    assert response.status_code == 200, response.content
    latest = revisions(editor, f"/clauses/{CLAUSE}/")[0]
    assert latest["user"] == "erin"
    # Who made a change is for curators: anonymous clients and accounts without a role do not see it.
    assert revisions(client_as(None), f"/clauses/{CLAUSE}/")[0]["user"] is None
    assert revisions(client_as("reader"), f"/clauses/{CLAUSE}/")[0]["user"] is None
    assert latest["action"] == "changed"
    assert latest["changes"] == [{"field": "heading", "old": old_heading, "new": "New heading"}]


def test_a_rest_creation_is_recorded(client_as):
    editor = client_as("editor", "erin")
    body = {"slug": "water", "name": "Water"}
    assert editor.post("/api/v1/topics/", body, content_type="application/json").status_code == 201
    (created,) = revisions(editor, "/topics/water/")
    assert (created["user"], created["action"]) == ("erin", "created")


def test_an_admin_change_is_recorded_with_the_session_user_and_can_be_reverted(admin_client):
    topic = Topic.objects.get(slug=TOPIC)
    url = reverse("admin:treaty_topic_change", args=[topic.pk])
    data = {"name": "Truce", "slug": topic.slug, "description": topic.description, "pax_categories": ""}
    assert admin_client.post(url, data).status_code == 302
    record = Topic.history.filter(slug=TOPIC).latest("history_date")
    assert record.history_user.username == "curator"
    assert record.name == "Truce"
    history_page = admin_client.get(reverse("admin:treaty_topic_history", args=[topic.pk]))
    assert history_page.status_code == 200 and "Truce" in history_page.content.decode()
    # Revert to the first version, from the admin's history page.
    first = Topic.history.filter(slug=TOPIC).earliest("history_date")
    revert = reverse("admin:treaty_topic_simple_history", args=[topic.pk, first.history_id])
    form = admin_client.get(revert).context["adminform"].form.initial
    response = admin_client.post(revert, {**{k: v or "" for k, v in form.items() if k != "id"}, "_save": "Save"})
    assert response.status_code == 302, response.content[:1000]
    assert Topic.objects.get(pk=topic.pk).name == first.name == "Lake ceasefire"


def test_revisions_cost_a_fixed_number_of_queries(client_as):
    editor = client_as("editor")
    counts = []
    for heading in ("One", "Two", "Three"):
        tag = editor.get(f"/api/v1/clauses/{CLAUSE}/").headers["ETag"]
        editor.patch(
            f"/api/v1/clauses/{CLAUSE}/", {"heading": heading}, content_type="application/json", HTTP_IF_MATCH=tag
        )
        with CaptureQueriesContext(connection) as queries:
            assert len(revisions(editor, f"/clauses/{CLAUSE}/")) >= 2
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_an_unknown_slug_has_no_revisions(client):
    response = client.get("/api/v1/clauses/no-such-clause/revisions/")
    assert response.status_code == 404


def test_graphql_shows_who_made_a_change_to_curators_only(client_as):
    editor = client_as("editor", "erin")
    tag = editor.get(f"/api/v1/clauses/{CLAUSE}/").headers["ETag"]
    editor.patch(f"/api/v1/clauses/{CLAUSE}/", {"heading": "H2"}, content_type="application/json", HTTP_IF_MATCH=tag)
    query = json.dumps({"query": f'{{ revisions(resource: CLAUSE, slug: "{CLAUSE}") {{ user action }} }}'})

    def users(client):
        body = client.post("/graphql/", query, content_type="application/json").json()
        return [revision["user"] for revision in body["data"]["revisions"]]

    assert "erin" in users(editor)
    assert set(users(client_as(None))) == {None}


def test_revisions_vary_on_who_asks(client):
    vary = client.get(f"/api/v1/clauses/{CLAUSE}/revisions/").headers["Vary"]
    assert "Authorization" in vary and "Cookie" in vary


def patch(client, path, body):
    tag = client.get(f"/api/v1{path}").headers["ETag"]
    response = client.patch(f"/api/v1{path}", body, content_type="application/json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    return response


def test_related_list_changes_are_one_revision_of_what_was_added_and_removed(client_as):
    """The review's defect 6: this PATCH made four "changed" revisions, each with no changes."""
    editor = client_as("editor", "erin")
    clause = Clause.objects.get(slug=CLAUSE)
    old_topics = sorted(clause.topics.values_list("slug", flat=True))
    old_citations = sorted(clause.citations.values_list("slug", flat=True))
    assert old_topics != ["lake-ceasefire"] and old_citations, "the world's clause has topics and citations to change"
    before = revisions(editor, f"/clauses/{CLAUSE}/")
    patch(editor, f"/clauses/{CLAUSE}/", {"topics": ["lake-ceasefire"], "citations": []})
    after = revisions(editor, f"/clauses/{CLAUSE}/")
    assert len(after) == len(before) + 1
    assert after[1:] == before
    latest = after[0]
    assert (latest["user"], latest["action"]) == ("erin", "changed")
    assert sorted(latest["changes"], key=lambda change: change["field"]) == [
        {"field": "citations", "old": old_citations, "new": []},
        {"field": "topics", "old": old_topics, "new": ["lake-ceasefire"]},
    ]


def test_no_revision_says_changed_with_nothing_changed(client_as):
    editor = client_as("editor")
    patch(editor, f"/clauses/{CLAUSE}/", {"heading": Clause.objects.get(slug=CLAUSE).heading})  # the same value
    patch(editor, f"/clauses/{CLAUSE}/", {"topics": ["lake-borders"]})
    patch(editor, f"/clauses/{CLAUSE}/", {"topics": ["lake-borders"]})  # again
    listed = revisions(editor, f"/clauses/{CLAUSE}/")
    assert all(revision["changes"] for revision in listed if revision["action"] != "deleted"), listed
    assert [change["field"] for change in listed[0]["changes"]] == ["topics"]


def test_a_creation_with_related_lists_is_one_revision_that_has_them(client_as):
    editor = client_as("editor")
    body = {
        "slug": "plan-extra",
        "proposal": "northland-five-point-plan",
        "heading": "An extra point",
        "text": "A provision in our own words.",
        "state": "proposed",
        "topics": ["lake-ceasefire", "lake-borders"],
    }
    assert editor.post("/api/v1/clauses/", body, content_type="application/json").status_code == 201
    (created,) = revisions(editor, "/clauses/plan-extra/")
    changes = {change["field"]: change for change in created["changes"]}
    assert created["action"] == "created"
    assert changes["topics"] == {"field": "topics", "old": None, "new": ["lake-borders", "lake-ceasefire"]}
    assert changes["citations"] == {"field": "citations", "old": None, "new": []}


def test_a_graphql_change_to_a_related_list_is_recorded(client_as):
    editor = client_as("editor")
    clause = Clause.objects.get(slug=CLAUSE)
    mutation = """mutation ($slug: String!, $version: Int!) {
        updateClause(slug: $slug, version: $version, changes: {topics: ["alliance-membership"]}) { slug } }"""
    body = {"query": mutation, "variables": {"slug": CLAUSE, "version": clause.version}}
    answer = editor.post("/graphql/", body, content_type="application/json").json()
    assert "errors" not in answer, answer
    latest = revisions(editor, f"/clauses/{CLAUSE}/")[0]
    assert latest["changes"][-1]["new"] == ["alliance-membership"]
    assert [change["field"] for change in latest["changes"]] == ["topics"]


def test_an_admin_change_to_a_related_list_is_one_revision(admin_client):
    league = Party.objects.get(slug="river-league")
    url = reverse("admin:treaty_party_change", args=[league.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        "name": league.name,
        "slug": league.slug,
        "kind": league.kind,
        "aliases": json.dumps(league.aliases),
        "description": league.description,
        "members": [Party.objects.get(slug="eastmark").pk],
        "read_version": form.fields["read_version"].initial,
    }
    count = league.history.count()
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert league.history.count() == count + 1
    assert league.history.latest("history_date").history_user.username == "curator"
    latest = revisions(admin_client, "/parties/river-league/")[0]
    assert latest["changes"] == [{"field": "members", "old": ["eastmark", "westmark"], "new": ["eastmark"]}]


def test_a_deleted_records_history_stays_readable(client_as):
    administrator = client_as("administrator", "ada")
    patch(administrator, f"/topics/{TOPIC}/", {"name": "Truce"})
    # A topic still named by clauses cannot be deleted: unlink it first.
    linked = list(Clause.objects.filter(topics__slug=TOPIC))
    assert linked
    for clause in linked:
        rest = sorted(set(clause.topics.values_list("slug", flat=True)) - {TOPIC})
        patch(administrator, f"/clauses/{clause.slug}/", {"topics": rest})
    tag = administrator.get(f"/api/v1/topics/{TOPIC}/").headers["ETag"]
    assert administrator.delete(f"/api/v1/topics/{TOPIC}/", HTTP_IF_MATCH=tag).status_code == 204
    assert administrator.get(f"/api/v1/topics/{TOPIC}/").status_code == 404
    listed = revisions(client_as(None), f"/topics/{TOPIC}/")
    assert [revision["action"] for revision in listed] == ["deleted", "changed", "created"]
    assert listed[1]["changes"] == [{"field": "name", "old": "Lake ceasefire", "new": "Truce"}]
    assert {revision["user"] for revision in listed} == {None}, "who did it stays for curators only"
    assert revisions(administrator, f"/topics/{TOPIC}/")[0]["user"] == "ada"
    query = json.dumps({"query": f'{{ revisions(resource: TOPIC, slug: "{TOPIC}") {{ action }} }}'})
    answer = client_as(None).post("/graphql/", query, content_type="application/json").json()
    assert [revision["action"] for revision in answer["data"]["revisions"]] == ["deleted", "changed", "created"]
    # The clauses' revisions still name the deleted topic by its slug.
    clause_revisions = revisions(client_as(None), f"/clauses/{linked[0].slug}/")
    assert any(TOPIC in (change["old"] or []) for r in clause_revisions for change in r["changes"])
