import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed dataset, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client
