import copy
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from knox.models import AuthToken

from tests.factories import build_world
from treaty import roles


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed dataset, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The made-up negotiation of tests/factories.py, built once per test module (like setUpTestData).

    It lives in a transaction that stays open while the module's tests run, each in its own savepoint,
    and is rolled back after them, so the next module finds the session database as the seed left it.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db):
    """A made-up negotiation of the test's own, beside the seed dataset; a fresh copy of its records per test."""
    return copy.deepcopy(module_world)


@pytest.fixture(scope="session", autouse=True)
def own_cache_directory(tmp_path_factory):
    """The file cache of this test process alone: not the checkout's var/cache, which a running server (or a
    second pytest worker) shares, so their writes never bump this run's data version."""
    caches = copy.deepcopy(django_settings.CACHES)
    if caches["default"]["BACKEND"].endswith("FileBasedCache"):
        caches["default"]["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty shared cache: a test's writes are rolled back, the cache is not."""
    cache.clear()


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """Tests make many requests from one address: no rate limits, except where a test sets them."""
    settings.THROTTLE_RATES = {"anon": None, "user": None, "auth_failure": None}
    # Nor a time budget: a test machine shared with other work can be slow; the budget's tests set their own.
    settings.REQUEST_TIMEOUT = 0


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


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """A SQLite file migrated and seeded as serve.sh does, for live servers to copy (tests/live.py)."""
    from tests import live

    return live.seeded_database(tmp_path_factory.mktemp("live"))


SLOW_KINDS = {"fuzzing", "client_generation", "browser", "replica"}


def pytest_collection_modifyitems(items):
    """Every test of a slow kind is also "slow": `pytest -m "not slow"` is the quick subset.

    Every test has its own id: pytest-xdist hands tests out by id, so tests sharing one run once, silently (pytest
    9.2 gave all of Schemathesis's tests of one function the same id).
    """
    shared = sorted(nodeid for nodeid, count in Counter(item.nodeid for item in items).items() if count > 1)
    if shared:
        raise pytest.UsageError(f"{len(shared)} test id(s) name more than one test, first {shared[0]}")
    for item in items:
        if SLOW_KINDS & {mark.name for mark in item.iter_markers()}:
            item.add_marker(pytest.mark.slow)
