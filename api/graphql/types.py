"""One GraphQL type per model, named ``XType``, with relations both ways.

Records are identified by their slugs (or, for the few without one, by the slugs that make
their natural key); integer ids are never exposed. Field descriptions come from the models'
help texts, except where a reverse relation needs its own.
"""

from __future__ import annotations

import datetime
import decimal
from functools import partial

import strawberry
import strawberry_django
from strawberry import auto

from api.graphql.enums import (
    Basis,
    ChangeKind,
    ClauseState,
    Confidence,
    DatePrecision,
    Direction,
    EventKind,
    Firmness,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    QuantityQualifier,
    SourceKind,
    SourceTier,
    Stage,
    Support,
)
from api.graphql.fields import TreatyField, field
from api.graphql.filters import FILTERS, ORDERS
from treaty import models, queries


def django_type(model, description: str):
    """``strawberry_django.type`` with the model's filters and ordering (api/graphql/filters.py)."""
    return strawberry_django.type(
        model,
        filters=FILTERS[model],
        ordering=ORDERS[model],
        field_cls=TreatyField,
        description=description,
    )


@strawberry.interface(description="A record dated as an interval: earliest and latest possible day, with a precision.")
class Dated:
    date: datetime.date | None = field(description="The earliest possible day; null when unknown.")
    date_latest: datetime.date | None = field(description="The latest possible day (the same day when day-precise).")
    date_expression: str = field(description="The source's own words for the date: “last week”, “on Friday”.")
    date_resolved_against: datetime.date | None = field(description="The date the expression was resolved against.")
    date_note: str = field(description="Why the date is as it is, when that needs saying (a plan still ahead).")

    @field(only=["date_precision"], description="How much of the date is known; null when the date is unknown.")
    def date_precision(self) -> DatePrecision | None:
        return self.date_precision or None

    @field(only=["date", "date_precision"], description="The date as a person would write it: “week of 17 Nov…”.")
    def date_display(self) -> str:
        return self.date_display


citations_field = partial(field, description="The passages of sources that support this record.")
conflicts_field = partial(field, description="Disagreements between sources that touch this record.")


@django_type(models.Topic, "A subject a clause deals with, with a crosswalk to the PA-X database's categories.")
class TopicType:
    slug: auto
    version: auto
    name: auto
    description: auto
    pax_categories: auto
    clauses: list[ClauseType] = field(description="Clauses tagged with this topic.")


@django_type(models.Party, "A state, bloc, alliance or organisation.")
class PartyType:
    slug: auto
    version: auto
    name: auto
    kind: PartyKind
    aliases: list[str]
    description: auto
    members: list[PartyType]
    member_of: list[PartyType] = field(description="The blocs and alliances this party belongs to.")
    roles: list[PartyRoleType] = field(description="Its roles in negotiations.")
    negotiations: list[NegotiationType] = field(description="Negotiations it takes part in.")
    people: list[PersonType] = field(description="People affiliated with this party.")
    authored_proposals: list[ProposalType] = field(description="Proposals it authored, alone or jointly.")
    positions: list[PositionType] = field(description="Positions it holds, past and current.")
    assessments: list[AssessmentType] = field(description="Third parties' judgements about it: never its stances.")
    events: list[EventType] = field(description="Events it took part in.")


@django_type(models.PartyRole, "A party's role in a negotiation; identified by negotiation, party and role.")
class PartyRoleType:
    negotiation: NegotiationType
    party: PartyType
    role: PartyRoleKind
    note: auto
    citations: list[CitationType] = citations_field()


@django_type(models.Person, "An official or commentator.")
class PersonType:
    slug: auto
    version: auto
    name: auto
    name_is_editorial: bool = field(description="The name is our normalised spelling, which no stored source uses.")
    title: auto
    party: PartyType | None
    aliases: list[str]
    description: auto
    citations: list[CitationType] = citations_field()
    positions: list[PositionType] = field(description="Positions this person stated.")
    assessments: list[AssessmentType] = field(description="Assessments this person made.")
    events: list[EventType] = field(description="Events this person took part in.")


@django_type(models.Source, "A document facts are taken from.")
class SourceType(Dated):
    slug: auto
    version: auto
    kind: SourceKind
    tier: SourceTier
    republished_from: auto
    declared_interest: auto
    needs_review: auto
    review_note: auto
    outlet: auto
    headline: auto
    byline: auto
    url: auto
    text: auto
    notes: auto
    non_story_passages: list[NonStoryPassageType] = field(
        description="Text in the source that is not part of the story; quotes may not come from it."
    )
    citations: list[CitationType] = field(description="Citations of passages of this source.")

    @field(only=["text"], description="Whether the text is stored, so quotes from it can be checked.")
    def has_text(self) -> bool:
        return self.has_text


@django_type(models.NonStoryPassage, "Text in a source that is not part of the story (sign-up boxes, hashtags).")
class NonStoryPassageType:
    slug: auto
    version: auto
    source: SourceType
    text: auto
    reason: auto


@django_type(models.Citation, "A verbatim passage of a source that supports a fact.")
class CitationType:
    slug: auto
    version: auto
    source: SourceType
    quote: auto
    start: int | None
    end: int | None = field(description="Character offset just after the quote.")
    locator: auto
    note: auto
    negotiations: list[NegotiationType] = field(field_name="cited_by_negotiation", description="Citing records.")
    party_roles: list[PartyRoleType] = field(field_name="cited_by_partyrole", description="Citing records.")
    people: list[PersonType] = field(field_name="cited_by_person", description="Citing records.")
    proposals: list[ProposalType] = field(field_name="cited_by_proposal", description="Citing records.")
    clauses: list[ClauseType] = field(field_name="cited_by_clause", description="Citing records.")
    clause_lineage: list[ClauseLineageType] = field(field_name="cited_by_clauselineage", description="Citing records.")
    positions: list[PositionType] = field(field_name="cited_by_position", description="Citing records.")
    assessments: list[AssessmentType] = field(field_name="cited_by_assessment", description="Citing records.")
    events: list[EventType] = field(field_name="cited_by_event", description="Citing records.")
    conflict_claims: list[ConflictClaimType] = field(field_name="cited_by_conflictclaim", description="Citing records.")

    @field(
        select_related=["source"],
        only=["quote", "source__tier"],
        annotate={"source_has_text": models.citation_source_has_text()},
        description="Whether a machine checked the quote: it is non-empty and occurs verbatim in the source's stored "
        "text. A quote from a machine translation is checked, but sourceTier says the words are a translation.",
    )
    def checked(self) -> bool:
        return self.checked

    @field(select_related=["source"], only=["source__tier"], description="The cited source's provenance tier.")
    def source_tier(self) -> SourceTier:
        return self.source.tier

    @field(
        select_related=["source"],
        only=["source__declared_interest"],
        description="The source's own statement of its informants' interest, verbatim; empty when it states none.",
    )
    def declared_interest(self) -> str:
        return self.source.declared_interest


@django_type(models.Negotiation, "A peace process: it groups proposals, events and parties.")
class NegotiationType(Dated):
    slug: auto
    version: auto
    name: auto
    summary: auto
    parties: list[PartyType] = field(description="The parties taking part, in any role.")
    party_roles: list[PartyRoleType] = field(description="Who takes part in what role.")
    proposals: list[ProposalType]
    events: list[EventType]
    citations: list[CitationType] = citations_field()


@django_type(models.Proposal, "A plan, draft, framework, counterproposal, list of demands or other text put forward.")
class ProposalType(Dated):
    slug: auto
    version: auto
    negotiation: NegotiationType
    title: auto
    kind: ProposalKind
    authors: list[PartyType]
    status: ProposalStatus
    stated_point_count: int | None
    text_published: auto
    supersedes: ProposalType | None
    superseded_by: list[ProposalType] = field(description="Later proposals that supersede this one.")
    summary: auto
    needs_review: auto
    review_note: auto
    clauses: list[ClauseType] = field(description="Its provisions.")
    positions: list[PositionType] = field(
        description="Positions on the whole proposal and on its clauses, past and current "
        "(filters: {current: true} for the current ones)."
    )
    events: list[EventType] = field(description="Events concerning this proposal.")
    assessments: list[AssessmentType] = field(description="Third parties' judgements of it: never stances.")
    conflicts: list[ConflictType] = conflicts_field()
    citations: list[CitationType] = citations_field()

    @field(only=["stage"], description="The PA-X agreement stage; null when not classified.")
    def stage(self) -> Stage | None:
        return self.stage or None


@django_type(models.Clause, "A provision of a proposal.")
class ClauseType:
    slug: auto
    version: auto
    proposal: ProposalType
    number: int | None
    heading: auto
    text: auto
    text_is_verbatim: auto
    state: ClauseState
    needs_review: auto
    review_note: auto
    topics: list[TopicType]
    quantities: list[QuantityType] = field(description="The numbers the clause names.")
    lineage: list[ClauseLineageType] = field(description="How this clause derives from clauses of earlier proposals.")
    descendant_lineage: list[ClauseLineageType] = field(description="How clauses of later proposals derive from it.")
    derived_from: list[ClauseType] = field(description="The clauses of earlier proposals it derives from.")
    derivatives: list[ClauseType] = field(description="The clauses of later proposals derived from it.")
    positions: list[PositionType] = field(
        description="Positions on this clause, past and current (filters: {current: true} for the current ones)."
    )
    assessments: list[AssessmentType] = field(description="Third parties' judgements of it: never stances.")
    conflicts: list[ConflictType] = conflicts_field()
    citations: list[CitationType] = citations_field()

    @field(only=["confidence"], description="How sure the sources let us be of its content; null when not assessed.")
    def confidence(self) -> Confidence | None:
        return self.confidence or None

    @field(
        annotate=queries.clause_support_annotations(),
        description="What its content rests on: CHECKED_QUOTE (a quote a machine checked against a stored text), "
        "EXTERNAL_ONLY (only texts we do not store) or NONE.",
    )
    def support(self) -> Support:
        return self.support


@django_type(models.ClauseLineage, "How a clause derives from a clause of an earlier proposal; identified by both.")
class ClauseLineageType:
    clause: ClauseType = field(description="The later clause.")
    derived_from: ClauseType = field(description="The earlier clause it derives from.")
    change: ChangeKind
    note: auto
    citations: list[CitationType] = citations_field()


@django_type(
    models.Quantity,
    "A number a record names: 600,000 personnel, 100 days. It belongs to exactly one clause, position, assessment or "
    "event, and is identified by that record and its measure.",
)
class QuantityType:
    clause: ClauseType | None
    position: PositionType | None
    assessment: AssessmentType | None
    event: EventType | None
    measure: auto
    qualifier: QuantityQualifier
    value: decimal.Decimal
    unit: auto
    note: auto


@django_type(
    models.Position,
    "A party's stance toward a clause, or toward a whole proposal when clause is null: who holds it, which way and "
    "how firmly, who stated it, how we know. A later position of the same holder on the same subject supersedes it "
    "only when it begins after this one ends; several may be current.",
)
class PositionType(Dated):
    slug: auto
    version: auto
    holder: PartyType = field(description="The party whose stance it is.")
    proposal: ProposalType
    clause: ClauseType | None
    firmness: Firmness
    speaker: PersonType | None = field(description="Who stated it, when known: a person of the holder.")
    reported_by: PartyType | None = field(description="For second-hand: the party whose officials reported it.")
    reported_by_person: PersonType | None = field(description="For second-hand: who reported it, when named.")
    summary: auto
    quantities: list[QuantityType] = field(description="The numbers the position names.")
    needs_review: auto
    review_note: auto
    conflicts: list[ConflictType] = conflicts_field()
    citations: list[CitationType] = citations_field()

    @field(only=["direction"], description="For or against; null while the record is under review.")
    def direction(self) -> Direction | None:
        return self.direction or None

    @field(only=["basis"], description="How we know; null while the record is under review.")
    def basis(self) -> Basis | None:
        return self.basis or None


@django_type(
    models.Assessment,
    "A third party's judgement (analyst, former official, a leader speaking of another party) about a party, "
    "proposal or clause. Never a party's stance.",
)
class AssessmentType(Dated):
    slug: auto
    version: auto
    assessor: PersonType | None
    assessor_description: auto
    about: PartyType | None
    proposal: ProposalType | None
    clause: ClauseType | None
    summary: auto
    quantities: list[QuantityType] = field(description="The numbers the assessment names.")
    needs_review: auto
    review_note: auto
    citations: list[CitationType] = citations_field()


@django_type(models.Conflict, "Sources disagreeing on a fact: each claim with its citations, and what it touches.")
class ConflictType:
    slug: auto
    version: auto
    negotiation: NegotiationType
    summary: auto
    claims: list[ConflictClaimType] = field(description="Each side, with its citations.")
    proposals: list[ProposalType]
    clauses: list[ClauseType]
    events: list[EventType]
    positions: list[PositionType]


@django_type(models.ConflictClaim, "One side of a conflict between sources.")
class ConflictClaimType:
    slug: auto
    version: auto
    claim: auto
    note: auto
    citations: list[CitationType] = citations_field()


@django_type(models.Event, "A summit, talks, a statement, a deadline, a leak… in a negotiation.")
class EventType(Dated):
    slug: auto
    version: auto
    negotiation: NegotiationType
    kind: EventKind
    title: auto
    end_date: datetime.date | None
    place: auto
    people: list[PersonType] = field(description="People taking part.")
    parties: list[PartyType] = field(description="Parties taking part.")
    proposals: list[ProposalType] = field(description="Proposals it concerns.")
    summary: auto
    outcome: auto
    quantities: list[QuantityType] = field(description="The numbers the event names.")
    needs_review: auto
    review_note: auto
    conflicts: list[ConflictType] = conflicts_field()
    citations: list[CitationType] = citations_field()
