import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from treaty import roles


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed dataset, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """Tests make many requests from one address: no rate limits, except where a test sets them."""
    settings.THROTTLE_RATES = {"anon": None, "user": None, "auth_failure": None}


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client


ROLES = {"reader": None, "editor": roles.EDITOR, "administrator": roles.ADMINISTRATOR}


@pytest.fixture
def token_for(db, django_user_model):
    """An API token for a new user with the given role ("reader": an account without a role)."""

    def make(role: str, username: str | None = None) -> str:
        user = django_user_model.objects.create_user(username or f"{role}-user")
        if ROLES[role]:
            user.groups.add(Group.objects.get(name=ROLES[role]))
        return AuthToken.objects.create(user=user)[1]

    return make


@pytest.fixture
def client_as(token_for):
    """A test client that sends the API token of a new user with the given role (None: anonymous)."""

    def make(role: str | None, username: str | None = None) -> Client:
        if role is None:
            return Client()
        return Client(headers={"Authorization": f"Token {token_for(role, username)}"})

    return make
