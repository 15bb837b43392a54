"""Bulk curation in the admin: export any changelist to CSV and JSON; import clauses, positions and citations from
CSV with a dry-run preview, all rows or none, through the models' own rules, recorded in the audit history."""

import csv
import io
import json

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from treaty.models import Citation, Clause, Position
from treaty.resources import resource_for

# Imports add to, and exports include, the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

PLAN = "northland-five-point-plan"
TREATY_MODELS = [model for model in admin.site._registry if model._meta.app_label == "treaty"]


def url(model, action):
    return reverse(f"admin:treaty_{model._meta.model_name}_{action}")


def export(client, model, file_format: int) -> str:
    """Export the whole changelist: 0 is CSV, 1 is JSON."""
    form = client.get(url(model, "export")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    response = client.post(url(model, "export"), {**data, "format": file_format, "resource": 0})
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


@pytest.mark.parametrize("model", TREATY_MODELS, ids=lambda m: m._meta.model_name)
def test_every_changelist_exports_to_csv_and_json(admin_client, world, model):
    rows = list(csv.DictReader(io.StringIO(export(admin_client, model, 0))))
    assert len(rows) == model.objects.count()
    assert "id" not in rows[0] and "version" not in rows[0]
    records = json.loads(export(admin_client, model, 1))
    assert len(records) == model.objects.count()
    own = world.records(model)
    assert own.exists()
    if hasattr(model, "slug"):
        exported = {row["slug"] for row in rows}
        assert set(own.values_list("slug", flat=True)) <= exported
        assert {record["slug"] for record in records} == exported


def test_exports_name_related_records_by_slug(admin_client):
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(export(admin_client, Clause, 0)))}
    clause = Clause.objects.get(slug=f"{PLAN}-05")
    assert rows[clause.slug]["proposal"] == PLAN
    assert set(rows[clause.slug]["topics"].split(",")) == {"alliance-membership", "troop-limits"}
    assert rows[clause.slug]["citations"] == "cite-plan-5"


def csv_file(rows: list[dict]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("clauses.csv", out.getvalue().encode(), content_type="text/csv")


def clause_row(slug, number, **fields):
    row = {"slug": slug, "proposal": PLAN, "number": number, "heading": f"Heading {slug}", "text": "Ours."}
    return {**row, "text_is_verbatim": "0", "state": "proposed", "topics": "lake-ceasefire", "citations": "", **fields}


def preview(client, rows):
    response = client.post(url(Clause, "import"), {"import_file": csv_file(rows), "format": 0, "resource": 0})
    assert response.status_code == 200
    return response


def test_an_import_is_previewed_then_saved_with_its_author(admin_client):
    rows = [clause_row("import-one", 91), clause_row("import-two", 92)]
    response = preview(admin_client, rows)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert not Clause.objects.filter(slug__startswith="import-").exists(), "the preview is a dry run"
    confirm = response.context["confirm_form"].initial
    response = admin_client.post(url(Clause, "process_import"), confirm)
    assert response.status_code == 302
    created = Clause.objects.filter(slug__startswith="import-").order_by("number")
    assert [c.number for c in created] == [91, 92]
    assert list(created[0].topics.values_list("slug", flat=True)) == ["lake-ceasefire"]
    assert created[0].history.latest().history_user.username == "curator"


def test_a_row_breaking_a_rule_is_shown_and_nothing_is_imported(admin_client):
    existing = Clause.objects.filter(proposal__slug=PLAN, number__isnull=False).first()
    rows = [clause_row("import-good", 93), clause_row("import-bad", existing.number)]
    result = preview(admin_client, rows).context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert "already has a clause with this number" in str(invalid.error_dict)
    assert not Clause.objects.filter(slug__startswith="import-").exists()


def test_a_failing_row_rolls_back_the_rows_before_it(world):
    """Outside the admin too: the resource's import is all or nothing."""
    source = world.sources["report"]
    quote = source.text.split("\n")[1][:30].strip()
    dataset = resource_for(Citation)().export(Citation.objects.none())
    dataset.append(["import-good", source.slug, quote, "", "", "", ""][: len(dataset.headers)])
    dataset.append(["import-bad", source.slug, "Not in the text at all.", "", "", "", ""][: len(dataset.headers)])
    result = resource_for(Citation)().import_data(dataset, dry_run=False)
    assert [row.number for row in result.invalid_rows] == [2], "only the second row is wrong"
    assert "does not occur verbatim" in str(result.invalid_rows[0].error_dict)
    assert not Citation.objects.filter(slug__startswith="import-").exists()


def test_positions_import_through_the_same_rules(admin_client):
    assert admin_client.get(url(Position, "import")).status_code == 200
    assert admin_client.get(url(Citation, "import")).status_code == 200


def test_a_position_whose_speaker_does_not_speak_for_its_holder_is_not_imported():
    """The CSV import runs the provenance rules too: Macron cannot state Russia's position."""
    dataset = resource_for(Position)().export(Position.objects.none())
    row = {
        "slug": "import-macron-for-russia",
        "holder": "russia",
        "proposal": PLAN,
        "direction": "opposes",
        "firmness": "stated",
        "speaker": "emmanuel-macron",
        "basis": "on-record",
        "summary": "A French president speaking for Russia.",
        "needs_review": "0",
    }
    dataset.append([row.get(header, "") for header in dataset.headers])
    result = resource_for(Position)().import_data(dataset, dry_run=False)
    assert [r.number for r in result.invalid_rows] == [1]
    assert "does not speak for" in str(result.invalid_rows[0].error_dict)
    assert not Position.objects.filter(slug="import-macron-for-russia").exists()
