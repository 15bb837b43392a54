"""Domain rules that a database constraint cannot express, as plain Python.

Model ``clean()`` methods call these, so the admin, the API and the seed
checker all apply one implementation of each rule.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

DATE_PRECISION_MESSAGE = (
    "A date needs a precision and a precision needs a date: a week-precise date is a Monday, "
    "a month-precise date the first of the month, a year-precise date 1 January."
)


def date_precision_condition() -> Q:
    """The database check that a date and its precision agree."""
    return (
        Q(date__isnull=True, date_precision="")
        | Q(date__isnull=False, date_precision="day")
        | Q(date__isnull=False, date_precision="week", date__iso_week_day=1)
        | Q(date__isnull=False, date_precision="month", date__day=1)
        | Q(date__isnull=False, date_precision="year", date__month=1, date__day=1)
    )


DATE_INTERVAL_MESSAGE = (
    "Give both the earliest and the latest possible day, or neither; the latest cannot be before the earliest."
)


def date_interval_condition() -> Q:
    """The database check that a date interval is whole and in order."""
    return Q(date__isnull=True, date_latest__isnull=True) | Q(
        date__isnull=False, date_latest__isnull=False, date_latest__gte=models.F("date")
    )


def latest_day(value: date | None, precision: str) -> date | None:
    """The last day a date of this precision can mean: the same day, the Sunday, the month's or year's last day."""
    if value is None:
        return None
    if precision == "week":
        return value + timedelta(days=6)
    if precision == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == "year":
        return value.replace(month=12, day=31)
    return value


def check_date_interval(record) -> None:
    """A precision's period bounds the interval: a month-precise date cannot end in another month."""
    if record.date is None or record.date_latest is None:
        return
    if record.date_latest < record.date:
        raise ValidationError({"date_latest": "The latest possible day cannot be before the earliest."})
    bound = latest_day(record.date, record.date_precision)
    if record.date_precision != "day" and bound and record.date_latest > bound:
        raise ValidationError({"date_latest": f"A {record.date_precision}-precise date ends by {bound}."})


def format_fuzzy_date(value: date | None, precision: str) -> str:
    if value is None:
        return "date unknown"
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%B %Y}"
    if precision == "week":
        return f"week of {value:%-d %B %Y}"
    return value.isoformat()


def validate_aliases(aliases) -> None:
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValidationError({"aliases": "Aliases must be a list of non-empty strings."})
    if len({a.casefold() for a in aliases}) != len(aliases):
        raise ValidationError({"aliases": "Aliases must not repeat."})


def _spans(text: str, passage: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(passage)
    while passage and start != -1:
        spans.append((start, start + len(passage)))
        start = text.find(passage, start + 1)
    return spans


def check_non_story_passage(text: str, passage: str) -> None:
    if not passage or passage not in text:
        raise ValidationError({"text": "The passage must occur verbatim in the source text."})


def locate_quote(
    text: str, quote: str, non_story: Iterable[str] = (), start: int | None = None
) -> tuple[int | None, int | None]:
    """Return the offsets of ``quote`` in ``text``, outside the non-story passages.

    A source without stored text cannot be checked, so its citations carry a
    locator and no quote. ``start``, when given, must point at an occurrence.
    """
    if not text:
        if quote:
            raise ValidationError(
                {"quote": "This source has no stored text, so a quote cannot be checked; use the locator instead."}
            )
        return None, None
    if not quote:
        raise ValidationError({"quote": "A citation of a source with stored text needs a verbatim quote."})
    excluded = [span for passage in non_story for span in _spans(text, passage)]
    occurrences = [
        (s, e) for s, e in _spans(text, quote) if not any(s < ex_end and ex_start < e for ex_start, ex_end in excluded)
    ]
    if not occurrences:
        if _spans(text, quote):
            raise ValidationError({"quote": "The quote occurs only in a passage that is not part of the story."})
        raise ValidationError(
            {"quote": "The quote does not occur verbatim in the source text (check punctuation: ’ “ ” —)."}
        )
    if start is None:
        return occurrences[0]
    for span in occurrences:
        if span[0] == start:
            return span
    raise ValidationError({"start": "The quote does not occur at this offset."})


def check_lineage(clause, derived_from) -> None:
    """A clause derives from a clause of another, earlier proposal."""
    if clause.pk is not None and clause.pk == derived_from.pk:
        raise ValidationError({"derived_from": "A clause cannot derive from itself."})
    if clause.proposal_id == derived_from.proposal_id:
        raise ValidationError({"derived_from": "A clause derives from a clause of an earlier proposal, not its own."})
    newer, older = clause.proposal.date, derived_from.proposal.date
    if newer and older and older > newer:
        raise ValidationError({"derived_from": "That clause belongs to a later proposal."})


def check_position_subject(proposal, clause) -> None:
    if clause.proposal_id != proposal.pk:
        raise ValidationError({"clause": f"This clause belongs to “{clause.proposal}”, not to “{proposal}”."})


def belongs_to(person, party) -> bool:
    """Whether ``person`` speaks for ``party``: affiliated with it, or with one of the members of the bloc it is."""
    if person.party_id is None or party is None:
        return False
    return person.party_id == party.pk or person.party_id in {member.pk for member in party.members.all()}


def check_position(position) -> None:
    """Who holds, who said, who reported: the rules a database constraint cannot state."""
    errors = {}
    if position.holder_id and position.speaker_id and not belongs_to(position.speaker, position.holder):
        errors["speaker"] = (
            f"{position.speaker} does not speak for {position.holder}: a speaker belongs to the holder "
            "(or to a member of the holder bloc); record what others say as an assessment or as second-hand."
        )
    if position.basis == "on-record" and not position.speaker_id:
        errors["speaker"] = "An on-the-record position names who said it; unnamed officials are own-officials."
    if position.basis == "second-hand" and not position.reported_by_id:
        errors["reported_by"] = "A second-hand position names the party whose officials reported it."
    if position.basis != "second-hand" and (position.reported_by_id or position.reported_by_person_id):
        errors["reported_by"] = "Only a second-hand position has a reporting party."
    if position.reported_by_id and position.reported_by_id == position.holder_id:
        errors["reported_by"] = "The holder's own officials are basis own-officials, not second-hand."
    if (
        position.reported_by_person_id
        and position.reported_by_id
        and not belongs_to(position.reported_by_person, position.reported_by)
    ):
        errors["reported_by_person"] = "The reporting person belongs to the reporting party."
    if not position.needs_review:
        for name in ("direction", "basis"):
            if not getattr(position, name):
                errors[name] = f"A position needs a {name} (or is marked needs_review)."
    if errors:
        raise ValidationError(errors)


def check_assessment(assessment) -> None:
    errors = {}
    if not assessment.needs_review and not (assessment.assessor_id or assessment.assessor_description.strip()):
        errors["assessor_description"] = "Name the assessor, or describe an unnamed one (“a former Kremlin official”)."
    if not (assessment.about_id or assessment.proposal_id or assessment.clause_id):
        errors["about"] = "An assessment is about a party, a proposal or a clause."
    if assessment.clause_id and assessment.proposal_id:
        check_position_subject(assessment.proposal, assessment.clause)
    if errors:
        raise ValidationError(errors)


def position_subject(position) -> tuple:
    """What a position is about: a holder's stance on one clause, or on a whole proposal."""
    return (position.holder_id, position.proposal_id, position.clause_id)


def supersedes(later, earlier) -> bool:
    """Whether ``later`` replaces ``earlier``: same subject, both dated, and ``later`` begins after ``earlier`` ends.

    Overlapping intervals never decide an order; an undated position is never superseded and never supersedes.
    """
    return (
        later.pk != earlier.pk
        and position_subject(later) == position_subject(earlier)
        and later.date is not None
        and earlier.date_latest is not None
        and later.date > earlier.date_latest
    )


def _chronological(position):
    return (position.date is None, position.date or date.min, position.date_latest or date.min, position.slug)


def current_positions(positions: Iterable) -> list:
    """The positions that no later one of the same holder on the same subject supersedes, oldest first.

    Several can be current on one subject (overlapping dates, or undated): :func:`disagreeing` tells if they differ.
    """
    by_subject = defaultdict(list)
    for position in positions:
        by_subject[position_subject(position)].append(position)
    current = [
        position
        for group in by_subject.values()
        for position in group
        if not any(supersedes(other, position) for other in group)
    ]
    return sorted(current, key=_chronological)


def disagreeing(positions: Iterable) -> bool:
    """Whether current positions of one holder on one subject differ in direction or firmness."""
    return len({(p.direction, p.firmness) for p in positions}) > 1
