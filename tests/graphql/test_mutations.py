"""Curation through GraphQL: the same permissions, rules, versions and history as REST."""

import pytest
from django.test import Client

from tests.graphql.conftest import post
from treaty.models import Clause, Position

# Every test writes on the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

PLAN = "northland-five-point-plan"
CLAUSE = f"{PLAN}-02"

CREATE_CLAUSE = """
mutation ($input: ClauseInput!) { createClause(input: $input) { slug version proposal { slug } topics { slug } } }
"""
UPDATE_CLAUSE = """
mutation ($slug: String!, $version: Int!, $changes: ClauseChanges!) {
  updateClause(slug: $slug, version: $version, changes: $changes) { slug heading version }
}
"""
NEW_CLAUSE = {"slug": "plan-extra", "proposal": PLAN, "heading": "Extra", "text": "Ours.", "topics": ["lake-ceasefire"]}


def run(client, query, **variables):
    response = post(client, query, variables)
    assert response.status_code == 200, response.content
    return response.json()


def error_code(body):
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


def test_an_editor_creates_a_clause(client_as):
    body = run(client_as("editor"), CREATE_CLAUSE, input=NEW_CLAUSE)
    assert body["data"]["createClause"] == {
        "slug": "plan-extra",
        "version": 1,
        "proposal": {"slug": PLAN},
        "topics": [{"slug": "lake-ceasefire"}],
    }
    assert Clause.objects.filter(slug="plan-extra", topics__slug="lake-ceasefire").exists()


@pytest.mark.parametrize(("role", "code"), [(None, "UNAUTHENTICATED"), ("reader", "FORBIDDEN")])
def test_anonymous_and_readers_may_not_write(client_as, role, code):
    assert error_code(run(client_as(role), CREATE_CLAUSE, input=NEW_CLAUSE)) == code
    assert not Clause.objects.filter(slug="plan-extra").exists()


def test_a_bad_token_is_a_401(client):
    response = post(client, "{ __typename }", HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_the_models_rules_apply_and_each_bad_field_is_named(client_as, world):
    editor = client_as("editor")
    source = world.sources["report"]
    query = "mutation ($input: CitationInput!) { addCitation(input: $input) { slug start end } }"
    body = run(editor, query, input={"slug": "bad", "source": source.slug, "quote": "Peace was signed."})
    assert error_code(body) == "BAD_USER_INPUT"
    assert "does not occur verbatim" in body["errors"][0]["extensions"]["errors"]["quote"][0]
    other = world.framework
    position = {
        "slug": "mismatched",
        "holder": "eastmark",
        "proposal": other.slug,
        "clause": CLAUSE,
        "direction": "SUPPORTS",
        "basis": "OUTLET_INFERENCE",
        "summary": "Mismatched.",
    }
    body = run(editor, "mutation ($input: PositionInput!) { recordPosition(input: $input) { slug } }", input=position)
    assert "belongs to" in body["errors"][0]["extensions"]["errors"]["clause"][0]
    assert not Position.objects.filter(slug="mismatched").exists()


def test_an_update_at_a_stale_version_is_refused(client_as):
    editor = client_as("editor")
    version = Clause.objects.get(slug=CLAUSE).version
    first = run(editor, UPDATE_CLAUSE, slug=CLAUSE, version=version, changes={"heading": "First"})
    assert first["data"]["updateClause"] == {"slug": CLAUSE, "heading": "First", "version": version + 1}
    stale = run(editor, UPDATE_CLAUSE, slug=CLAUSE, version=version, changes={"heading": "Second"})
    assert error_code(stale) == "BAD_USER_INPUT"
    assert stale["errors"][0]["extensions"]["reason"] == "STALE_VERSION"
    assert Clause.objects.get(slug=CLAUSE).heading == "First"


def test_graphql_changes_are_in_the_history_with_the_token_user(client_as):
    editor = client_as("editor", "gail")
    version = Clause.objects.get(slug=CLAUSE).version
    run(editor, UPDATE_CLAUSE, slug=CLAUSE, version=version, changes={"heading": "Via GraphQL"})
    query = "query ($slug: String!) { revisions(resource: CLAUSE, slug: $slug) { user action changes { field new } } }"
    latest = run(editor, query, slug=CLAUSE)["data"]["revisions"][0]
    assert latest == {"user": "gail", "action": "changed", "changes": [{"field": "heading", "new": "Via GraphQL"}]}
    # Who made it is for curators only.
    assert run(Client(), query, slug=CLAUSE)["data"]["revisions"][0]["user"] is None


def test_a_session_counts_only_with_a_csrf_token(django_user_model):
    """A curator logged into the admin may write from the browser only with the CSRF token."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("sam")
    user.groups.add(Group.objects.get(name="editor"))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert error_code(run(browser, CREATE_CLAUSE, input=NEW_CLAUSE)) == "UNAUTHENTICATED"
    browser.get("/admin/login/")  # a page with a form: it sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = post(browser, CREATE_CLAUSE, {"input": NEW_CLAUSE}, HTTP_X_CSRFTOKEN=token)
    assert response.json()["data"]["createClause"]["slug"] == "plan-extra"
