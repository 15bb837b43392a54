"""The four analyses (treaty.analyses) as GraphQL types and root fields.

The domain functions decide every answer. Before the records in an answer are rendered, they
are reloaded in one query per place they appear, optimized (strawberry-django's optimizer) for
what the client selected there; so however deep a client nests below an analysis, the number
of SQL queries does not grow with the data.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Annotated

import strawberry
from django.db.models import Model
from graphql import GraphQLResolveInfo, get_named_type
from strawberry.types import Info
from strawberry_django.optimizer import _generate_selection_resolve_info, _get_selections, optimize

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


def _selected_below(raw: GraphQLResolveInfo, name: str) -> GraphQLResolveInfo | None:
    """The resolve info of field ``name`` below ``raw`` (all its aliases merged), or None if not selected."""
    parent = get_named_type(raw.return_type)
    nodes = [node for nodes in _get_selections(raw, parent).values() for node in nodes if node.name.value == name]
    if not nodes:
        return None
    return _generate_selection_resolve_info(raw, nodes, parent.fields[name].type, parent)


class Reloader:
    """Reloads the records of an analysis answer, in one optimized query per place they appear."""

    def __init__(self, info: Info):
        self.info = info

    def __call__(self, path: str, records: Iterable[Model | None]) -> dict[int, Model]:
        """The records shown at ``path`` (dotted GraphQL field names below the analysis), by primary key."""
        records = [record for record in records if record is not None]
        raw = self.info._raw_info
        for name in path.split("."):
            raw = raw and _selected_below(raw, name)
        if raw is None or not records:
            return {record.pk: record for record in records}
        queryset = type(records[0])._default_manager.filter(pk__in={record.pk for record in records})
        return {record.pk: record for record in optimize(queryset, raw)}


def _get(model: type[Model], slug: str) -> Model:
    record = model.objects.with_slug(slug).first()
    if record is None:
        raise bad_user_input(f"No {model._meta.verbose_name} has the slug “{slug}”.")
    return record


# Proposal diff ----------------------------------------------------------------------------------------------------


@strawberry.type(description="A quantity, matched by its measure, that differs between the old and new clauses.")
class QuantityChange:
    measure: str
    old: QuantityType | None = strawberry.field(description="Null when the old clauses do not name it.")
    new: QuantityType | None = strawberry.field(description="Null when the new clauses do not name it.")


@strawberry.type(description=analyses.ClauseChange.__doc__.split("\n")[0])
class ClauseChange:
    change: DiffChange
    old_clauses: list[ClauseType] = strawberry.field(description="Empty for a new clause.")
    new_clauses: list[ClauseType] = strawberry.field(
        description="Empty for a clause dropped, deferred or of unknown fate."
    )
    lineage: list[ClauseLineageType] = strawberry.field(
        description="The recorded links (notes and citations) the classification rests on."
    )
    quantity_changes: list[QuantityChange]
    text_changed: bool | None = strawberry.field(
        description="Whether our stored texts differ, for a one-to-one change; null otherwise."
    )


@strawberry.type(description="How many clauses underwent one kind of change.")
class DiffCount:
    change: DiffChange
    count: int


@strawberry.type(description="How the clauses of the older proposal became those of the newer one.")
class ProposalDiff:
    old: ProposalType = strawberry.field(description="The baseline: the older of the two proposals.")
    new: ProposalType
    changes: list[ClauseChange] = strawberry.field(description="Every clause of both proposals appears once.")
    counts: list[DiffCount]


def proposal_diff(info: Info, slug: ProposalSlug, against: AgainstSlug) -> ProposalDiff:
    proposal, other = _get(models.Proposal, slug), _get(models.Proposal, against)
    if proposal == other:
        raise bad_user_input("Compare the proposal with another one, not with itself.")
    diff = analyses.diff_proposals(proposal, other)
    load = Reloader(info)

    old_clauses = load("changes.oldClauses", (c for change in diff.changes for c in change.old_clauses))
    new_clauses = load("changes.newClauses", (c for change in diff.changes for c in change.new_clauses))
    lineage = load("changes.lineage", (link for change in diff.changes for link in change.lineage))
    quantity_changes = [q for change in diff.changes for q in change.quantity_changes]
    old_quantities = load("changes.quantityChanges.old", (q.old for q in quantity_changes))
    new_quantities = load("changes.quantityChanges.new", (q.new for q in quantity_changes))
    return ProposalDiff(
        old=load("old", [diff.old])[diff.old.pk],
        new=load("new", [diff.new])[diff.new.pk],
        changes=[
            ClauseChange(
                change=change.change,
                old_clauses=[old_clauses[c.pk] for c in change.old_clauses],
                new_clauses=[new_clauses[c.pk] for c in change.new_clauses],
                lineage=[lineage[link.pk] for link in change.lineage],
                quantity_changes=[
                    QuantityChange(
                        measure=q.measure,
                        old=q.old and old_quantities[q.old.pk],
                        new=q.new and new_quantities[q.new.pk],
                    )
                    for q in change.quantity_changes
                ],
                text_changed=change.text_changed,
            )
            for change in diff.changes
        ],
        counts=[DiffCount(change=change, count=count) for change, count in diff.counts.items()],
    )


# Clause history ---------------------------------------------------------------------------------------------------


@strawberry.type(description="A position, flagged when no later one of its holder on its clause supersedes it.")
class StanceEntry:
    position: PositionType
    current: bool


@strawberry.type(description="One holder's positions on a clause and its other versions, oldest first.")
class PartyStances:
    party: PartyType = strawberry.field(description="The holder.")
    timeline: list[StanceEntry] = strawberry.field(description="Oldest first.")
    current: list[PositionType] = strawberry.field(
        description="The holder's current positions on the clause itself (several when they overlap in time); "
        "empty if it only spoke to other versions."
    )
    disagreement: bool = strawberry.field(description="Whether the current positions differ in direction or firmness.")


@strawberry.type(description="A clause's versions across drafts, the links between them, and every stance on them.")
class ClauseHistory:
    clause: ClauseType
    versions: list[ClauseType] = strawberry.field(description="The clause and its other versions, oldest first.")
    lineage: list[ClauseLineageType]
    stances: list[PartyStances] = strawberry.field(description="Each holder's stance timeline, holders by name.")
    assessments: list[AssessmentType] = strawberry.field(
        description="Third parties' judgements of the clause and its versions: never stances."
    )


def clause_history(info: Info, slug: ClauseSlug) -> ClauseHistory:
    clause = _get(models.Clause, slug)
    history = analyses.clause_history(clause)
    load = Reloader(info)
    versions = load("versions", history.versions)
    lineage = load("lineage", history.lineage)
    parties = load("stances.party", (s.party for s in history.stances))
    positions = load("stances.timeline.position", (e.position for s in history.stances for e in s.entries))
    current = load("stances.current", (p for s in history.stances for p in s.current))
    assessments = load("assessments", history.assessments)
    return ClauseHistory(
        clause=load("clause", [clause])[clause.pk],
        versions=[versions[v.pk] for v in history.versions],
        lineage=[lineage[link.pk] for link in history.lineage],
        stances=[
            PartyStances(
                party=parties[s.party.pk],
                timeline=[StanceEntry(position=positions[e.position.pk], current=e.current) for e in s.entries],
                current=[current[p.pk] for p in s.current],
                disagreement=s.disagreement,
            )
            for s in history.stances
        ],
        assessments=[assessments[a.pk] for a in history.assessments],
    )


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
    event: EventType | None = strawberry.field(description="The event, for an event entry.")
    proposal: ProposalType | None = strawberry.field(description="The proposal, for a proposal entry.")


@strawberry.type(description="A negotiation's events and proposals in date order.")
class NegotiationTimeline:
    negotiation: NegotiationType
    entries: list[TimelineEntry] = strawberry.field(
        description="By earliest day, then latest day: never before an entry whose latest day is before its earliest; "
        "overlapping entries are marked concurrent; undated last."
    )


def negotiation_timeline(info: Info, slug: NegotiationSlug) -> NegotiationTimeline:
    timeline = analyses.negotiation_timeline(_get(models.Negotiation, slug))
    load = Reloader(info)
    negotiation = load("negotiation", [timeline.negotiation])[timeline.negotiation.pk]
    events = load("entries.event", (e.event for e in timeline.entries))
    proposals = load("entries.proposal", (e.proposal for e in timeline.entries))
    return NegotiationTimeline(
        negotiation=negotiation,
        entries=[
            TimelineEntry(
                type=TimelineEntryKind(e.entry_type),
                date=e.date,
                date_latest=e.date_latest,
                date_precision=e.date_precision or None,
                date_display=e.date_display,
                date_expression=e.date_expression,
                end_date=e.end_date,
                concurrent_with=e.concurrent_with,
                event=e.event and events[e.event.pk],
                proposal=e.proposal and proposals[e.proposal.pk],
            )
            for e in timeline.entries
        ],
    )


# Stance matrix ----------------------------------------------------------------------------------------------------


@strawberry.type(description="A holder's current positions on a clause, or on the whole proposal (clause null).")
class StanceCell:
    clause: ClauseType | None
    positions: list[PositionType] = strawberry.field(
        description="The current positions (several when they overlap in time); empty: none recorded."
    )
    disagreement: bool = strawberry.field(description="Whether the current positions differ in direction or firmness.")


@strawberry.type(description="One holder: its current positions on the whole proposal and on each clause.")
class StanceRow:
    party: PartyType = strawberry.field(description="The holder.")
    whole_proposal: StanceCell
    cells: list[StanceCell] = strawberry.field(description="One per clause, in the matrix's clause order.")


@strawberry.type(description="Holders by clauses of a proposal: each holder's current positions; assessments apart.")
class StanceMatrix:
    proposal: ProposalType
    clauses: list[ClauseType] = strawberry.field(description="The proposal's clauses by number.")
    rows: list[StanceRow] = strawberry.field(description="A row for every party holding a position, by name.")
    assessments: list[AssessmentType] = strawberry.field(
        description="Third parties' judgements of the proposal or its clauses: never stances."
    )


def stance_matrix(info: Info, slug: ProposalSlug) -> StanceMatrix:
    matrix = analyses.stance_matrix(_get(models.Proposal, slug))
    load = Reloader(info)
    proposal = load("proposal", [matrix.proposal])[matrix.proposal.pk]
    clauses = load("clauses", matrix.clauses)
    cells = [cell for row in matrix.rows for cell in row.cells]
    cell_clauses = load("rows.cells.clause", (cell.clause for cell in cells))
    cell_positions = load("rows.cells.positions", (p for cell in cells for p in cell.positions))
    parties = load("rows.party", (row.party for row in matrix.rows))
    whole = load("rows.wholeProposal.positions", (p for row in matrix.rows for p in row.whole_proposal.positions))
    assessments = load("assessments", matrix.assessments)
    return StanceMatrix(
        proposal=proposal,
        clauses=[clauses[c.pk] for c in matrix.clauses],
        rows=[
            StanceRow(
                party=parties[row.party.pk],
                whole_proposal=StanceCell(
                    clause=None,
                    positions=[whole[p.pk] for p in row.whole_proposal.positions],
                    disagreement=row.whole_proposal.disagreement,
                ),
                cells=[
                    StanceCell(
                        clause=cell_clauses[cell.clause.pk],
                        positions=[cell_positions[p.pk] for p in cell.positions],
                        disagreement=cell.disagreement,
                    )
                    for cell in row.cells
                ],
            )
            for row in matrix.rows
        ],
        assessments=[assessments[a.pk] for a in matrix.assessments],
    )
