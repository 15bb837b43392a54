"""The domain's filter meanings (treaty.queries), as units, on the made-up negotiation of tests/factories.py."""

from datetime import date, timedelta

import pytest

from treaty import queries, rules
from treaty.models import Clause, Event, Party, Person, Position

pytestmark = pytest.mark.django_db


def test_current_positions_in_sql_agree_with_the_rule_in_python(world):
    own = world.records(Position)
    in_python = {p.pk for p in rules.current_positions(own)}
    in_sql = set(own.filter(queries.positions_current()).values_list("pk", flat=True))
    assert in_sql == in_python
    assert own.count() > len(in_python), "the made-up negotiation has no superseded position"
    assert world.positions["southland-opposes-cap"].pk not in in_sql
    # Over the whole database too, seed included.
    everything = {p.pk for p in rules.current_positions(Position.objects.all())}
    assert set(Position.objects.filter(queries.positions_current()).values_list("pk", flat=True)) == everything


def test_a_later_position_supersedes_and_an_undated_one_neither_supersedes_nor_is_superseded(world):
    position = world.positions["northland-supports-cap"]
    later = Position.objects.create(
        slug="later-stance",
        holder=position.holder,
        proposal=position.proposal,
        clause=position.clause,
        direction="rejects",
        basis="outlet-inference",
        summary="s",
        date=position.date + timedelta(days=1),
        date_precision="day",
    )
    undated = Position.objects.create(
        slug="undated-stance",
        holder=position.holder,
        proposal=position.proposal,
        clause=position.clause,
        direction="accepts",
        basis="outlet-inference",
        summary="s",
    )
    current = Position.objects.filter(queries.positions_current(), holder=position.holder, clause=position.clause)
    # An undated position cannot be placed before or after another: it stays current, and supersedes nothing.
    assert set(current) == {later, undated}
    assert position.pk in {p.pk for p in Position.objects.exclude(queries.positions_current())}
    rejected = Clause.objects.filter(queries.clauses_by_direction(directions="rejects", parties=position.holder.slug))
    assert rejected.get() == position.clause


def test_events_by_date_include_events_that_span_the_start_of_the_range(world):
    negotiation = world.negotiation
    Event.objects.create(
        slug="three-day-talks",
        negotiation=negotiation,
        kind="talks",
        title="Three days of talks",
        date=date(2040, 1, 1),
        date_precision="day",
        end_date=date(2040, 1, 3),
    )
    events = Event.objects.filter(negotiation=negotiation)
    found = events.filter(queries.events_by_date(after=date(2040, 1, 2)))
    assert list(found.values_list("slug", flat=True)) == ["three-day-talks"]
    assert not events.filter(queries.events_by_date(after=date(2040, 1, 4))).exists()
    # The negotiation's first round (8 to 10 March 2031) spans 9 March.
    assert "first-round" in set(
        events.filter(queries.events_by_date(after=date(2031, 3, 9))).values_list("slug", flat=True)
    )


def test_names_and_aliases_are_matched_case_insensitively(world):
    assert list(Party.objects.filter(queries.parties_by_name("sUDRIA")).values_list("slug", flat=True)) == ["southland"]
    norberg = world.people["anna-norberg"]
    assert norberg.aliases
    for alias in norberg.aliases:
        assert Person.objects.filter(queries.people_by_name(alias.upper())).get() == norberg
        assert norberg in queries.search(Person.objects.all(), alias)


def test_search_needs_every_word(world):
    both = queries.search(Clause.objects.all(), "armed forces")
    assert both.filter(slug="northland-five-point-plan-02").exists()
    assert not both.filter(slug="northland-five-point-plan-04").exists()
    assert not queries.search(Clause.objects.all(), "armed xylophone").exists()


def test_many_to_many_filters_never_duplicate_rows(world):
    clauses = Clause.objects.filter(queries.clauses_by_topic(["alliance-membership", "troop-limits"]))
    slugs = list(clauses.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert "northland-five-point-plan-05" in slugs  # tagged with both
