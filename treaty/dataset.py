"""Checks of the whole dataset, for the seed command, the report and the tests.

Plain Python over the ORM: it applies each model's own validation (the rules in
treaty.rules) to every record, and adds what a single record cannot tell: facts
without citations and constraint violations. Querysets prefetch what ``clean()``
reads, so the checker runs a fixed number of queries whatever the data size.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Conflict,
    ConflictClaim,
    Event,
    Negotiation,
    NonStoryPassage,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
)

# A house style for seed slugs, stricter than the slug pattern every record obeys (treaty.models.SLUG_PATTERN).
SEED_SLUG_STYLE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Facts that must each carry at least one citation.
CITED_MODELS = [Proposal, Clause, ClauseLineage, Position, Assessment, Event, PartyRole]

# Records a curator can mark for review (the migration marks what it could not map).
REVIEWED_MODELS = [Source, Proposal, Clause, Position, Assessment, Event]


def checked_querysets() -> list[models.QuerySet]:
    """Every record, with what its clean() and natural_key() read already fetched."""
    return [
        Topic.objects.all(),
        Party.objects.all(),
        Person.objects.all(),
        Source.objects.prefetch_related("non_story_passages"),
        NonStoryPassage.objects.select_related("source"),
        Citation.objects.select_related("source").prefetch_related("source__non_story_passages"),
        Negotiation.objects.all(),
        PartyRole.objects.select_related("negotiation", "party"),
        Proposal.objects.all(),
        Clause.objects.select_related("proposal"),
        ClauseLineage.objects.select_related("clause__proposal", "derived_from__proposal"),
        Quantity.objects.select_related("clause", "position", "assessment", "event"),
        Position.objects.select_related(
            "proposal", "clause__proposal", "holder", "speaker", "reported_by", "reported_by_person"
        ).prefetch_related("holder__members", "reported_by__members"),
        Assessment.objects.select_related("proposal", "clause__proposal"),
        Event.objects.all(),
        Conflict.objects.all(),
        ConflictClaim.objects.select_related("conflict"),
    ]


def label(record) -> str:
    return f"{record._meta.verbose_name} {'/'.join(str(part) for part in record.natural_key())}"


def record_problems(record) -> list[str]:
    """The record's own validation errors. Foreign keys, uniqueness and constraints are left
    to the database (and to constraint_problems), which saves a query per record."""
    relations = [field.name for field in record._meta.concrete_fields if field.is_relation]
    try:
        record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"{label(record)}: {field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def slug_problems(record) -> list[str]:
    slug = getattr(record, "slug", None) or getattr(record, "measure", None)
    if slug is not None and not SEED_SLUG_STYLE.fullmatch(slug):
        return [f"{label(record)}: slug “{slug}” is not lowercase words joined by hyphens"]
    return []


def constraint_problems(queryset) -> list[str]:
    """Rows that violate a check constraint (one query per constraint, not per row)."""
    problems = []
    for constraint in queryset.model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            for record in queryset.exclude(constraint.condition):
                problems.append(f"{label(record)}: {constraint.violation_error_message or constraint.name}")
    return problems


def records_lacking_citations() -> list[str]:
    """Labels of the facts that cite no source."""
    return [
        label(record)
        for queryset in checked_querysets()
        if queryset.model in CITED_MODELS
        for record in queryset.filter(citations__isnull=True)
    ]


def records_needing_review() -> list[str]:
    """Labels of the records marked needs_review, with why."""
    return [
        f"{label(record)}: {record.review_note or 'no note'}"
        for model in REVIEWED_MODELS
        for record in model.objects.filter(needs_review=True).order_by("slug")
    ]


DATED_CITED_MODELS = [Proposal, Position, Assessment, Event]


def dates_after_their_sources() -> list[str]:
    """Records dated after every source that reports them, without a date_note saying why (a plan, a deadline)."""
    problems = []
    for model in DATED_CITED_MODELS:
        for record in model.objects.filter(date__isnull=False, date_note="").prefetch_related("citations__source"):
            published = [c.source.date_latest for c in record.citations.all() if c.source.date_latest]
            if published and record.date > max(published):
                problems.append(
                    f"{label(record)}: dated {record.date}, after its latest source ({max(published)}); "
                    "say why in date_note or correct the date"
                )
    return problems


def shared_names() -> list[str]:
    """A name or alias that two people answer to: search and curators could not tell them apart."""
    owners = {}
    for person in Person.objects.order_by("slug"):
        for name in {person.name.casefold(), *(alias.casefold() for alias in person.aliases)}:
            owners.setdefault(name, []).append(person.slug)
    return [f"people {', '.join(slugs)}: share the name “{name}”" for name, slugs in owners.items() if len(slugs) > 1]


def names_without_a_source() -> list[str]:
    """A person's name is spelt as a stored source spells it, or is marked as our editorial normalisation."""
    texts = list(Source.objects.exclude(text="").values_list("text", flat=True))
    problems = []
    for person in Person.objects.order_by("slug"):
        in_a_source = any(person.name in text for text in texts)
        if in_a_source == person.name_is_editorial:
            problems.append(
                f"{label(person)}: “{person.name}” "
                + ("is in a stored source, yet marked editorial" if in_a_source else "is in no stored source: mark it")
                + " (name_is_editorial)"
            )
    return problems


def check_dataset() -> list[str]:
    """Every problem in the dataset, as human-readable lines; empty when the data is sound."""
    problems = []
    for queryset in checked_querysets():
        for record in queryset:
            problems += record_problems(record) + slug_problems(record)
        problems += constraint_problems(queryset)
    problems += [f"{record}: cites no source" for record in records_lacking_citations()]
    return problems + dates_after_their_sources() + shared_names() + names_without_a_source()
