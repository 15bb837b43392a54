"""The seed and dataset_report management commands, through call_command."""

import re
import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from treaty.management.commands import seed
from treaty.models import Clause, Party, Position, Proposal, Topic

pytestmark = pytest.mark.django_db


def dump_treaty_data() -> str:
    models = apps.get_app_config("treaty").get_models()
    return "\n".join(
        serializers.serialize("json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True)
        for model in models
    )


def run(command, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def test_seeding_again_changes_nothing():
    before = dump_treaty_data()
    run("seed", verbosity=0)
    assert dump_treaty_data() == before


def test_seed_restores_edited_records_in_place():
    Topic.objects.filter(slug="ceasefire").update(name="Edited")
    count = Topic.objects.count()
    run("seed", verbosity=0)
    assert Topic.objects.get(slug="ceasefire").name == "Ceasefire"
    assert Topic.objects.count() == count


def test_seed_shows_progress():
    output = run("seed", verbosity=1)
    for path in sorted(seed.SEED_DIR.glob("*.yaml")):
        assert path.name in output
    assert "stored text of wapo-2025-11-26-flexible-diplomacy" in output
    assert "Seed dataset loaded and checked." in output


def test_seed_is_silent_at_verbosity_zero():
    assert run("seed", verbosity=0) == ""


def test_seed_refuses_invalid_data_and_saves_nothing():
    plan = Proposal.objects.get(slug="us-28-point-plan")
    Clause.objects.create(slug="uncited-clause", proposal=plan, heading="Uncited", text="No source says this.")
    Topic.objects.filter(slug="ceasefire").update(name="Edited")
    with pytest.raises(CommandError) as error:
        run("seed", verbosity=0)
    assert "nothing was saved" in str(error.value)
    assert "clause uncited-clause: cites no source" in str(error.value)
    # The fixtures would have restored the topic's name: that the edit survives shows the rollback.
    assert Topic.objects.get(slug="ceasefire").name == "Edited"


def test_seed_refuses_a_text_file_that_matches_no_source(tmp_path, monkeypatch):
    for path in seed.source_text_files():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "no-such-source.txt").write_text("orphan")
    monkeypatch.setattr(seed, "SOURCE_TEXTS_DIR", tmp_path)
    with pytest.raises(CommandError, match=r"no-such-source\.txt matches no source"):
        run("seed", verbosity=0)


def test_seed_names_the_fixture_it_cannot_load(tmp_path, monkeypatch):
    (tmp_path / "01-broken.yaml").write_text("- model: treaty.topic\n  fields: {slug: x, name: [unclosed\n")
    monkeypatch.setattr(seed, "SEED_DIR", tmp_path)
    with pytest.raises(CommandError, match=r"01-broken\.yaml could not be loaded"):
        run("seed", verbosity=0)


def report_rows(output: str, section: str) -> dict[str, int]:
    """The 'name  count' rows of one section of the report."""
    body = output.split(section, 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in body.splitlines():
        match = re.match(r"  (.+?)\s{2,}(\d+)(?:  \(.*\))?$", line)
        if match:
            rows[match[1]] = int(match[2])
    return rows


def test_report_counts_match_the_database():
    output = run("dataset_report")
    counts = report_rows(output, "Records per model")
    for model in apps.get_app_config("treaty").get_models():
        assert counts[str(model._meta.verbose_name_plural)] == model._default_manager.count()
    topics = report_rows(output, "Clauses per topic")
    assert topics == {topic.name: topic.clauses.count() for topic in Topic.objects.all()}
    parties = report_rows(output, "Positions per holder")
    expected = {party.name: party.positions.count() for party in Party.objects.all() if party.positions.exists()}
    assert parties == expected and sum(parties.values()) == Position.objects.count()


def test_report_shows_directions_per_holder():
    output = run("dataset_report")
    russia = next(line for line in output.splitlines() if line.startswith("  Russia "))
    for direction in Position.objects.filter(holder__slug="russia").values_list("direction", flat=True).distinct():
        count = Position.objects.filter(holder__slug="russia", direction=direction).count()
        assert f"{direction or 'under review'} {count}" in russia


def test_report_lists_the_records_marked_for_review():
    Position.objects.filter(slug="russia-no-nato-membership").update(needs_review=True, review_note="Check firmness.")
    output = run("dataset_report")
    section = output.split("Records marked for review\n", 1)[1].split("\n\n", 1)[0]
    assert "position russia-no-nato-membership: Check firmness." in section
    assert section.count("\n") + 1 >= Position.objects.filter(needs_review=True).count()


def test_report_lists_records_lacking_citations_and_problems():
    clean = run("dataset_report")
    assert "Records lacking citations\n  none" in clean
    assert "Problems found by the dataset checker\n  none" in clean
    plan = Proposal.objects.get(slug="us-28-point-plan")
    Clause.objects.create(slug="uncited-clause", proposal=plan, heading="Uncited", text="No source says this.")
    output = run("dataset_report")
    assert "Records lacking citations\n  clause uncited-clause" in output
    assert "  clause uncited-clause: cites no source" in output
