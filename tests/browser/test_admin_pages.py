"""The admin as a curator sees it (headless Chromium, 1,400 px wide): the main change pages load, fit the window,
and their inline rows read as what they are; screenshots go to test-artifacts/."""

import json

import pytest
from django.urls import reverse

from tests import live
from treaty.models import Citation, Clause, ClauseLineage, Event, Position, Proposal, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
HERE = live.ROOT / "tests" / "browser"
CURATOR = ("curator", "a-long-test-password")
WINDOW = 1400


def change_url(obj):
    return reverse(f"admin:treaty_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture(scope="module")
def pages(seeded_sqlite, tmp_path_factory, django_db_setup, django_db_blocker):
    """Each main change page, as the browser found it. The test database has the same seed, so the same ids."""
    with django_db_blocker.unblock():
        clause = Clause.objects.get(slug="us-28-point-plan-21")
        position = Position.objects.filter(clause=clause).exclude(citations=None).first()
        targets = {
            "clause": change_url(clause),
            "position": change_url(position),
            "proposal": change_url(Proposal.objects.get(slug="us-28-point-plan")),
            "citation": change_url(Citation.objects.exclude(quote="").first()),
            "source": change_url(Source.objects.exclude(text="").first()),
            "event": change_url(Event.objects.exclude(people=None).first()),
            "position-add": reverse("admin:treaty_position_add"),
        }
    live.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with live.serving(seeded_sqlite, tmp_path_factory.mktemp("admin"), superuser=CURATOR) as url:
        args = [f"{name}={path}" for name, path in targets.items()]
        run = live.run_node(HERE / "admin.mjs", url, *CURATOR, str(live.ARTIFACTS), *args, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == [] and report["foreign"] == [], report
    assert report["violations"] == [], "the Content-Security-Policy refused something the admin needs"
    return report["pages"]


PAGES = ["clause", "position", "proposal", "citation", "source", "event", "position-add"]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_loads_fits_the_window_and_is_saved_as_a_screenshot(pages, name):
    page = pages[name]
    assert page["status"] == 200
    assert page["width"] <= WINDOW, f"{name} is {page['width']} px wide: {page['overflowing']}"
    assert (live.ARTIFACTS / f"admin-{name}.png").stat().st_size > 10_000


def test_no_inline_row_reads_as_an_object_number(pages):
    for name in PAGES:
        for heading, rows in pages[name]["inlines"].items():
            for row in rows:
                assert " object (" not in row, f"{name} / {heading}: {row}"


def test_the_clause_page_shows_its_citations_positions_and_both_directions_of_lineage(pages):
    inlines = pages["clause"]["inlines"]
    clause = Clause.objects.get(slug="us-28-point-plan-21")
    first = clause.citations.order_by("pk").first()
    assert any(str(first.source.outlet) in row for row in inlines["Citations"])
    later = ClauseLineage.objects.filter(derived_from=clause).first()
    assert any(later.clause.heading in row for row in inlines["Later versions (derived from this clause)"])
    assert len(inlines["Positions"]) == min(3, clause.positions.count()) and clause.positions.exists()
    assert all("Change" in row for row in inlines["Positions"]), "each position links to its own page"


def test_the_position_form_starts_with_holder_subject_and_stance(pages):
    assert pages["position-add"]["fields"][:5] == ["holder", "proposal", "clause", "direction", "firmness"]


def test_citation_chips_are_told_apart_by_their_quote(pages):
    chips = pages["position"]["chips"]
    position = Position.objects.filter(clause__slug="us-28-point-plan-21").exclude(citations=None).first()
    assert len(chips) == position.citations.count()
    for chip, citation in zip(sorted(chips), sorted(str(c) for c in position.citations.all()), strict=True):
        assert citation in chip, "the whole label, quote included"
