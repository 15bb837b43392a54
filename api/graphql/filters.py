"""GraphQL filters, named ``XFilter``: the filters of REST (api/rest/filters.py), under the same names
(camel-cased), each calling the same Q-builder of treaty.queries.

Inputs are checked as REST checks them: a slug that names no record is refused (REST: 404), and
so are point numbers out of range (REST: 400). Filters that name records or choices take a list
(any of them matches; a single value is accepted too, as GraphQL coerces it to a list). The
filters of one input combine with AND; ``AND``, ``OR`` and ``NOT`` combine inputs.
"""

import datetime
from collections.abc import Callable

import strawberry_django
from django.core.validators import slug_re
from django.db.models import Model, Q, QuerySet
from strawberry import UNSET

from api.graphql.enums import (
    Basis,
    ClauseState,
    EventKind,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    SourceKind,
    Stage,
    Stance,
)
from api.graphql.errors import bad_user_input
from treaty import models, queries

POINT_NUMBERS = range(1, 32768)  # a clause number is a positive smallint


def clean_text(text: str) -> str:
    """A NUL character cannot occur in stored text, so it is read as a space (as REST does)."""
    return text.replace("\x00", " ").strip()


def is_slug(*values: str) -> bool:
    """Whether each value could be a slug (a NUL character, say, cannot even be sent to PostgreSQL)."""
    return all(slug_re.match(value) for value in values)


def check_slugs(model_classes: tuple[type[Model], ...], slugs: list[str]) -> None:
    """Refuse slugs that name no record of these models, as REST does (with a 404)."""
    known = set()
    valid = [slug for slug in slugs if is_slug(slug)]
    for model in model_classes:
        known.update(model.objects.filter(slug__in=valid).values_list("slug", flat=True))
    unknown = ", ".join(f"“{slug}”" for slug in slugs if slug not in known)
    if unknown:
        kinds = " or ".join(str(model._meta.verbose_name) for model in model_classes)
        raise bad_user_input(f"No {kinds} has the slug {unknown}.")


def _filter(resolve, value_type, description: str):
    resolve.__annotations__["value"] = value_type
    return strawberry_django.filter_field(resolve, resolve_value=True, description=description)


def by(query: Callable[..., Q], value_type, description: str):
    """A filter meaning ``query(value)``; choices arrive as their stored values."""

    def resolve(self, value, prefix: str) -> Q:
        return query(value)

    return _filter(resolve, value_type, description)


def records(model_classes, query: Callable[..., Q], description: str):
    """A filter naming records of ``model_classes`` by slug, meaning ``query(slugs)``."""
    model_classes = model_classes if isinstance(model_classes, tuple) else (model_classes,)

    def resolve(self, value, prefix: str) -> Q:
        check_slugs(model_classes, value)
        return query(value)

    return _filter(resolve, list[str], description)


def text(query: Callable[..., Q], description: str):
    """A free-text filter meaning ``query(text)``; blank text filters nothing, as in REST."""

    def resolve(self, value, prefix: str) -> Q:
        value = clean_text(value)
        return query(value) if value else Q()

    return _filter(resolve, str, description)


def dates(query: Callable[..., Q], noun: str):
    """The ``dateAfter`` and ``dateBefore`` filters of ``query(after=, before=)``."""
    after = by(lambda day: query(after=day), datetime.date, f"{noun} on or after this date.")
    before = by(lambda day: query(before=day), datetime.date, f"{noun} on or before this date.")
    return after, before


def _search(self, queryset: QuerySet, value: str, prefix: str) -> tuple[QuerySet, Q]:
    value = clean_text(value)
    return (queries.search(queryset, value) if value else queryset), Q()


def search():
    """The ``q`` filter of every searchable list: queries.search, which ranks (so it takes the queryset)."""
    return strawberry_django.filter_field(
        _search,
        description="Free-text search, names and aliases included. On PostgreSQL: full-text search ranked by "
        'relevance (web-search syntax: words, "quoted phrases", -excluded).',
    )


@strawberry_django.filter_type(models.Topic)
class TopicFilter:
    q = search()


@strawberry_django.filter_type(models.Party)
class PartyFilter:
    q = search()
    name = text(queries.parties_by_name, "Name or alias contains this text (case-insensitive).")
    kind = by(queries.parties_by_kind, list[PartyKind], "Kind of party.")
    negotiation = records(models.Negotiation, queries.parties_by_negotiation, "Taking part in this negotiation.")
    role = by(queries.parties_by_role, list[PartyRoleKind], "Having this role in a negotiation.")


@strawberry_django.filter_type(models.PartyRole)
class PartyRoleFilter:
    negotiation = records(models.Negotiation, lambda slugs: Q(negotiation__slug__in=slugs), "In this negotiation.")
    party = records(models.Party, lambda slugs: Q(party__slug__in=slugs), "Of this party.")
    role = by(lambda roles: Q(role__in=roles), list[PartyRoleKind], "This role.")


@strawberry_django.filter_type(models.Person)
class PersonFilter:
    q = search()
    name = text(queries.people_by_name, "Name or alias contains this text (case-insensitive).")
    party = records(models.Party, queries.people_by_party, "Affiliated with this party.")


@strawberry_django.filter_type(models.Negotiation)
class NegotiationFilter:
    q = search()
    party = records(models.Party, queries.negotiations_by_party, "With this party taking part.")


@strawberry_django.filter_type(models.Source)
class SourceFilter:
    q = search()
    outlet = text(queries.sources_by_outlet, "Published by this outlet (exact name, any case).")
    kind = by(queries.sources_by_kind, list[SourceKind], "Kind of document.")
    date_after, date_before = dates(queries.sources_by_date, "Published")
    has_text = by(queries.sources_by_has_text, bool, "Whether we store the text.")


@strawberry_django.filter_type(models.NonStoryPassage)
class NonStoryPassageFilter:
    source = records(models.Source, lambda slugs: Q(source__slug__in=slugs), "In this source.")


@strawberry_django.filter_type(models.Citation)
class CitationFilter:
    q = search()
    source = records(models.Source, queries.citations_by_source, "Citing this source.")


@strawberry_django.filter_type(models.Proposal)
class ProposalFilter:
    q = search()
    negotiation = records(models.Negotiation, queries.proposals_by_negotiation, "In this negotiation.")
    kind = by(queries.proposals_by_kind, list[ProposalKind], "Kind of proposal.")
    status = by(queries.proposals_by_status, list[ProposalStatus], "Lifecycle status.")
    stage = by(queries.proposals_by_stage, list[Stage], "PA-X agreement stage.")
    author = records(models.Party, queries.proposals_by_author, "Authored (alone or jointly) by this party.")
    date_after, date_before = dates(queries.proposals_by_date, "Presented")
    text_published = by(queries.proposals_by_text_published, bool, "Whether the full text is public.")


def _clause_number(self, value: int, prefix: str) -> Q:
    if value not in POINT_NUMBERS:
        raise bad_user_input(f"A point number is between 1 and {POINT_NUMBERS[-1]}, not {value}.")
    return queries.clauses_by_number(value)


def _clause_stance(self, value, prefix: str) -> Q:
    # With `party` given, the stance must be that party's (as in REST).
    parties = None if self.party in (UNSET, None) else self.party
    return queries.clauses_by_stance(stances=value, parties=parties)


@strawberry_django.filter_type(models.Clause)
class ClauseFilter:
    q = search()
    proposal = records(models.Proposal, queries.clauses_by_proposal, "Clauses of this proposal.")
    negotiation = records(
        models.Negotiation, queries.clauses_by_negotiation, "Clauses of the proposals of this negotiation."
    )
    topic = records(models.Topic, queries.clauses_by_topic, "Tagged with this topic.")
    number = _filter(_clause_number, int, "Point number in its proposal.")
    state = by(queries.clauses_by_state, list[ClauseState], "Negotiation state.")
    party = records(
        models.Party,
        lambda parties: queries.clauses_by_stance(parties=parties),
        "Clauses on which this party has taken a position.",
    )
    stance = _filter(
        _clause_stance, list[Stance], "Clauses on which a party's current stance is this; with `party`, that party's."
    )


@strawberry_django.filter_type(models.ClauseLineage)
class ClauseLineageFilter:
    clause = records(models.Clause, lambda slugs: Q(clause__slug__in=slugs), "Links of this (later) clause.")
    derived_from = records(
        models.Clause, lambda slugs: Q(derived_from__slug__in=slugs), "Links from this (earlier) clause."
    )


@strawberry_django.filter_type(models.Quantity)
class QuantityFilter:
    clause = records(models.Clause, lambda slugs: Q(clause__slug__in=slugs), "Named by this clause.")
    measure = by(
        # A measure is a slug: anything else (a NUL character, say) matches nothing.
        lambda measures: Q(measure__in=[measure for measure in measures if is_slug(measure)]),
        list[str],
        "What is measured: armed-forces-cap…",
    )


@strawberry_django.filter_type(models.Position)
class PositionFilter:
    q = search()
    party = records(models.Party, queries.positions_by_party, "Taken by this party.")
    proposal = records(models.Proposal, queries.positions_by_proposal, "On this proposal or one of its clauses.")
    clause = records(models.Clause, queries.positions_by_clause, "On this clause.")
    whole_proposal = by(
        queries.positions_on_whole_proposal, bool, "true: stances on whole proposals; false: on clauses."
    )
    stance = by(queries.positions_by_stance, list[Stance], "The stance.")
    basis = by(queries.positions_by_basis, list[Basis], "On what the attribution rests.")
    speaker = records(models.Person, queries.positions_by_speaker, "Stated by this person.")
    current = by(
        lambda current: queries.positions_current() if current else ~queries.positions_current(),
        bool,
        "true: only each party's latest position on each subject; false: only superseded ones.",
    )
    date_after, date_before = dates(queries.positions_by_date, "Taken")


@strawberry_django.filter_type(models.Event)
class EventFilter:
    q = search()
    negotiation = records(models.Negotiation, queries.events_by_negotiation, "In this negotiation.")
    kind = by(queries.events_by_kind, list[EventKind], "Kind of event.")
    participant = records(
        (models.Person, models.Party), queries.events_by_participant, "With this person or party taking part."
    )
    proposal = records(models.Proposal, queries.events_by_proposal, "Concerning this proposal.")
    date_after = by(
        lambda day: queries.events_by_date(after=day),
        datetime.date,
        "Happening on or after this date; an event of several days counts if it ends then.",
    )
    date_before = by(lambda day: queries.events_by_date(before=day), datetime.date, "Starting on or before this date.")
