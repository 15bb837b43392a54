"""Domain rules that a database constraint cannot express, as plain Python.

Model ``clean()`` methods call these, so the admin, the API and the seed
checker all apply one implementation of each rule.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
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


def position_subject(position) -> tuple:
    """What a position is about: a party's stance on one clause, or on a whole proposal."""
    return (position.party_id, position.proposal_id, position.clause_id)


def _recency(position):
    return (position.date or date.min, position.pk or 0)


def current_positions(positions: Iterable) -> list:
    """The latest position for each party and subject; the others are its history."""
    latest = {}
    for position in positions:
        key = position_subject(position)
        if key not in latest or _recency(position) >= _recency(latest[key]):
            latest[key] = position
    return sorted(latest.values(), key=_recency)
