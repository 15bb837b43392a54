"""Proof by a real client: a Python client generated from the committed schema, against a live server.

The server runs as a subprocess on loopback with its own SQLite file, migrated and holding the
made-up negotiation of tests/factories.py; its answers are checked against the same records, built
in the test database too.
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.live import free_port, running
from treaty.models import Clause, ClauseLineage, Position, Proposal

pytestmark = pytest.mark.client_generation

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable
PLAN = "northland-five-point-plan"
REVISED = "joint-revised-framework"
BUILD_WORLD = "from tests.factories import build_world; build_world()"


@pytest.fixture(scope="module")
def treaty_client(tmp_path_factory):
    """The client package openapi-python-client generates from openapi/openapi.yaml."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.yaml"
    config.write_text("project_name_override: treaty-client\npackage_name_override: treaty_client\npost_hooks: []\n")
    subprocess.run(
        [
            str(Path(PYTHON).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(BASE_DIR / "openapi" / "openapi.yaml"),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(where / "treaty_client"),
            "--fail-on-warning",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("treaty_client")
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.split(".")[0] == "treaty_client"]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The API served by runserver on a free loopback port, with a migrated SQLite database of the made-up records."""
    database = tmp_path_factory.mktemp("server") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true", "PYTHONUNBUFFERED": "1"}
    manage = [PYTHON, str(BASE_DIR / "manage.py")]
    for command in (["migrate", "--no-input"], ["shell", "--command", BUILD_WORLD]):
        subprocess.run([*manage, *command, "-v", "0"], env=env, check=True, cwd=BASE_DIR, timeout=300)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"]
    with running(command, env, f"{base_url}/api/v1/", database.parent / "server.log", seconds=60):
        yield base_url


@pytest.fixture
def client(treaty_client, server):
    with treaty_client.Client(base_url=server, raise_on_unexpected_status=True, timeout=30) as client:
        yield client


def test_list_the_plans_clauses_on_a_topic(world, client):
    from treaty_client.api.clauses import clauses_list

    page = clauses_list.sync(client=client, proposal=[PLAN], topic=["alliance-membership"], page_size=100)
    expected = Clause.objects.filter(proposal__slug=PLAN, topics__slug="alliance-membership").order_by("number")
    assert page.count == expected.count()
    assert [clause.slug for clause in page.results] == [clause.slug for clause in expected]
    assert all("alliance-membership" in clause.topics for clause in page.results)
    assert [clause.number for clause in page.results] == [3, 5]


def test_read_a_clauses_history(world, client):
    from treaty_client.api.clauses import clauses_history_retrieve

    history = clauses_history_retrieve.sync(f"{PLAN}-02", client=client)
    assert history.clause.slug == f"{PLAN}-02"
    links = ClauseLineage.objects.filter(derived_from__slug=f"{PLAN}-02")
    assert links.exists()
    assert {link.clause.slug for link in history.lineage} == set(links.values_list("clause__slug", flat=True))
    assert {link.change.value for link in history.lineage} == set(links.values_list("change", flat=True))
    positions = Position.objects.filter(clause__slug__in=[version.slug for version in history.versions])
    served = {entry.slug for party in history.stances for entry in party.timeline}
    assert served == set(positions.values_list("slug", flat=True))
    assert len(served) == 5


def test_fetch_the_diff_between_the_plan_and_the_framework(world, client):
    from treaty_client.api.proposals import proposals_diff_retrieve
    from treaty_client.models import DiffChangeEnum

    diff = proposals_diff_retrieve.sync(REVISED, client=client, against=PLAN)
    assert (diff.old.slug, diff.new.slug) == (PLAN, REVISED)
    by_old = {clause.slug: change for change in diff.changes for clause in change.old_clauses}
    assert set(by_old) == set(Clause.objects.filter(proposal__slug=PLAN).values_list("slug", flat=True))
    for link in ClauseLineage.objects.filter(clause__proposal__slug=REVISED, derived_from__proposal__slug=PLAN):
        change = by_old[link.derived_from.slug]
        assert change.change == DiffChangeEnum(link.change)
        assert [clause.slug for clause in change.new_clauses] == [link.clause.slug]
    assert by_old[f"{PLAN}-04"].change == DiffChangeEnum.DEFERRED
    assert by_old[f"{PLAN}-01"].change == DiffChangeEnum.UNKNOWN
    assert by_old[f"{PLAN}-03"].change == DiffChangeEnum.MERGED
    assert diff.counts.unknown == 5 - len(set(ClauseLineage.objects.filter(derived_from__proposal__slug=PLAN))) == 1
    assert Proposal.objects.get(slug=REVISED).stated_point_count == 3


def test_errors_reach_the_client_as_problem_details(client):
    from treaty_client.api.proposals import proposals_diff_retrieve
    from treaty_client.models import Problem

    client.raise_on_unexpected_status = False
    answer = proposals_diff_retrieve.sync_detailed(REVISED, client=client, against="no-such-plan")
    assert answer.status_code == 404
    assert isinstance(answer.parsed, Problem)
    assert answer.parsed.detail == "No proposal has the slug “no-such-plan” (parameter `against`)."
