"""The provenance model: who holds, who said, who reported; assessments apart; tiers; intervals; conflicts.

Each rule has a case that must be refused, by clean() (the admin, the APIs, the CSV import) and, where a
database can say it, by a constraint.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from treaty import queries, rules
from treaty.analyses import negotiation_timeline, stance_matrix
from treaty.models import (
    Assessment,
    Citation,
    Clause,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    negotiation = Negotiation.objects.create(slug="p-negotiation", name="Provenance negotiation")
    holder = Party.objects.create(slug="p-holder", name="Holderland", kind="state")
    other = Party.objects.create(slug="p-other", name="Otherland", kind="state")
    bloc = Party.objects.create(slug="p-bloc", name="The bloc", kind="bloc")
    bloc.members.add(holder)
    proposal = Proposal.objects.create(
        slug="p-plan", negotiation=negotiation, title="Plan", kind="plan", status="presented"
    )
    clause = Clause.objects.create(slug="p-plan-1", proposal=proposal, number=1, heading="One", text="One.")
    own = Person.objects.create(slug="p-minister", name="A minister", party=holder)
    foreign = Person.objects.create(slug="p-envoy", name="An envoy", party=other)
    analyst = Person.objects.create(slug="p-analyst", name="An analyst")
    return locals()


def position(world, **fields):
    data = {
        "slug": "p-position",
        "holder": world["holder"],
        "proposal": world["proposal"],
        "direction": "supports",
        "basis": "on-record",
        "speaker": world["own"],
        "summary": "S",
        **fields,
    }
    return Position(**data)


def refused_by_clean(record, field):
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert field in error.value.message_dict, error.value.message_dict


def refused_by_database(record):
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


# Who holds, who said, who reported ------------------------------------------------------------------------------


def test_a_speaker_of_the_holder_or_of_a_member_of_the_holder_bloc_is_accepted(world):
    position(world, speaker=world["own"]).full_clean()
    position(world, slug="p-bloc-position", holder=world["bloc"], speaker=world["own"]).full_clean()


def test_a_speaker_of_another_party_is_refused(world):
    refused_by_clean(position(world, speaker=world["foreign"]), "speaker")


def test_a_person_without_a_party_is_never_a_speaker(world):
    refused_by_clean(position(world, speaker=world["analyst"]), "speaker")


def test_second_hand_requires_who_reported_it(world):
    refused_by_clean(position(world, basis="second-hand"), "reported_by")
    refused_by_database(position(world, basis="second-hand"))


def test_only_second_hand_has_a_reporting_party(world):
    refused_by_clean(position(world, basis="own-officials", reported_by=world["other"]), "reported_by")
    refused_by_database(position(world, basis="own-officials", reported_by=world["other"]))


def test_the_holder_cannot_report_its_own_position_second_hand(world):
    record = position(world, basis="second-hand", reported_by=world["holder"])
    refused_by_clean(record, "reported_by")
    refused_by_database(record)


def test_a_second_hand_position_keeps_holder_speaker_and_reporter_apart(world):
    record = position(
        world,
        basis="second-hand",
        speaker=world["own"],
        reported_by=world["other"],
        reported_by_person=world["foreign"],
    )
    record.full_clean()
    record.save()
    assert (record.holder, record.speaker, record.reported_by) == (world["holder"], world["own"], world["other"])


def test_the_reporting_person_belongs_to_the_reporting_party(world):
    record = position(world, basis="second-hand", reported_by=world["other"], reported_by_person=world["own"])
    refused_by_clean(record, "reported_by_person")


def test_direction_is_required_unless_marked_for_review(world):
    refused_by_clean(position(world, direction=""), "direction")
    refused_by_database(position(world, direction=""))
    position(world, direction="", needs_review=True, review_note="was stance undecided").save()


def test_firmness_is_apart_from_direction(world):
    insists = position(world, slug="p-insists", direction="supports", firmness="red-line")
    refuses = position(world, slug="p-refuses", direction="rejects", firmness="red-line")
    for record in (insists, refuses):
        record.full_clean()
    assert insists.direction != refuses.direction and insists.firmness == refuses.firmness == "red-line"


# Assessments ----------------------------------------------------------------------------------------------------


def test_an_assessment_names_or_describes_its_assessor(world):
    refused_by_clean(Assessment(slug="p-a", about=world["holder"], summary="S"), "assessor_description")
    Assessment(slug="p-a", about=world["holder"], assessor_description="a former official", summary="S").full_clean()


def test_an_assessment_of_a_clause_names_its_proposal(world):
    other = Proposal.objects.create(
        slug="p-other-plan", negotiation=world["negotiation"], title="Other", kind="plan", status="presented"
    )
    refused_by_clean(
        Assessment(slug="p-a", assessor=world["analyst"], proposal=other, clause=world["clause"], summary="S"),
        "clause",
    )
    refused_by_database(Assessment(slug="p-a2", assessor=world["analyst"], clause=world["clause"], summary="S"))


def test_an_assessment_never_counts_as_a_stance(world):
    Assessment.objects.create(
        slug="p-a", assessor=world["analyst"], about=world["holder"], proposal=world["proposal"], summary="S"
    )
    matrix = stance_matrix(world["proposal"])
    assert matrix.rows == []
    assert [a.slug for a in matrix.assessments] == ["p-a"]


# Dates as intervals ---------------------------------------------------------------------------------------------


def test_latest_day_follows_the_precision():
    assert rules.latest_day(date(2025, 11, 17), "week") == date(2025, 11, 23)
    assert rules.latest_day(date(2025, 2, 1), "month") == date(2025, 2, 28)
    assert rules.latest_day(date(2025, 1, 1), "year") == date(2025, 12, 31)
    assert rules.latest_day(date(2025, 11, 21), "day") == date(2025, 11, 21)


def test_an_interval_is_whole_and_in_order(world):
    refused_by_database(
        Source(slug="p-s", kind="news-report", tier="original-reporting", outlet="O", date=date(2025, 11, 20))
    )
    backwards = Source(
        slug="p-s2",
        kind="news-report",
        tier="original-reporting",
        outlet="O",
        date=date(2025, 11, 20),
        date_latest=date(2025, 11, 19),
        date_precision="day",
    )
    refused_by_clean(backwards, "date_latest")
    refused_by_database(backwards)


def test_clean_fills_the_latest_day_from_the_precision(world):
    record = position(world, date=date(2025, 11, 1), date_precision="month")
    record.full_clean()
    assert record.date_latest == date(2025, 11, 30)


def dated(world, slug, direction, earliest, latest, **fields):
    record = position(world, slug=slug, direction=direction, date=earliest, date_latest=latest, **fields)
    record.date_precision = "day" if earliest == latest else "month" if earliest.day == 1 else "week"
    record.save()
    return record


def current_slugs(world):
    python = {p.slug for p in rules.current_positions(Position.objects.filter(proposal=world["proposal"]))}
    sql = set(
        Position.objects.filter(queries.positions_current(), proposal=world["proposal"]).values_list("slug", flat=True)
    )
    assert python == sql
    return python


def test_overlapping_positions_are_all_current_and_marked_as_disagreeing(world):
    dated(world, "p-month", "open-to", date(2025, 11, 1), date(2025, 11, 30))
    dated(world, "p-day", "supports", date(2025, 11, 25), date(2025, 11, 25))
    assert current_slugs(world) == {"p-month", "p-day"}  # a day inside the month does not supersede it
    row = stance_matrix(world["proposal"]).rows[0]
    assert row.whole_proposal.disagreement is True
    assert {p.slug for p in row.whole_proposal.positions} == {"p-month", "p-day"}


def test_a_position_is_superseded_only_by_one_beginning_after_it_ends(world):
    dated(world, "p-week", "opposes", date(2025, 11, 17), date(2025, 11, 23))
    dated(world, "p-later", "accepts", date(2025, 11, 24), date(2025, 11, 24))
    assert current_slugs(world) == {"p-later"}
    assert stance_matrix(world["proposal"]).rows[0].whole_proposal.disagreement is False


def test_undated_positions_never_supersede_and_are_never_superseded(world):
    dated(world, "p-dated", "opposes", date(2025, 11, 17), date(2025, 11, 23))
    position(world, slug="p-undated", direction="supports").save()
    assert current_slugs(world) == {"p-dated", "p-undated"}


def test_another_holder_or_subject_never_supersedes(world):
    dated(world, "p-early", "opposes", date(2025, 11, 1), date(2025, 11, 1))
    dated(world, "p-other-holder", "supports", date(2025, 11, 20), date(2025, 11, 20), holder=world["other"])
    dated(world, "p-clause", "supports", date(2025, 11, 20), date(2025, 11, 20), clause=world["clause"])
    assert current_slugs(world) == {"p-early", "p-other-holder", "p-clause"}


def test_the_timeline_orders_by_intervals_and_marks_overlaps_concurrent(world):
    n = world["negotiation"]
    Event.objects.create(
        slug="p-month-event",
        negotiation=n,
        kind="call",
        title="In November",
        date=date(2025, 11, 1),
        date_latest=date(2025, 11, 30),
        date_precision="month",
    )
    Event.objects.create(
        slug="p-leak",
        negotiation=n,
        kind="leak",
        title="The leak",
        date=date(2025, 11, 18),
        date_latest=date(2025, 11, 18),
        date_precision="day",
    )
    Event.objects.create(
        slug="p-october",
        negotiation=n,
        kind="call",
        title="October",
        date=date(2025, 10, 16),
        date_latest=date(2025, 10, 16),
        date_precision="day",
    )
    entries = {e.record.slug: e for e in negotiation_timeline(n).entries}
    order = list(entries)
    assert order.index("p-october") < order.index("p-month-event")
    assert entries["p-month-event"].concurrent_with == ["p-leak"]
    assert entries["p-leak"].concurrent_with == ["p-month-event"]
    assert entries["p-october"].concurrent_with == []


def test_date_filters_match_on_any_overlap(world):
    dated(world, "p-month", "open-to", date(2025, 11, 1), date(2025, 11, 30))
    matching = Position.objects.filter(queries.positions_by_date(after=date(2025, 11, 20)))
    assert "p-month" in set(matching.values_list("slug", flat=True))
    before = Position.objects.filter(queries.positions_by_date(before=date(2025, 10, 31)))
    assert "p-month" not in set(before.values_list("slug", flat=True))


# Sources, citations and clause support --------------------------------------------------------------------------


def test_an_external_text_stores_no_text_and_its_citations_are_not_checked(world):
    refused_by_clean(Source(slug="p-ext", kind="news-report", tier="external-text", outlet="O", text="x"), "tier")
    external = Source.objects.create(slug="p-ext", kind="news-report", tier="external-text", outlet="O")
    citation = Citation.objects.create(slug="p-c", source=external, locator="para 2")
    assert citation.checked is False
    world["clause"].citations.add(citation)
    assert Clause.objects.get(pk=world["clause"].pk).support == "external-only"


def test_a_quote_found_in_a_stored_translation_is_checked(world):
    source = Source.objects.create(
        slug="p-tr", kind="analysis", tier="machine-translation", outlet="O", text="They said “yes”."
    )
    citation = Citation(slug="p-c", source=source, quote="said “yes”")
    citation.full_clean()
    citation.save()
    assert citation.checked is True
    world["clause"].citations.add(citation)
    assert Clause.objects.get(pk=world["clause"].pk).support == "checked-quote"


def test_a_declared_interest_is_verbatim_from_the_stored_text(world):
    source = Source(
        slug="p-col",
        kind="opinion",
        tier="opinion-analysis",
        outlet="O",
        text="Officials wanted to convince me.",
        declared_interest="Officials wanted to persuade me.",
    )
    refused_by_clean(source, "declared_interest")


def test_only_a_republication_names_what_it_republishes(world):
    refused_by_clean(
        Source(slug="p-s", kind="news-report", tier="original-reporting", outlet="O", republished_from="P"),
        "republished_from",
    )


def test_a_quantity_belongs_to_exactly_one_record(world):
    stance = position(world)
    stance.save()
    owned = Quantity(position=stance, measure="troops", qualifier="roughly", value=Decimal(30000), unit="personnel")
    owned.full_clean()
    owned.save()
    assert list(stance.quantities.all()) == [owned]
    assert str(owned) == "troops: roughly (about) 30,000 personnel"
    assert Quantity.objects.get_by_natural_key(*owned.natural_key()) == owned
    assert owned.natural_key() == ("position", "p-position", "troops")

    refused_by_database(Quantity(measure="orphan", value=1, unit="days"))
    both = Quantity(position=stance, clause=world["clause"], measure="both", value=1, unit="days")
    refused_by_database(both)


def test_the_same_measure_may_repeat_across_owners_but_not_on_one(world):
    stance = position(world)
    stance.save()
    Quantity.objects.create(position=stance, measure="cap", value=1, unit="days")
    Quantity.objects.create(clause=world["clause"], measure="cap", value=2, unit="days")
    refused_by_database(Quantity(position=stance, measure="cap", value=3, unit="days"))
