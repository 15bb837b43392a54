"""Curation through the REST API: who may write, one validation path with the admin, ETags, atomic writes."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from api.rest.views import CuratedViewSet
from treaty import roles
from treaty.models import Citation, Clause, Position, Source, Topic

# Every test writes on the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

API = "/api/v1"
PLAN = "northland-five-point-plan"
CLAUSE = f"{PLAN}-02"


def send(client, method, path, body=None, **headers):
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", headers=headers)


def problem(response, status):
    assert response.status_code == status, response.content[:500]
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def new_clause(**fields):
    return {
        "slug": "plan-extra",
        "proposal": PLAN,
        "heading": "An extra point",
        "text": "A provision in our own words.",
        "state": "proposed",
        "topics": ["lake-ceasefire"],
        **fields,
    }


@pytest.fixture
def editor(client_as):
    return client_as("editor")


def etag_of(client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 200
    return response.headers["ETag"]


def test_an_editor_creates_a_clause_and_is_told_where_it_is(editor):
    response = send(editor, "post", "/clauses/", new_clause())
    assert response.status_code == 201, response.content
    assert response.headers["Location"] == f"http://testserver{API}/clauses/plan-extra/"
    body = response.json()
    assert body["proposal"]["slug"] == PLAN
    assert [topic["slug"] for topic in body["topics"]] == ["lake-ceasefire"]
    clause = Clause.objects.get(slug="plan-extra")
    assert response.headers["ETag"].startswith(f'"{clause.version}.')  # "<version>.<digest of the body>"
    assert list(clause.topics.values_list("slug", flat=True)) == ["lake-ceasefire"]
    assert editor.get(response.headers["Location"]).json() == body


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_writes_are_told_to_authenticate(client_as, method):
    path = "/clauses/" if method == "post" else f"/clauses/{CLAUSE}/"
    response = send(client_as(None), method, path, new_clause())
    problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_readers_without_a_role_may_not_write(client_as, method):
    path = "/clauses/" if method == "post" else f"/clauses/{CLAUSE}/"
    problem(send(client_as("reader"), method, path, new_clause(), if_match="*"), 403)
    assert not Clause.objects.filter(slug="plan-extra").exists()
    assert Clause.objects.filter(slug=CLAUSE).exists()


def test_a_revoked_or_unknown_token_is_refused(client):
    response = client.get(f"{API}/clauses/", headers={"Authorization": "Token not-a-real-token"})
    problem(response, 401)


def test_only_administrators_delete(client_as):
    tag = etag_of(client_as(None), f"/clauses/{CLAUSE}/")
    problem(send(client_as("editor"), "delete", f"/clauses/{CLAUSE}/", if_match=tag), 403)
    response = send(client_as("administrator"), "delete", f"/clauses/{CLAUSE}/", if_match=tag)
    assert response.status_code == 204
    assert not Clause.objects.filter(slug=CLAUSE).exists()


def test_deleting_a_record_others_refer_to_is_a_conflict(client_as, world):
    source = world.sources["report"]
    tag = etag_of(client_as(None), f"/sources/{source.slug}/")
    body = problem(send(client_as("administrator"), "delete", f"/sources/{source.slug}/", if_match=tag), 409)
    assert "citations" in body["detail"]
    assert Source.objects.filter(pk=source.pk).exists()


# One validation path: the model's rules, as the admin applies them (see tests/test_admin.py) --------------------


def test_a_quote_not_in_its_source_is_refused_naming_the_field(editor, world):
    source = world.sources["report"]
    body = problem(
        send(editor, "post", "/citations/", {"slug": "bad", "source": source.slug, "quote": "Peace was signed."}), 400
    )
    assert "does not occur verbatim" in body["errors"]["quote"][0]
    assert not Citation.objects.filter(slug="bad").exists()


def test_a_valid_citation_gets_its_offsets(editor, world):
    source = world.sources["report"]
    quote = source.text.split("\n")[1][:40].strip()
    response = send(editor, "post", "/citations/", {"slug": "good", "source": source.slug, "quote": quote})
    assert response.status_code == 201, response.content
    citation = Citation.objects.get(slug="good")
    assert source.text[citation.start : citation.end] == quote == response.json()["quote"]
    assert citation.start > 0


def test_a_duplicate_clause_number_and_slug_are_refused(editor):
    existing = Clause.objects.get(slug=CLAUSE)
    body = problem(send(editor, "post", "/clauses/", new_clause(number=existing.number)), 400)
    assert "already has a clause with this number" in body["errors"]["non_field_errors"][0]
    body = problem(send(editor, "post", "/clauses/", new_clause(slug=CLAUSE, number=None)), 400)
    assert "already exists" in body["errors"]["slug"][0]


def test_a_position_on_another_proposals_clause_is_refused(editor, world):
    other = world.framework
    position = {
        "slug": "mismatched",
        "holder": "eastmark",
        "proposal": other.slug,
        "clause": CLAUSE,
        "direction": "supports",
        "basis": "outlet-inference",
        "summary": "Mismatched subject.",
    }
    body = problem(send(editor, "post", "/positions/", position), 400)
    assert "belongs to" in body["errors"]["clause"][0]
    assert not Position.objects.filter(slug="mismatched").exists()


def test_every_bad_field_is_named(editor):
    body = problem(
        send(editor, "post", "/clauses/", new_clause(proposal="no-such-plan", topics=["nope"], state="maybe")), 400
    )
    assert set(body["errors"]) == {"proposal", "topics", "state"}


def test_a_slug_cannot_be_changed(editor):
    tag = etag_of(editor, "/topics/lake-ceasefire/")
    body = problem(send(editor, "patch", "/topics/lake-ceasefire/", {"slug": "truce"}, if_match=tag), 400)
    assert "cannot be changed" in body["errors"]["slug"][0]


# Optimistic concurrency ------------------------------------------------------------------------------------------


def test_every_record_has_an_etag_that_changes_when_it_changes(editor):
    before = etag_of(editor, f"/clauses/{CLAUSE}/")
    response = send(editor, "patch", f"/clauses/{CLAUSE}/", {"state": "deferred"}, if_match=before)
    assert response.status_code == 200, response.content
    after = response.headers["ETag"]
    assert after != before
    assert etag_of(editor, f"/clauses/{CLAUSE}/") == after
    assert Clause.objects.get(slug=CLAUSE).state == "deferred"
    assert etag_of(editor, "/negotiations/northland-southland-talks/").startswith('"')


def test_a_change_without_if_match_is_refused(editor, client_as):
    body = problem(send(editor, "patch", f"/clauses/{CLAUSE}/", {"heading": "Unconditional"}), 428)
    assert "If-Match" in body["detail"]
    problem(send(client_as("administrator"), "delete", f"/clauses/{CLAUSE}/"), 428)
    assert Clause.objects.get(slug=CLAUSE).heading != "Unconditional"


def test_a_change_with_a_stale_etag_is_refused(editor):
    stale = etag_of(editor, f"/clauses/{CLAUSE}/")
    assert send(editor, "patch", f"/clauses/{CLAUSE}/", {"heading": "First"}, if_match=stale).status_code == 200
    problem(send(editor, "patch", f"/clauses/{CLAUSE}/", {"heading": "Second"}, if_match=stale), 412)
    problem(send(editor, "patch", f"/clauses/{CLAUSE}/", {"heading": "Weak"}, if_match=f"W/{stale}"), 412)
    assert Clause.objects.get(slug=CLAUSE).heading == "First"


def test_two_editors_change_the_same_clause_at_once_and_no_edit_is_lost(client_as, monkeypatch):
    """Both read the clause and pass the If-Match check; after the first passes it, and before it writes, the
    second's whole request runs. The compare-and-set write makes the first fail with 412 instead of overwriting."""
    alice, bob = client_as("editor", "alice"), client_as("editor", "bob")
    tag = etag_of(alice, f"/clauses/{CLAUSE}/")
    assert etag_of(bob, f"/clauses/{CLAUSE}/") == tag
    current = editor_view(alice)
    answers = {}
    check_if_match = CuratedViewSet.check_if_match

    def interleaved(view, record):
        version = check_if_match(view, record)
        if "bob" not in answers:  # alice has passed the If-Match check: bob's request runs now
            answers["bob"] = None
            answers["bob"] = send(bob, "put", f"/clauses/{CLAUSE}/", {**current, "heading": "Bob's"}, if_match=tag)
        return version

    monkeypatch.setattr(CuratedViewSet, "check_if_match", interleaved)
    answers["alice"] = send(alice, "put", f"/clauses/{CLAUSE}/", {**current, "heading": "Alice's"}, if_match=tag)

    assert answers["bob"].status_code == 200
    problem(answers["alice"], 412)
    clause = Clause.objects.get(slug=CLAUSE)
    assert clause.heading == "Bob's"
    assert answers["bob"].headers["ETag"].startswith(f'"{clause.version}.')
    assert answers["bob"].headers["ETag"] != tag


def editor_view(client):
    """The clause as a PUT body, read from its GET."""
    body = client.get(f"{API}/clauses/{CLAUSE}/").json()
    return {
        "slug": body["slug"],
        "proposal": body["proposal"]["slug"],
        "number": body["number"],
        "heading": body["heading"],
        "text": body["text"],
        "text_is_verbatim": body["text_is_verbatim"],
        "state": body["state"],
        "topics": [topic["slug"] for topic in body["topics"]],
        "citations": [citation["slug"] for citation in body["citations"]],
    }


# Atomic writes -----------------------------------------------------------------------------------------------------


def test_a_write_that_fails_halfway_leaves_nothing_behind(editor, monkeypatch):
    def fail(self, objs, **kwargs):
        raise Topic.DoesNotExist("the topics vanished mid-write")

    monkeypatch.setattr(Clause.topics.related_manager_cls, "set", fail)
    with pytest.raises(Topic.DoesNotExist):
        send(editor, "post", "/clauses/", new_clause())
    assert not Clause.objects.filter(slug="plan-extra").exists()


# Roles and tokens --------------------------------------------------------------------------------------------------


def test_the_roles_exist_after_migrate():
    editor_codenames = set(Group.objects.get(name=roles.EDITOR).permissions.values_list("codename", flat=True))
    assert {"add_clause", "change_clause", "view_clause"} <= editor_codenames
    assert not {codename for codename in editor_codenames if codename.startswith("delete_")}
    administrator = set(Group.objects.get(name=roles.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {"delete_clause", "add_user", "change_user", "delete_user"} <= administrator


def test_create_editor_prints_a_working_token(capsys, client):
    call_command("create_editor", "dana", "--email", "dana@example.org", "--token-days", "7")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = send(client, "post", "/topics/", {"slug": "water", "name": "Water"}, authorization=f"Token {token}")
    assert response.status_code == 201, response.content
    assert Topic.objects.filter(slug="water").exists()


def test_text_no_database_can_store_is_refused_not_a_crash(editor):
    body = problem(send(editor, "post", "/clauses/", new_clause(heading="nul\x00", topics=["\x00"])), 400)
    assert set(body["errors"]) == {"heading", "topics"}
    body = problem(send(editor, "post", "/topics/", {"slug": "t", "name": "\ud800", "pax_categories": 0}), 400)
    assert set(body["errors"]) == {"name", "pax_categories"}


@pytest.mark.parametrize("body", [[None, None], '"a JSON string"', 7])
def test_a_body_that_is_not_an_object_is_refused_not_a_crash(editor, body):
    errors = problem(send(editor, "post", "/topics/", body), 400)["errors"]
    assert "non_field_errors" in errors


def test_a_source_is_created_with_its_document_url(editor):
    body = {"slug": "gazette-extra", "kind": "news-report", "tier": "original-reporting", "outlet": "Gazette"}
    body["document_url"] = ""
    response = send(editor, "post", "/sources/", body)
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "gazette-extra"


@pytest.mark.parametrize(
    ("path", "field", "value", "says"),
    [
        ("/citations/", "source", 0, "slug"),
        ("/clauses/", "proposal", 7, "slug"),
        ("/clauses/", "topics", [1], "slug"),
        ("/clauses/", "topics", 1, "list"),
    ],
)
def test_a_number_where_a_slug_is_expected_is_refused(editor, path, field, value, says):
    """The review's lax input: a related record named by a JSON number was taken as its slug."""
    body = {"slug": "0", "source": "gazette-2031-03-05-plan-text", "quote": "x"} if path == "/citations/" else {}
    errors = problem(send(editor, "post", path, {**(body or new_clause()), field: value}), 400)["errors"]
    assert list(errors) == [field]
    assert says in errors[field][0].lower(), errors
    assert not Citation.objects.filter(slug="0").exists() and not Clause.objects.filter(slug="plan-extra").exists()


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_a_flag_must_be_a_json_boolean(editor, value):
    """Fuzzing found needs_review: 0 accepted; the schema says boolean, so only true and false are."""
    body = {"slug": "gazette-flag", "kind": "news-report", "tier": "original-reporting", "outlet": "Gazette"}
    errors = problem(send(editor, "post", "/sources/", {**body, "needs_review": value}), 400)["errors"]
    assert list(errors) == ["needs_review"]
    assert not Source.objects.filter(slug="gazette-flag").exists()
    assert send(editor, "post", "/sources/", {**body, "needs_review": True}).status_code == 201
