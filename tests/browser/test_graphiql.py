"""GraphiQL in a real browser (headless Chromium): /graphql/ renders from the project's own static files, with no
request to any other host, and runs a query, with DEBUG on and off."""

import json

import pytest

from tests import live
from treaty.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
HERE = live.ROOT / "tests" / "browser"


@pytest.mark.parametrize("debug", [True, False], ids=["development", "production"])
def test_graphiql_renders_offline_and_runs_a_query(seeded_sqlite, tmp_path, debug):
    live.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = live.ARTIFACTS / f"graphiql-{'development' if debug else 'production'}.png"
    with live.serving(seeded_sqlite, tmp_path, debug=debug) as url:
        run = live.run_node(HERE / "graphiql.mjs", url, str(screenshot))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["foreign"] == [], "GraphiQL asked another host for something"
    assert report["violations"] == [], "the Content-Security-Policy refused something GraphiQL needs"
    assert report["shown"], report["errors"]
    plan = Proposal.objects.get(slug="us-28-point-plan")
    assert f'"title": "{plan.title}"' in report["shown"], "GraphiQL shows the answer"
    answer = report["answer"]
    assert answer["data"]["proposal"]["title"] == plan.title
    assert [c["number"] for c in answer["data"]["proposal"]["clauses"]] == list(
        plan.clauses.order_by("number").values_list("number", flat=True)
    )
    assert screenshot.stat().st_size > 10_000
