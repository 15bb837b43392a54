"""The four analyses (treaty.analyses) as GraphQL types and root fields.

The domain functions decide every answer. The records in an answer are rendered from one query
per place they appear (Places), optimized with strawberry-django's public ``optimize`` for what the
client selected there; so however deep a client nests below an analysis, the number of SQL
queries does not grow with the data.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable
from typing import Annotated

import strawberry
from django.db.models import Model
from strawberry.types import Info
from strawberry_django.optimizer import optimize

from api.graphql.enums import DatePrecision, choices_enum
from api.graphql.errors import bad_user_input
from api.graphql.types import (
    AssessmentType,
    ClauseLineageType,
    ClauseType,
    EventType,
    NegotiationType,
    PartyType,
    PositionType,
    ProposalType,
    QuantityType,
)
from treaty import analyses, models

DiffChange = choices_enum(analyses.DiffChange)

ProposalSlug = Annotated[str, strawberry.argument(description="The proposal's slug.")]
AgainstSlug = Annotated[str, strawberry.argument(description="The slug of the proposal to compare with.")]
ClauseSlug = Annotated[str, strawberry.argument(description="The clause's slug.")]
NegotiationSlug = Annotated[str, strawberry.argument(description="The negotiation's slug.")]


# Loading what the client selected ---------------------------------------------------------------------------------


class Places:
    """Loads the records an analysis answer shows, one query per place in the response.

    A place is a field's path without list indices (aliases kept apart). The first time a place resolves, all
    the records shown there (``siblings``) are loaded in one query, optimized by strawberry-django's public
    ``optimize`` for what the client selected at that place; so however deep a client nests below an
    analysis, the number of SQL queries does not grow with the data.
    """

    def __init__(self):
        self.loaded: dict[tuple, dict[int, Model]] = {}

    def one(self, info: Info, record: Model | None, siblings: Callable[[], Iterable[Model | None]]):
        if record is None:
            return None
        key = tuple(step for step in info.path.as_list() if isinstance(step, str))
        if key not in self.loaded:
            pks = {sibling.pk for sibling in siblings() if sibling is not None}
            queryset = type(record)._default_manager.filter(pk__in=pks)
            self.loaded[key] = {loaded.pk: loaded for loaded in optimize(queryset, info)}
        return self.loaded[key][record.pk]

    def many(self, info: Info, records: Iterable[Model], siblings: Callable[[], Iterable[Model]]) -> list:
        records = list(records)
        return [self.one(info, record, siblings) for record in records]


def _get(model: type[Model], slug: str) -> Model:
    record = model.objects.with_slug(slug).first()
    if record is None:
        raise bad_user_input(f"No {model._meta.verbose_name} has the slug “{slug}”.")
    return record


# Proposal diff ----------------------------------------------------------------------------------------------------


@strawberry.type(description="A quantity, matched by its measure, that differs between the old and new clauses.")
class QuantityChange:
    measure: str
    change: strawberry.Private[analyses.QuantityChange]
    diff: strawberry.Private[analyses.ProposalDiff]
    places: strawberry.Private[Places]

    def _all(self):
        return [q for change in self.diff.changes for q in change.quantity_changes]

    @strawberry.field(description="Null when the old clauses do not name it.")
    def old(self, info: Info) -> QuantityType | None:
        return self.places.one(info, self.change.old, lambda: (q.old for q in self._all()))

    @strawberry.field(description="Null when the new clauses do not name it.")
    def new(self, info: Info) -> QuantityType | None:
        return self.places.one(info, self.change.new, lambda: (q.new for q in self._all()))


@strawberry.type(description=analyses.ClauseChange.__doc__.split("\n")[0])
class ClauseChange:
    change: DiffChange
    clause_change: strawberry.Private[analyses.ClauseChange]
    diff: strawberry.Private[analyses.ProposalDiff]
    places: strawberry.Private[Places]

    @strawberry.field(description="Empty for a new clause.")
    def old_clauses(self, info: Info) -> list[ClauseType]:
        everywhere = lambda: (c for change in self.diff.changes for c in change.old_clauses)  # noqa: E731
        return self.places.many(info, self.clause_change.old_clauses, everywhere)

    @strawberry.field(description="Empty for a clause dropped, deferred or of unknown fate.")
    def new_clauses(self, info: Info) -> list[ClauseType]:
        everywhere = lambda: (c for change in self.diff.changes for c in change.new_clauses)  # noqa: E731
        return self.places.many(info, self.clause_change.new_clauses, everywhere)

    @strawberry.field(description="The recorded links (notes and citations) the classification rests on.")
    def lineage(self, info: Info) -> list[ClauseLineageType]:
        everywhere = lambda: (link for change in self.diff.changes for link in change.lineage)  # noqa: E731
        return self.places.many(info, self.clause_change.lineage, everywhere)

    @strawberry.field
    def quantity_changes(self) -> list[QuantityChange]:
        return [
            QuantityChange(measure=q.measure, change=q, diff=self.diff, places=self.places)
            for q in self.clause_change.quantity_changes
        ]

    @strawberry.field(description="Whether our stored texts differ, for a one-to-one change; null otherwise.")
    def text_changed(self) -> bool | None:
        return self.clause_change.text_changed


@strawberry.type(description="How many clauses underwent one kind of change.")
class DiffCount:
    change: DiffChange
    count: int


@strawberry.type(description="How the clauses of the older proposal became those of the newer one.")
class ProposalDiff:
    diff: strawberry.Private[analyses.ProposalDiff]
    places: strawberry.Private[Places]

    @strawberry.field(description="The baseline: the older of the two proposals.")
    def old(self, info: Info) -> ProposalType:
        return self.places.one(info, self.diff.old, lambda: [self.diff.old])

    @strawberry.field
    def new(self, info: Info) -> ProposalType:
        return self.places.one(info, self.diff.new, lambda: [self.diff.new])

    @strawberry.field(description="Every clause of both proposals appears once.")
    def changes(self) -> list[ClauseChange]:
        return [
            ClauseChange(
                change=change.change,
                clause_change=change,
                diff=self.diff,
                places=self.places,
            )
            for change in self.diff.changes
        ]

    @strawberry.field
    def counts(self) -> list[DiffCount]:
        return [DiffCount(change=change, count=count) for change, count in self.diff.counts.items()]


def proposal_diff(slug: ProposalSlug, against: AgainstSlug) -> ProposalDiff:
    proposal, other = _get(models.Proposal, slug), _get(models.Proposal, against)
    if proposal == other:
        raise bad_user_input("Compare the proposal with another one, not with itself.")
    return ProposalDiff(diff=analyses.diff_proposals(proposal, other), places=Places())


# Clause history ---------------------------------------------------------------------------------------------------


@strawberry.type(description="A position, flagged when no later one of its holder on its clause supersedes it.")
class StanceEntry:
    entry: strawberry.Private[analyses.StanceEntry]
    history: strawberry.Private[analyses.ClauseHistory]
    places: strawberry.Private[Places]

    @strawberry.field
    def position(self, info: Info) -> PositionType:
        everywhere = lambda: (e.position for s in self.history.stances for e in s.entries)  # noqa: E731
        return self.places.one(info, self.entry.position, everywhere)

    @strawberry.field
    def current(self) -> bool:
        return self.entry.current


@strawberry.type(description="One holder's positions on a clause and its other versions, oldest first.")
class PartyStances:
    stances: strawberry.Private[analyses.PartyStances]
    history: strawberry.Private[analyses.ClauseHistory]
    places: strawberry.Private[Places]

    @strawberry.field(description="The holder.")
    def party(self, info: Info) -> PartyType:
        return self.places.one(info, self.stances.party, lambda: (s.party for s in self.history.stances))

    @strawberry.field(description="Oldest first.")
    def timeline(self) -> list[StanceEntry]:
        return [StanceEntry(entry=entry, history=self.history, places=self.places) for entry in self.stances.entries]

    @strawberry.field(
        description="The holder's current positions on the clause itself (several when they overlap in time); "
        "empty if it only spoke to other versions."
    )
    def current(self, info: Info) -> list[PositionType]:
        everywhere = lambda: (p for s in self.history.stances for p in s.current)  # noqa: E731
        return self.places.many(info, self.stances.current, everywhere)

    @strawberry.field(description="Whether the current positions differ in direction or firmness.")
    def disagreement(self) -> bool:
        return self.stances.disagreement


@strawberry.type(description="A clause's versions across drafts, the links between them, and every stance on them.")
class ClauseHistory:
    history: strawberry.Private[analyses.ClauseHistory]
    places: strawberry.Private[Places]

    @strawberry.field
    def clause(self, info: Info) -> ClauseType:
        return self.places.one(info, self.history.clause, lambda: [self.history.clause])

    @strawberry.field(description="The clause and its other versions, oldest first.")
    def versions(self, info: Info) -> list[ClauseType]:
        return self.places.many(info, self.history.versions, lambda: self.history.versions)

    @strawberry.field
    def lineage(self, info: Info) -> list[ClauseLineageType]:
        return self.places.many(info, self.history.lineage, lambda: self.history.lineage)

    @strawberry.field(description="Each holder's stance timeline, holders by name.")
    def stances(self) -> list[PartyStances]:
        return [PartyStances(stances=s, history=self.history, places=self.places) for s in self.history.stances]

    @strawberry.field(description="Third parties' judgements of the clause and its versions: never stances.")
    def assessments(self, info: Info) -> list[AssessmentType]:
        return self.places.many(info, self.history.assessments, lambda: self.history.assessments)


def clause_history(slug: ClauseSlug) -> ClauseHistory:
    return ClauseHistory(history=analyses.clause_history(_get(models.Clause, slug)), places=Places())


# Negotiation timeline ---------------------------------------------------------------------------------------------


@strawberry.enum(description="Which of a timeline entry's event and proposal is set.")
class TimelineEntryKind(enum.Enum):
    EVENT = "event"
    PROPOSAL = "proposal"


@strawberry.type(description="An event or a proposal's presentation, dated as an interval.")
class TimelineEntry:
    type: TimelineEntryKind
    date: datetime.date | None = strawberry.field(
        description="The earliest possible day; null when unknown (undated entries come last)."
    )
    date_latest: datetime.date | None = strawberry.field(description="The latest possible day.")
    date_precision: DatePrecision | None
    date_display: str
    date_expression: str = strawberry.field(description="The source's words for the date.")
    end_date: datetime.date | None
    concurrent_with: list[str] = strawberry.field(
        description="Slugs of the entries whose date intervals overlap this one's: their order is not known."
    )
    entry: strawberry.Private[analyses.TimelineEntry]
    timeline: strawberry.Private[analyses.NegotiationTimeline]
    places: strawberry.Private[Places]

    @strawberry.field(description="The event, for an event entry.")
    def event(self, info: Info) -> EventType | None:
        return self.places.one(info, self.entry.event, lambda: (e.event for e in self.timeline.entries))

    @strawberry.field(description="The proposal, for a proposal entry.")
    def proposal(self, info: Info) -> ProposalType | None:
        return self.places.one(info, self.entry.proposal, lambda: (e.proposal for e in self.timeline.entries))


@strawberry.type(description="A negotiation's events and proposals ordered by their date intervals.")
class NegotiationTimeline:
    timeline: strawberry.Private[analyses.NegotiationTimeline]
    places: strawberry.Private[Places]

    @strawberry.field
    def negotiation(self, info: Info) -> NegotiationType:
        return self.places.one(info, self.timeline.negotiation, lambda: [self.timeline.negotiation])

    @strawberry.field(
        description="By earliest day, then latest day: never before an entry whose latest day is before its "
        "earliest; overlapping entries are marked concurrent; undated last."
    )
    def entries(self) -> list[TimelineEntry]:
        return [
            TimelineEntry(
                type=TimelineEntryKind(e.entry_type),
                date=e.date,
                date_latest=e.date_latest,
                date_precision=e.date_precision or None,
                date_display=e.date_display,
                date_expression=e.date_expression,
                end_date=e.end_date,
                concurrent_with=e.concurrent_with,
                entry=e,
                timeline=self.timeline,
                places=self.places,
            )
            for e in self.timeline.entries
        ]


def negotiation_timeline(slug: NegotiationSlug) -> NegotiationTimeline:
    timeline = analyses.negotiation_timeline(_get(models.Negotiation, slug))
    return NegotiationTimeline(timeline=timeline, places=Places())


# Stance matrix ----------------------------------------------------------------------------------------------------


@strawberry.type(description="A holder's current positions on a clause, or on the whole proposal (clause null).")
class StanceCell:
    cell: strawberry.Private[analyses.StanceCell]
    siblings: strawberry.Private[Callable[[], list[analyses.StanceCell]]]  # the cells shown at the same place
    places: strawberry.Private[Places]

    @strawberry.field
    def clause(self, info: Info) -> ClauseType | None:
        return self.places.one(info, self.cell.clause, lambda: (cell.clause for cell in self.siblings()))

    @strawberry.field(description="The current positions (several when they overlap in time); empty: none recorded.")
    def positions(self, info: Info) -> list[PositionType]:
        everywhere = lambda: (p for cell in self.siblings() for p in cell.positions)  # noqa: E731
        return self.places.many(info, self.cell.positions, everywhere)

    @strawberry.field(description="Whether the current positions differ in direction or firmness.")
    def disagreement(self) -> bool:
        return self.cell.disagreement


@strawberry.type(description="One holder: its current positions on the whole proposal and on each clause.")
class StanceRow:
    row: strawberry.Private[analyses.StanceRow]
    matrix: strawberry.Private[analyses.StanceMatrix]
    places: strawberry.Private[Places]

    @strawberry.field(description="The holder.")
    def party(self, info: Info) -> PartyType:
        return self.places.one(info, self.row.party, lambda: (row.party for row in self.matrix.rows))

    @strawberry.field
    def whole_proposal(self) -> StanceCell:
        whole = lambda: [row.whole_proposal for row in self.matrix.rows]  # noqa: E731
        return StanceCell(cell=self.row.whole_proposal, siblings=whole, places=self.places)

    @strawberry.field(description="One per clause, in the matrix's clause order.")
    def cells(self) -> list[StanceCell]:
        every = lambda: [cell for row in self.matrix.rows for cell in row.cells]  # noqa: E731
        return [StanceCell(cell=cell, siblings=every, places=self.places) for cell in self.row.cells]


@strawberry.type(description="Holders by clauses of a proposal: each holder's current positions; assessments apart.")
class StanceMatrix:
    matrix: strawberry.Private[analyses.StanceMatrix]
    places: strawberry.Private[Places]

    @strawberry.field
    def proposal(self, info: Info) -> ProposalType:
        return self.places.one(info, self.matrix.proposal, lambda: [self.matrix.proposal])

    @strawberry.field(description="The proposal's clauses by number.")
    def clauses(self, info: Info) -> list[ClauseType]:
        return self.places.many(info, self.matrix.clauses, lambda: self.matrix.clauses)

    @strawberry.field(description="A row for every party holding a position, by name.")
    def rows(self) -> list[StanceRow]:
        return [StanceRow(row=row, matrix=self.matrix, places=self.places) for row in self.matrix.rows]

    @strawberry.field(description="Third parties' judgements of the proposal or its clauses: never stances.")
    def assessments(self, info: Info) -> list[AssessmentType]:
        return self.places.many(info, self.matrix.assessments, lambda: self.matrix.assessments)


def stance_matrix(slug: ProposalSlug) -> StanceMatrix:
    return StanceMatrix(matrix=analyses.stance_matrix(_get(models.Proposal, slug)), places=Places())
