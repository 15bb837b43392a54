"""The admin as a curator uses it: every page loads, and invalid data is refused in the form."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from treaty.models import Citation, Clause, Person, Position, Topic

# The pages show and the forms edit the made-up negotiation of tests/factories.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

TREATY_MODELS = [model for model in admin.site._registry if model._meta.app_label == "treaty"]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_treaty_model_is_registered():
    """Every curated model; the audit history's models (HistoricalClause…) are shown on each record's History."""
    from django.apps import apps

    curated = {m for m in apps.get_app_config("treaty").get_models() if not m.__name__.startswith("Historical")}
    assert curated == set(TREATY_MODELS)


@pytest.mark.parametrize("model", TREATY_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_add_and_change_pages_load(admin_client, world, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "Ana Norberg"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = world.records(model).first()
    assert obj is not None, f"the made-up negotiation has no {model._meta.verbose_name}"
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()


def test_people_are_found_by_any_spelling_of_their_name(admin_client):
    for name, spellings in {"Anna Norberg": ("Norberg", "Ana Norberg"), "Sven Sudberg": ("Sudberg", "Swen")}.items():
        for spelling in spellings:
            response = admin_client.get(admin_url(Person, "changelist"), {"q": spelling})
            assert name in response.content.decode(), spelling
    response = admin_client.get(admin_url(Person, "changelist"), {"q": "Swen"})
    assert "Anna Norberg" not in response.content.decode()


def form_data(client, url, **fields):
    """The add form's management data for every inline, plus the given fields."""
    response = client.get(url)
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-TOTAL_FORMS": "0", f"{formset.prefix}-INITIAL_FORMS": "0"}
    return data | fields


def errors_of(response):
    assert response.status_code == 200, "an invalid form is shown again, not saved or crashed"
    return str(response.context["adminform"].form.errors) + str(response.context["adminform"].form.non_field_errors())


def test_quote_not_in_its_source_is_refused(admin_client, world):
    source = world.sources["report"]
    url = admin_url(Citation, "add")
    before = Citation.objects.count()
    response = admin_client.post(
        url, form_data(admin_client, url, slug="bad-quote", source=source.pk, quote="Peace was signed yesterday.")
    )
    assert "does not occur verbatim" in errors_of(response)
    assert Citation.objects.count() == before


def test_duplicate_clause_number_is_refused(admin_client, world):
    existing = world.clauses["plan-2"]
    url = admin_url(Clause, "add")
    response = admin_client.post(
        url,
        form_data(
            admin_client,
            url,
            slug="duplicate-number",
            proposal=existing.proposal.pk,
            number=existing.number,
            heading="Duplicate",
            text="A second clause with the same number.",
            state="proposed",
        ),
    )
    assert "already has a clause with this number" in errors_of(response)
    assert not Clause.objects.filter(slug="duplicate-number").exists()


def test_position_on_another_proposals_clause_is_refused(admin_client, world):
    clause = world.clauses["plan-2"]
    other = world.framework
    party = world.parties["eastmark"]
    url = admin_url(Position, "add")
    response = admin_client.post(
        url,
        form_data(
            admin_client,
            url,
            slug="mismatched",
            holder=party.pk,
            proposal=other.pk,
            clause=clause.pk,
            direction="supports",
            basis="outlet-inference",
            summary="Mismatched subject.",
        ),
    )
    assert "belongs to" in errors_of(response)
    assert not Position.objects.filter(slug="mismatched").exists()


def test_valid_citation_is_saved_with_its_offsets(admin_client, world):
    source = world.sources["report"]
    quote = source.text.split("\n")[1][:40].strip()
    url = admin_url(Citation, "add")
    response = admin_client.post(url, form_data(admin_client, url, slug="good-quote", source=source.pk, quote=quote))
    assert response.status_code == 302
    citation = Citation.objects.get(slug="good-quote")
    assert source.text[citation.start : citation.end] == quote
    assert citation.start > 0


def test_a_concurrent_edit_in_the_admin_is_reported_not_a_crash(admin_client, world):
    topic = world.topics["lake-ceasefire"]
    url = admin_url(Topic, "change", topic.pk)
    assert f'name="read_version" value="{topic.version}"' in admin_client.get(url).content.decode()
    data = form_data(
        admin_client,
        url,
        slug=topic.slug,
        name=topic.name,
        description="Edited while stale.",
        pax_categories=topic.pax_categories,
        read_version=topic.version,  # the hidden field the form was rendered with
    )
    # Another curator saves first: this form's version is now stale.
    Topic.objects.filter(pk=topic.pk).update(version=topic.version + 1)
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    topic.refresh_from_db()
    assert topic.description != "Edited while stale."
