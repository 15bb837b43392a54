"""The domain's filter meanings (treaty.queries), as units, on the seed dataset."""

from datetime import date, timedelta

import pytest

from treaty import queries, rules
from treaty.models import Clause, Event, Negotiation, Party, Person, Position

pytestmark = pytest.mark.django_db


def test_current_positions_in_sql_agree_with_the_rule_in_python():
    in_python = {p.pk for p in rules.current_positions(Position.objects.all())}
    in_sql = set(Position.objects.filter(queries.positions_current()).values_list("pk", flat=True))
    assert in_sql == in_python
    assert Position.objects.count() > len(in_python), "the seed dataset has no superseded position"


def test_a_later_position_supersedes_and_an_undated_one_is_never_superseded():
    position = Position.objects.exclude(date=None).exclude(clause=None).first()
    same_subject = Position.objects.filter(holder=position.holder, clause=position.clause).exclude(date=None)
    last_day = max(same_subject.values_list("date_latest", flat=True))
    later = Position.objects.create(
        slug="later-stance",
        holder=position.holder,
        proposal=position.proposal,
        clause=position.clause,
        direction="rejects",
        firmness="red-line",
        basis="outlet-inference",
        summary="s",
        date=last_day + timedelta(days=1),
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
    assert set(current) == {later, undated}  # undated: never superseded, and it supersedes nothing
    assert not Position.objects.filter(queries.positions_current(), pk=position.pk).exists()
    clauses = Clause.objects.filter(queries.clauses_by_direction(directions="rejects", parties=position.holder.slug))
    assert position.clause in clauses


def test_events_by_date_include_events_that_span_the_start_of_the_range():
    negotiation = Negotiation.objects.get()
    Event.objects.create(
        slug="three-day-talks",
        negotiation=negotiation,
        kind="talks",
        title="Three days of talks",
        date=date(2030, 1, 1),
        date_precision="day",
        end_date=date(2030, 1, 3),
    )
    found = Event.objects.filter(queries.events_by_date(after=date(2030, 1, 2)))
    assert list(found.values_list("slug", flat=True)) == ["three-day-talks"]
    assert not Event.objects.filter(queries.events_by_date(after=date(2030, 1, 4))).exists()


def test_names_and_aliases_are_matched_case_insensitively():
    assert list(Party.objects.filter(queries.parties_by_name("kremlin")).values_list("slug", flat=True)) == ["russia"]
    zelensky = Person.objects.get(name__contains="Zelensky")
    for alias in zelensky.aliases:
        assert Person.objects.filter(queries.people_by_name(alias.upper())).get() == zelensky
        assert zelensky in queries.search(Person.objects.all(), alias)


def test_search_needs_every_word():
    both = queries.search(Clause.objects.all(), "armed forces")
    assert both.filter(slug="us-28-point-plan-06").exists()
    assert not queries.search(Clause.objects.all(), "armed xylophone").exists()


def test_many_to_many_filters_never_duplicate_rows():
    clauses = Clause.objects.filter(queries.clauses_by_topic(["alliances-and-nato", "foreign-troops"]))
    slugs = list(clauses.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert "us-28-point-plan-08" in slugs  # tagged with both
