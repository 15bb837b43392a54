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


def test_seed_keeps_an_edited_record_and_says_what_differs():
    Topic.objects.filter(slug="ceasefire").update(name="Edited", description="A curator's words.")
    count = Topic.objects.count()
    output = run("seed", verbosity=1)
    assert Topic.objects.get(slug="ceasefire").name == "Edited"
    assert Topic.objects.count() == count
    assert "1 record(s) differ from the fixtures and were kept as they are:" in output
    assert "  topic ceasefire: name, description" in output
    assert "manage.py seed --restore" in output


def test_seed_creates_what_is_missing_with_its_relations_and_history():
    clause = Clause.objects.get(slug="us-28-point-plan-21")
    topics = set(clause.topics.values_list("slug", flat=True))
    clause.delete()
    Clause.history.filter(slug=clause.slug).delete()  # as if it had never been loaded
    output = run("seed", verbosity=1)
    recreated = Clause.objects.get(slug="us-28-point-plan-21")
    assert set(recreated.topics.values_list("slug", flat=True)) == topics
    assert "Seed dataset checked: " in output and " 0 record(s) created" not in output
    [entry] = recreated.history.all()
    assert entry.history_type == "+" and entry.history_change_reason == seed.CREATED_REASON
    assert {t.topic.slug for t in entry.topics.all()} == topics, "the history entry holds the relations too"


def test_seed_does_not_bring_back_a_record_a_curator_deleted():
    Topic.objects.create(slug="water", name="Water")  # nothing cites it, so deleting it breaks no rule
    Clause.objects.get(slug="us-28-point-plan-21").delete()  # the history records the deletion
    output = run("seed", verbosity=1)
    assert not Clause.objects.filter(slug="us-28-point-plan-21").exists()
    assert "record(s) deleted by curators were not recreated:" in output
    assert "  clause us-28-point-plan-21" in output


def restore(monkeypatch, answer=None, **options) -> str:
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda prompt: answer)
    return run("seed", restore=True, verbosity=1, **options)


def test_restore_asks_and_changes_nothing_unless_told_yes(monkeypatch):
    Topic.objects.filter(slug="ceasefire").update(name="Edited")
    with pytest.raises(CommandError, match="Nothing was changed"):
        restore(monkeypatch, answer="no")
    assert Topic.objects.get(slug="ceasefire").name == "Edited"


def test_restore_overwrites_edits_under_its_own_name_in_the_history(monkeypatch):
    topic = Topic.objects.get(slug="ceasefire")
    topic.name = "Edited"
    topic.save()
    version = topic.version
    output = restore(monkeypatch, answer="yes")
    topic.refresh_from_db()
    assert topic.name == "Ceasefire"
    assert topic.version == version + 1, "the ETag moves on, so a client holding the edited record gets a 412"
    assert "  restored topic ceasefire: name" in output
    latest, edit = topic.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_user.username == seed.SYSTEM_USER and not latest.history_user.is_active
    assert latest.history_change_reason == seed.RESTORED_REASON and latest.name == "Ceasefire"
    assert edit.name == "Edited", "the edit stays in the history, to revert to"


def test_restore_without_input_recreates_deleted_records_and_relations(monkeypatch):
    def no_questions(prompt):
        raise AssertionError("--no-input must not ask")

    monkeypatch.setattr("builtins.input", no_questions)
    clause = Clause.objects.get(slug="us-28-point-plan-21")
    topics = set(clause.topics.values_list("slug", flat=True))
    clause.topics.clear()
    deleted = Clause.objects.get(slug="us-28-point-plan-22")
    positions = set(deleted.positions.values_list("slug", flat=True))
    deleted.delete()  # and its positions with it
    output = run("seed", restore=True, interactive=False, verbosity=1)
    assert set(clause.topics.values_list("slug", flat=True)) == topics
    assert Clause.objects.filter(slug="us-28-point-plan-22").exists()
    assert "  recreated clause us-28-point-plan-22" in output
    assert "  restored clause us-28-point-plan-21: topics" in output
    assert set(Clause.objects.get(slug="us-28-point-plan-22").positions.values_list("slug", flat=True)) == positions


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


def test_seed_refuses_a_record_defined_twice(tmp_path, monkeypatch):
    (tmp_path / "01-topics.yaml").write_text("- model: treaty.topic\n  fields: {slug: twice, name: One}\n")
    (tmp_path / "02-more.yaml").write_text("- model: treaty.topic\n  fields: {slug: twice, name: Two}\n")
    monkeypatch.setattr(seed, "SEED_DIR", tmp_path)
    with pytest.raises(CommandError, match=r"treaty\.topic twice is defined twice, in 01-topics\.yaml and 02-more"):
        run("seed", verbosity=0)
    assert not Topic.objects.filter(slug="twice").exists()


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
