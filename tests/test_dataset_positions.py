"""The seed's positions, assessments and people follow the codebook (fixtures/CODEBOOK.md)."""

from collections import Counter

import pytest

from treaty import rules
from treaty.models import Assessment, Person, Position, Quantity

pytestmark = pytest.mark.django_db


def positions():
    return Position.objects.select_related("holder", "speaker", "reported_by").prefetch_related(
        "holder__members", "citations__source"
    )


def test_every_position_has_a_direction_and_a_basis_that_agrees_with_its_speaker():
    records = list(positions())
    assert records
    for position in records:
        assert position.direction and position.basis, position.slug
        if position.speaker:
            # A speaker speaks for the holder; a person with no party (an analyst) never speaks for one.
            assert rules.belongs_to(position.speaker, position.holder), position.slug
        if position.basis == "second-hand":
            assert position.reported_by and position.reported_by != position.holder, position.slug
        else:
            assert position.reported_by is None, position.slug
        if position.basis == "on-record":
            assert position.speaker, position.slug  # an office speaking without a named person is own-officials


def test_no_assessment_is_a_current_stance():
    stance_slugs = {p.slug for p in rules.current_positions(Position.objects.all())}
    assert not stance_slugs & set(Assessment.objects.values_list("slug", flat=True))
    # The analysts and third parties the fact-check found filed as stances are assessments now.
    for slug in [
        "ukraine-not-tired-enough-per-mills",
        "russia-no-ceasefire-per-macron",
        "russia-starting-point-per-former-official",
        "russia-donetsk-compromise-at-end",
        "russia-might-prefer-to-end-war",
        "ukraine-willing-concessions-per-europeans",
    ]:
        assert Assessment.objects.filter(slug=slug).exists(), slug
        assert not Position.objects.filter(slug=slug).exists(), slug


def test_hearsay_from_the_column_is_second_hand_through_us_officials():
    for slug in ["ukraine-umerov-army-cap", "ukraine-umerov-donetsk-compromise", "ukraine-requested-amnesty"]:
        position = Position.objects.get(slug=slug)
        assert (position.basis, position.reported_by.slug) == ("second-hand", "united-states"), slug


def test_not_knowing_a_stance_is_no_position():
    for slug in ["ukraine-support-unknown", "europe-support-unknown", "russia-peskov-nothing-to-report"]:
        assert not Position.objects.filter(slug=slug).exists(), slug


def test_red_lines_say_which_way_they_point():
    assert Position.objects.filter(firmness="red-line").exists()
    insists = Position.objects.get(slug="russia-no-nato-membership")
    refuses = Position.objects.get(slug="russia-red-line-donbas-deferral")
    assert (insists.direction, insists.firmness) == ("supports", "red-line")
    assert (refuses.direction, refuses.firmness) == ("rejects", "red-line")


def test_dates_lie_inside_their_sources_publication_dates():
    for record in [*positions(), *Assessment.objects.prefetch_related("citations__source")]:
        if record.date is None:
            continue
        published = [c.source.date_latest for c in record.citations.all() if c.source.date_latest]
        assert published, record.slug
        assert record.date_latest <= max(published), record.slug
        assert record.date_expression, record.slug


def test_relative_dates_resolve_against_the_publication():
    friday = Position.objects.get(slug="us-thanksgiving-deadline")
    assert (str(friday.date), friday.date_precision, str(friday.date_resolved_against)) == (
        "2025-11-21",
        "day",
        "2025-11-22",
    )
    last_week = Position.objects.get(slug="ukraine-opposes-28-point-plan")
    assert (str(last_week.date), str(last_week.date_latest), last_week.date_precision) == (
        "2025-11-17",
        "2025-11-23",
        "week",
    )


def test_numbers_named_by_positions_and_assessments_are_quantities():
    cap = Quantity.objects.get(position__slug="ukraine-umerov-army-cap", measure="armed-forces-cap")
    assert (cap.value, cap.unit, cap.qualifier) == (600000, "personnel", "exact")
    years = Quantity.objects.get(assessment__slug="russia-might-prefer-to-end-war")
    assert (years.value, years.unit, years.qualifier) == (2, "years", "roughly")
    elections = Quantity.objects.get(position__slug="us-proposes-elections")
    assert (elections.value, elections.qualifier) == (100, "within")


def test_one_person_one_record_and_aliases_unique_across_people():
    spellings = Counter(
        spelling.casefold() for person in Person.objects.all() for spelling in [person.name, *person.aliases]
    )
    assert [s for s, n in spellings.items() if n > 1] == []
    ruff = Person.objects.get(slug="john-ruff")
    assert "Lau" in ruff.aliases and not Person.objects.filter(slug="lau").exists()
    assert set(ruff.assessments.values_list("slug", flat=True)) == {
        "russia-dictate-terms-per-ruff",
        "russia-pessimistic-per-ruff",
    }
    kyslytsya = Person.objects.get(slug="sergiy-kyslytsya")
    assert kyslytsya.description.startswith("Editorial normalisation")
    assert "Sergiy Kislysha" in kyslytsya.aliases
    assert kyslytsya.positions.filter(basis="on-record").exists()
