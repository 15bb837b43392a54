"""The filters and orderings of every list, declared once.

Each :class:`Filter` has a name, a kind of value, a help text and a meaning (a Q-builder of
:mod:`treaty.queries`); :meth:`Filter.check` validates a value the same way for every caller.
The REST FilterSets (api/rest/filters.py) and the GraphQL filter and order types
(api/graphql/filters.py, api/graphql/orders.py) are both built from :data:`LISTINGS`, so the two
APIs cannot drift apart.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, Q, TextChoices

from treaty import choices, models, queries
from treaty.models import is_slug

POINT_NUMBERS = range(1, 32768)  # a clause number is a positive smallint
MAX_SEARCH_LENGTH = 200  # free text longer than this is refused before it reaches the database (both APIs)


class InvalidFilter(ValueError):
    """A filter value the API must refuse (REST: 400 naming the parameter)."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


class UnknownRecords(InvalidFilter):
    """Slugs that name no record (REST: 404 naming them)."""


class Kind(enum.Enum):
    RECORDS = "records"  # slugs of records, any of which matches; each must name a record
    SLUGS = "slugs"  # slug-like values that name no record of their own (a quantity's measure)
    CHOICES = "choices"  # values of a controlled vocabulary, any of which matches
    TEXT = "text"  # free text; blank filters nothing
    DATE = "date"
    BOOLEAN = "boolean"
    NUMBER = "number"  # a clause's point number


@dataclass(frozen=True)
class Filter:
    name: str
    kind: Kind
    query: Callable[..., Q]
    help: str
    records: tuple[type[Model], ...] = ()  # RECORDS: the models its slugs may name
    choices: type[TextChoices] | None = None  # CHOICES: the vocabulary
    given: str | None = None  # the name of another filter whose value (or None) ``query`` also takes

    def check(self, value):
        """The value, cleaned, or InvalidFilter; RECORDS checks that each slug names a record."""
        if self.kind is Kind.TEXT:
            return clean_text(self.name, value)
        if self.kind is Kind.NUMBER and value not in POINT_NUMBERS:
            raise InvalidFilter(self.name, f"A point number is between 1 and {POINT_NUMBERS[-1]}, not {value}.")
        if self.kind is Kind.RECORDS:
            check_slugs(self.name, self.records, value)
        return value

    def q(self, value, given=None) -> Q:
        return self.query(value, given) if self.given else self.query(value)


def clean_text(name: str, text: str) -> str:
    """A NUL character cannot occur in stored text, so it reads as a space; overlong text is refused."""
    if len(text) > MAX_SEARCH_LENGTH:
        raise InvalidFilter(name, f"Search text has at most {MAX_SEARCH_LENGTH} characters, not {len(text)}.")
    return text.replace("\x00", " ").strip()


def check_slugs(name: str, record_models: tuple[type[Model], ...], slugs: list[str]) -> None:
    known = set()
    valid = [slug for slug in slugs if is_slug(slug)]
    for model in record_models:
        known.update(model.objects.filter(slug__in=valid).values_list("slug", flat=True))
    unknown = ", ".join(f"“{slug}”" for slug in slugs if slug not in known)
    if unknown:
        kinds = " or ".join(str(model._meta.verbose_name) for model in record_models)
        raise UnknownRecords(name, f"No {kinds} has the slug {unknown}.")


def ties_in_creation_order(queryset):
    """An explicit order ended by the primary key, in the direction of its last key: ties come in creation order,
    newest first under a descending key, so a descending order is exactly the ascending one reversed and one index
    on (column, id) reads a first page either way. A last key that is unique (a slug, a name) has no ties."""
    last = queryset.query.order_by[-1]
    if isinstance(last, str):
        name, descending = last.removeprefix("-"), last.startswith("-")
    else:  # an OrderBy of an F() (GraphQL's orderings)
        name, descending = getattr(last.expression, "name", ""), last.descending
    field = next((f for f in queryset.model._meta.concrete_fields if f.name == name), None)
    if field is not None and field.unique and not field.null:
        return queryset
    return queryset.order_by(*queryset.query.order_by, "-pk" if descending else "pk")


@dataclass(frozen=True)
class Listing:
    """How a list of ``model`` records can be filtered (besides free-text ``q``) and ordered."""

    model: type[Model]
    filters: tuple[Filter, ...]
    ordering: tuple[str, ...]
    searchable: bool = True  # takes ``q`` (treaty.queries.search)
    by_name: dict[str, Filter] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.filters})


def records(name, model, query, help):
    return Filter(name, Kind.RECORDS, query, help, records=model if isinstance(model, tuple) else (model,))


def vocabulary(name, choices_class, query, help):
    return Filter(name, Kind.CHOICES, query, help, choices=choices_class)


def text(name, query, help):
    return Filter(name, Kind.TEXT, query, help)


def boolean(name, query, help):
    return Filter(name, Kind.BOOLEAN, query, help)


def dates(query, noun: str) -> tuple[Filter, Filter]:
    """``date_after`` and ``date_before`` of ``query(after=, before=)``: any overlap of the record's interval."""
    return (
        Filter(
            "date_after",
            Kind.DATE,
            lambda day: query(after=day),
            f"{noun} possibly on or after this date (YYYY-MM-DD): matches on any overlap, i.e. the interval's "
            "latest day is on or after it. Undated records never match.",
        ),
        Filter(
            "date_before",
            Kind.DATE,
            lambda day: query(before=day),
            f"{noun} possibly on or before this date (YYYY-MM-DD): matches on any overlap, i.e. the interval's "
            "earliest day is on or before it. Undated records never match.",
        ),
    )


def needs_review():
    return boolean("needs_review", queries.by_needs_review, "true: only records marked for a curator's review.")


NAME_HELP = "Name or alias contains this text (case-insensitive)."

_LISTINGS = [
    Listing(models.Topic, (), ("name", "slug")),
    Listing(
        models.Party,
        (
            text("name", queries.parties_by_name, NAME_HELP),
            vocabulary("kind", choices.PartyKind, queries.parties_by_kind, "Kind of party."),
            records(
                "negotiation",
                models.Negotiation,
                queries.parties_by_negotiation,
                "Taking part in this negotiation (slug).",
            ),
            vocabulary("role", choices.PartyRoleKind, queries.parties_by_role, "Having this role in a negotiation."),
        ),
        ("name", "slug", "kind"),
    ),
    Listing(
        models.PartyRole,
        (
            records("negotiation", models.Negotiation, queries.party_roles_by_negotiation, "In this negotiation."),
            records("party", models.Party, queries.party_roles_by_party, "Of this party."),
            vocabulary("role", choices.PartyRoleKind, queries.party_roles_by_role, "This role."),
        ),
        ("role",),
        searchable=False,
    ),
    Listing(
        models.Person,
        (
            text("name", queries.people_by_name, NAME_HELP),
            records("party", models.Party, queries.people_by_party, "Affiliated with this party (slug)."),
        ),
        ("name", "slug"),
    ),
    Listing(
        models.Negotiation,
        (records("party", models.Party, queries.negotiations_by_party, "With this party taking part (slug)."),),
        ("name", "slug", "date"),
    ),
    Listing(
        models.Source,
        (
            text("outlet", queries.sources_by_outlet, "Published by this outlet (exact name, any case)."),
            vocabulary("kind", choices.SourceKind, queries.sources_by_kind, "Kind of document."),
            vocabulary("tier", choices.SourceTier, queries.sources_by_tier, "Provenance tier."),
            *dates(queries.sources_by_date, "Published"),
            boolean("has_text", queries.sources_by_has_text, "Whether we store the text."),
        ),
        ("date", "slug", "outlet"),
    ),
    Listing(
        models.NonStoryPassage,
        (records("source", models.Source, queries.passages_by_source, "In this source."),),
        ("slug",),
        searchable=False,
    ),
    Listing(
        models.Citation,
        (records("source", models.Source, queries.citations_by_source, "Citing this source (slug)."),),
        ("slug", "start"),
    ),
    Listing(
        models.Proposal,
        (
            records("negotiation", models.Negotiation, queries.proposals_by_negotiation, "In this negotiation."),
            vocabulary("kind", choices.ProposalKind, queries.proposals_by_kind, "Kind of proposal."),
            vocabulary("status", choices.ProposalStatus, queries.proposals_by_status, "Lifecycle status."),
            vocabulary("stage", choices.Stage, queries.proposals_by_stage, "PA-X agreement stage."),
            records("author", models.Party, queries.proposals_by_author, "Authored (alone or jointly) by this party."),
            *dates(queries.proposals_by_date, "Presented"),
            boolean("text_published", queries.proposals_by_text_published, "Whether the full text is public."),
            needs_review(),
        ),
        ("date", "slug", "title"),
    ),
    Listing(
        models.Clause,
        (
            records("proposal", models.Proposal, queries.clauses_by_proposal, "Clauses of this proposal (slug)."),
            records(
                "negotiation",
                models.Negotiation,
                queries.clauses_by_negotiation,
                "Clauses of the proposals of this negotiation.",
            ),
            records("topic", models.Topic, queries.clauses_by_topic, "Tagged with this topic (slug)."),
            Filter("number", Kind.NUMBER, queries.clauses_by_number, "Point number in its proposal."),
            vocabulary("state", choices.ClauseState, queries.clauses_by_state, "Negotiation state."),
            vocabulary("confidence", choices.Confidence, queries.clauses_by_confidence, "Confidence in its content."),
            records(
                "party",
                models.Party,
                queries.clauses_by_party,
                "Clauses on which this party holds a position (slug); assessments do not count.",
            ),
            Filter(
                "direction",
                Kind.CHOICES,
                lambda directions, parties: queries.clauses_by_direction(directions=directions, parties=parties),
                "Clauses on which a holder's current position has this direction; with `party`, that party's.",
                choices=choices.Direction,
                given="party",
            ),
            needs_review(),
        ),
        ("number", "slug", "heading"),
    ),
    Listing(
        models.ClauseLineage,
        (
            records("clause", models.Clause, queries.lineage_by_clause, "Links of this (later) clause."),
            records(
                "derived_from", models.Clause, queries.lineage_by_derived_from, "Links from this (earlier) clause."
            ),
        ),
        ("change",),
        searchable=False,
    ),
    Listing(
        models.Quantity,
        (
            records("clause", models.Clause, queries.quantities_by_clause, "Named by this clause."),
            records("position", models.Position, queries.quantities_by_position, "Named by this position."),
            records("assessment", models.Assessment, queries.quantities_by_assessment, "Named by this assessment."),
            records("event", models.Event, queries.quantities_by_event, "Named by this event."),
            Filter("measure", Kind.SLUGS, queries.quantities_by_measure, "What is measured: armed-forces-cap…"),
        ),
        ("measure", "value"),
        searchable=False,
    ),
    Listing(
        models.Position,
        (
            records("holder", models.Party, queries.positions_by_holder, "Held by this party (slug)."),
            records(
                "proposal",
                models.Proposal,
                queries.positions_by_proposal,
                "On this proposal or one of its clauses (slug).",
            ),
            records("clause", models.Clause, queries.positions_by_clause, "On this clause (slug)."),
            boolean(
                "whole_proposal",
                queries.positions_on_whole_proposal,
                "true: stances on whole proposals; false: on clauses.",
            ),
            vocabulary("direction", choices.Direction, queries.positions_by_direction, "For or against."),
            vocabulary("firmness", choices.Firmness, queries.positions_by_firmness, "Stated, or a red line."),
            vocabulary("basis", choices.Basis, queries.positions_by_basis, "How we know."),
            records("speaker", models.Person, queries.positions_by_speaker, "Stated by this person (slug)."),
            records(
                "reported_by",
                models.Party,
                queries.positions_by_reported_by,
                "Second-hand, reported by this party's officials (slug).",
            ),
            boolean(
                "current",
                queries.positions_by_current,
                "true: only positions no later one of the same holder on the same subject supersedes "
                "(several may be current); false: only superseded ones.",
            ),
            needs_review(),
            *dates(queries.positions_by_date, "Taken"),
        ),
        ("date", "slug", "direction"),
    ),
    Listing(
        models.Assessment,
        (
            records("about", models.Party, queries.assessments_by_about, "About this party (slug)."),
            records("assessor", models.Person, queries.assessments_by_assessor, "By this person (slug)."),
            records(
                "proposal",
                models.Proposal,
                queries.assessments_by_proposal,
                "Of this proposal or one of its clauses (slug).",
            ),
            records("clause", models.Clause, queries.assessments_by_clause, "Of this clause (slug)."),
            needs_review(),
            *dates(queries.assessments_by_date, "Made"),
        ),
        ("date", "slug"),
    ),
    Listing(
        models.Conflict,
        (
            records("negotiation", models.Negotiation, queries.conflicts_by_negotiation, "In this negotiation."),
            records("proposal", models.Proposal, queries.conflicts_by_proposal, "Touching this proposal (slug)."),
        ),
        ("slug",),
    ),
    Listing(
        models.ConflictClaim,
        (records("conflict", models.Conflict, queries.conflict_claims_by_conflict, "Of this conflict (slug)."),),
        ("slug",),
        searchable=False,
    ),
    Listing(
        models.Event,
        (
            records("negotiation", models.Negotiation, queries.events_by_negotiation, "In this negotiation."),
            vocabulary("kind", choices.EventKind, queries.events_by_kind, "Kind of event."),
            records(
                "participant",
                (models.Person, models.Party),
                queries.events_by_participant,
                "With this person or party taking part (slug).",
            ),
            records("proposal", models.Proposal, queries.events_by_proposal, "Concerning this proposal (slug)."),
            needs_review(),
            Filter(
                "date_after",
                Kind.DATE,
                lambda day: queries.events_by_date(after=day),
                "Possibly happening on or after this date (YYYY-MM-DD): any overlap of its interval (or of its days, "
                "for an event of several days) with the range. Undated events never match.",
            ),
            Filter(
                "date_before",
                Kind.DATE,
                lambda day: queries.events_by_date(before=day),
                "Possibly starting on or before this date (YYYY-MM-DD): its earliest day is on or before it.",
            ),
        ),
        ("date", "slug", "title"),
    ),
]

LISTINGS: dict[type[Model], Listing] = {listing.model: listing for listing in _LISTINGS}

SEARCH_HELP = (
    "Free-text search, names and aliases included. On PostgreSQL: full-text search ranked by "
    f'relevance (web-search syntax: words, "quoted phrases", -excluded). At most {MAX_SEARCH_LENGTH} characters.'
)
