"""Proof by a real TypeScript client: types generated from the committed openapi/openapi.yaml (openapi-typescript),
calls made with openapi-fetch, a small program type-checked in strict mode (tsc) and run against a live server,
doing what the Python client test does; its answers are checked against the seed dataset in the test database."""

import json
import shutil

import pytest

from tests import live
from treaty.models import Clause, ClauseLineage, Position

pytestmark = [pytest.mark.client_generation, pytest.mark.django_db]

HERE = live.ROOT / "tests" / "typescript"
BIN = live.ROOT / "node_modules"
PLAN = "us-28-point-plan"
REVISED = "us-ukraine-revised-framework"


def node(*args: str):
    run = live.run_node(*args)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def program():
    """The generated types and the compiled program (tests/typescript/build/, made afresh)."""
    shutil.rmtree(HERE / "build", ignore_errors=True)
    node(
        BIN / "openapi-typescript" / "bin" / "cli.js", "openapi/openapi.yaml", "-o", str(HERE / "build" / "schema.d.ts")
    )
    node(BIN / "typescript" / "bin" / "tsc", "-p", str(HERE / "tsconfig.json"))  # strict; emits nothing on error
    return HERE / "build" / "js" / "client.js"


@pytest.fixture(scope="module")
def answers(program, seeded_sqlite, tmp_path_factory):
    with live.serving(seeded_sqlite, tmp_path_factory.mktemp("ts")) as url:
        return json.loads(node(program, url).stdout)


def test_the_program_type_checks_in_strict_mode(program):
    config = json.loads((HERE / "tsconfig.json").read_text())["compilerOptions"]
    assert config["strict"] and config["noEmitOnError"]
    assert program.is_file()


def test_list_the_28_point_plans_clauses_on_a_topic(answers):
    expected = Clause.objects.filter(proposal__slug=PLAN, topics__slug="alliances-and-nato").order_by("number")
    assert answers["count"] == expected.count()
    assert [clause["slug"] for clause in answers["clauses"]] == [clause.slug for clause in expected]
    assert all("alliances-and-nato" in clause["topics"] for clause in answers["clauses"])
    assert [clause["number"] for clause in answers["clauses"]] == [3, 4, 7, 8]


def test_read_a_clauses_history(answers):
    history = answers["history"]
    assert history["clause"] == "us-28-point-plan-07"
    links = ClauseLineage.objects.filter(derived_from__slug="us-28-point-plan-07")
    assert {(link["clause"], link["change"]) for link in history["lineage"]} == set(
        links.values_list("clause__slug", "change")
    )
    positions = Position.objects.filter(clause__slug__in=history["versions"])
    assert set(history["positions"]) == set(positions.values_list("slug", flat=True))


def test_fetch_the_diff_between_the_28_point_plan_and_the_revised_framework(answers):
    diff = answers["diff"]
    assert (diff["old"], diff["new"]) == (PLAN, REVISED)
    by_old = {slug: change for change in diff["changes"] for slug in change["old"]}
    assert set(by_old) == set(Clause.objects.filter(proposal__slug=PLAN).values_list("slug", flat=True))
    for link in ClauseLineage.objects.filter(clause__proposal__slug=REVISED, derived_from__proposal__slug=PLAN):
        assert by_old[link.derived_from.slug]["change"] == link.change
        assert by_old[link.derived_from.slug]["new"] == [link.clause.slug]
    assert by_old["us-28-point-plan-21"]["change"] == "deferred"
    assert by_old["us-28-point-plan-06"]["change"] == "unknown"
    assert diff["counts"]["unknown"] == 28 - diff["counts"]["deferred"]


def test_errors_reach_the_client_as_problem_details(answers):
    assert answers["problem"] == {
        "status": 404,
        "detail": "No proposal has the slug “no-such-plan” (parameter `against`).",
    }
