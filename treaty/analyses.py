"""The four analyses of a negotiation, as plain functions returning plain dataclasses.

Shared by the REST and GraphQL APIs. The dataclasses hold model instances
(clauses, positions, events…) so each API renders them with its own types;
every related record an API shows is already loaded, and each function runs a
constant number of queries whatever the size of the data.

- :func:`diff_proposals`: how the clauses of one proposal became those of another.
- :func:`clause_history`: a clause's versions across drafts, every holder's positions on them, and assessments apart.
- :func:`negotiation_timeline`: events and proposals ordered by their date intervals, overlaps marked concurrent.
- :func:`stance_matrix`: each holder's current positions on each clause of a proposal, and assessments apart.

Assessments (third parties' judgements) never count as stances: they are listed apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Prefetch, Q

from treaty import rules
from treaty.choices import ChangeKind, ClauseState
from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    Party,
    Position,
    Proposal,
    Quantity,
)


def with_citations(queryset):
    """Prefetch a fact's citations with their sources."""
    return queryset.prefetch_related(Prefetch("citations", Citation.objects.with_sources()))


def positions_for_display():
    """Positions with everything an API shows about them."""
    return with_citations(
        Position.objects.select_related("holder", "speaker", "reported_by", "reported_by_person", "proposal", "clause")
    )


def assessments_for_display():
    """Assessments with everything an API shows about them."""
    return with_citations(Assessment.objects.select_related("assessor", "about", "proposal", "clause"))


def _lineage_among(negotiation_ids) -> list[ClauseLineage]:
    """Every lineage link between clauses of these negotiations (lineage never leaves a negotiation's drafts)."""
    return list(
        with_citations(
            ClauseLineage.objects.filter(clause__proposal__negotiation__in=negotiation_ids).select_related(
                "clause__proposal", "derived_from__proposal"
            )
        )
    )


# Proposal diff ---------------------------------------------------------------------------------------------------


class DiffChange(models.TextChoices):
    """What became of a clause between two proposals: the lineage vocabulary, plus ``unknown``."""

    CARRIED = ChangeKind.CARRIED.value, ChangeKind.CARRIED.label
    AMENDED = ChangeKind.AMENDED.value, ChangeKind.AMENDED.label
    MERGED = ChangeKind.MERGED.value, ChangeKind.MERGED.label
    SPLIT = ChangeKind.SPLIT.value, ChangeKind.SPLIT.label
    RENUMBERED = ChangeKind.RENUMBERED.value, ChangeKind.RENUMBERED.label
    DROPPED = ChangeKind.DROPPED.value, ChangeKind.DROPPED.label
    DEFERRED = ChangeKind.DEFERRED.value, ChangeKind.DEFERRED.label
    NEW = ChangeKind.NEW.value, ChangeKind.NEW.label
    UNKNOWN = "unknown", "fate not reported by the sources"


# When a chain of lineage links (through intermediate drafts) mixes kinds, the strongest one describes it.
_STRONGEST_FIRST = ["dropped", "deferred", "merged", "split", "amended", "renumbered", "carried", "new"]


@dataclass(frozen=True)
class QuantityChange:
    """A quantity, matched by its measure, that differs between the old and new clauses (None: absent)."""

    measure: str
    old: Quantity | None
    new: Quantity | None


@dataclass
class ClauseChange:
    """One entry of a diff: old clauses, new clauses, and what happened between them.

    ``change`` is a :class:`DiffChange` value. ``old_clauses`` is empty for a new clause;
    ``new_clauses`` is empty for a clause dropped or deferred with no successor, or of unknown
    fate. ``lineage`` holds the recorded links (notes, which say in our words what changed, and
    citations) the classification rests on; ``text_changed`` compares our stored texts of a
    one-to-one change and is None otherwise.
    """

    change: str
    old_clauses: list[Clause]
    new_clauses: list[Clause]
    lineage: list[ClauseLineage] = field(default_factory=list)
    quantity_changes: list[QuantityChange] = field(default_factory=list)
    text_changed: bool | None = None


@dataclass
class ProposalDiff:
    """How the clauses of ``old`` became those of ``new``."""

    old: Proposal
    new: Proposal
    changes: list[ClauseChange]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(DiffChange.values, 0)
        for change in self.changes:
            counts[change.change] += 1
        return counts


def diff_proposals(proposal: Proposal, against: Proposal) -> ProposalDiff:
    """Compare ``proposal`` with ``against``, following clause lineage through any intermediate drafts.

    The older of the two is the baseline: ``against``, unless lineage runs from ``proposal`` to
    it (or, without lineage between them, ``proposal`` is dated earlier). Every clause of both
    appears once. An old clause with no recorded descendant is ``dropped`` or ``deferred`` when
    its state says so and ``unknown`` otherwise: silence in the sources is not a drop.
    """
    clauses = list(
        Clause.objects.filter(proposal__in=[proposal.pk, against.pk])
        .select_related("proposal")
        .prefetch_related("quantities")
        .order_by("number", "slug")
    )
    by_pk = {clause.pk: clause for clause in clauses}
    lineage = _lineage_among({proposal.negotiation_id, against.negotiation_id})
    children = defaultdict(list)
    for link in lineage:
        children[link.derived_from_id].append(link)

    old, new = _baseline(proposal, against, lineage, by_pk)
    old_clauses = [c for c in clauses if c.proposal_id == old.pk]
    new_clauses = [c for c in clauses if c.proposal_id == new.pk]

    # Each old clause's descendants in the new proposal, with the links on the way.
    links = {}
    for clause in old_clauses:
        for target, path in _descendants_in(clause.pk, new.pk, children):
            links[(clause.pk, target)] = path
    groups = _connected_groups(links)

    changes = []
    linked_new = set()
    for old_pks, new_pks in groups:
        paths = [links[(o, n)] for o in old_pks for n in new_pks if (o, n) in links]
        changes.append(_describe([by_pk[pk] for pk in old_pks], [by_pk[pk] for pk in new_pks], paths))
        linked_new.update(new_pks)
    linked_old = {pk for old_pks, _ in groups for pk in old_pks}
    for clause in old_clauses:
        if clause.pk not in linked_old:
            changes.append(ClauseChange(change=_unlinked_fate(clause), old_clauses=[clause], new_clauses=[]))
    for clause in new_clauses:
        if clause.pk not in linked_new:
            changes.append(ClauseChange(change=DiffChange.NEW.value, old_clauses=[], new_clauses=[clause]))

    order = {clause.pk: index for index, clause in enumerate(old_clauses + new_clauses)}
    changes.sort(key=lambda c: order[(c.old_clauses or c.new_clauses)[0].pk])
    return ProposalDiff(old=old, new=new, changes=changes)


def _baseline(proposal, against, lineage, by_pk):
    """(old, new): a direct lineage link decides the direction; without one, the dates do."""
    for link in lineage:
        if link.derived_from_id in by_pk and link.clause_id in by_pk:
            return (proposal, against) if link.derived_from.proposal_id == proposal.pk else (against, proposal)
    if proposal.date and against.date and proposal.date < against.date:
        return proposal, against
    return against, proposal


def _descendants_in(start: int, proposal_id: int, children) -> list[tuple[int, list[ClauseLineage]]]:
    """Clauses of ``proposal_id`` reachable from clause ``start`` by lineage, each with the path of links."""
    found, stack, seen = [], [(start, [])], {start}
    while stack:
        clause_id, path = stack.pop()
        for link in children.get(clause_id, []):
            if link.clause_id in seen:
                continue
            seen.add(link.clause_id)
            if link.clause.proposal_id == proposal_id:
                found.append((link.clause_id, [*path, link]))
            else:
                stack.append((link.clause_id, [*path, link]))
    return found


def _connected_groups(links) -> list[tuple[list[int], list[int]]]:
    """Group linked (old, new) clause pairs into connected sets: a merge or split is one entry."""
    parent = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for old_pk, new_pk in links:
        parent[root(("old", old_pk))] = root(("new", new_pk))
    groups = defaultdict(lambda: ([], []))
    for node in list(parent):
        side, pk = node
        groups[root(node)][0 if side == "old" else 1].append(pk)
    return [(sorted(old), sorted(new)) for old, new in groups.values()]


def _describe(old: list[Clause], new: list[Clause], paths: list[list[ClauseLineage]]) -> ClauseChange:
    recorded = {link.change for path in paths for link in path}
    change = next((kind for kind in _STRONGEST_FIRST if kind in recorded), DiffChange.CARRIED.value)
    quantity_changes = _quantity_changes(old, new)
    if quantity_changes and change in (DiffChange.CARRIED, DiffChange.RENUMBERED):
        # A quantity that differs is an amendment, whatever the link says.
        change = DiffChange.AMENDED.value
    one_to_one = len(old) == 1 and len(new) == 1
    lineage = list({link.pk: link for path in paths for link in path}.values())
    return ClauseChange(
        change=change,
        old_clauses=old,
        new_clauses=new,
        lineage=lineage,
        quantity_changes=quantity_changes,
        text_changed=old[0].text.strip() != new[0].text.strip() if one_to_one else None,
    )


def _quantity_changes(old: list[Clause], new: list[Clause]) -> list[QuantityChange]:
    before = {q.measure: q for clause in old for q in clause.quantities.all()}
    after = {q.measure: q for clause in new for q in clause.quantities.all()}
    changes = []
    for measure in sorted(before.keys() | after.keys()):
        a, b = before.get(measure), after.get(measure)
        if a is None or b is None or (a.value, a.unit, a.qualifier) != (b.value, b.unit, b.qualifier):
            changes.append(QuantityChange(measure=measure, old=a, new=b))
    return changes


def _unlinked_fate(clause: Clause) -> str:
    if clause.state == ClauseState.DROPPED:
        return DiffChange.DROPPED.value
    if clause.state == ClauseState.DEFERRED:
        return DiffChange.DEFERRED.value
    return DiffChange.UNKNOWN.value


# Clause history --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceEntry:
    """A position, flagged when no later one of its holder on its clause supersedes it."""

    position: Position
    current: bool


@dataclass
class PartyStances:
    """One holder's positions on a clause and its other versions, oldest first.

    ``current`` holds the holder's current positions on the clause itself (several when they overlap in time;
    empty if it only spoke to other versions); ``disagreement`` says whether they differ in direction or firmness.
    """

    party: Party
    entries: list[StanceEntry]
    current: list[Position]
    disagreement: bool


@dataclass
class ClauseHistory:
    """A clause's versions across drafts (oldest proposal first), the links between them, the stances on them,
    and apart, third parties' assessments of them."""

    clause: Clause
    versions: list[Clause]
    lineage: list[ClauseLineage]
    stances: list[PartyStances]
    assessments: list[Assessment]


def clause_history(clause: Clause) -> ClauseHistory:
    """The lineage chain of ``clause`` back and forward across drafts, and every holder's stance timeline.

    Stance timelines cover the clause and all its versions, so a holder's view can be
    followed from draft to draft; each position names its clause.
    """
    lineage = _lineage_among({clause.proposal.negotiation_id})
    parents, children = defaultdict(list), defaultdict(list)
    for link in lineage:
        parents[link.clause_id].append(link)
        children[link.derived_from_id].append(link)
    # Walk back through what the clause comes from and forward through what comes from it (not sideways:
    # another clause merged into the same descendant is not a version of this one).
    reached, links = {clause.pk}, {}
    for edges, end in ((parents, "derived_from_id"), (children, "clause_id")):
        stack = [clause.pk]
        while stack:
            for link in edges[stack.pop()]:
                links[link.pk] = link
                if getattr(link, end) not in reached:
                    reached.add(getattr(link, end))
                    stack.append(getattr(link, end))

    versions = list(
        Clause.objects.filter(pk__in=reached)
        .select_related("proposal")
        .order_by(models.F("proposal__date").asc(nulls_last=True), "proposal__slug", "number", "slug")
    )
    positions = list(
        positions_for_display()
        .filter(clause__in=reached)
        .order_by(models.F("date").asc(nulls_last=True), "date_latest", "slug")
    )
    current = {p.pk for p in rules.current_positions(positions)}
    by_party = defaultdict(list)
    for position in positions:
        by_party[position.holder_id].append(position)
    stances = []
    for party_positions in sorted(by_party.values(), key=lambda ps: ps[0].holder.name):
        own = [p for p in party_positions if p.clause_id == clause.pk and p.pk in current]
        stances.append(
            PartyStances(
                party=party_positions[0].holder,
                entries=[StanceEntry(position=p, current=p.pk in current) for p in party_positions],
                current=own,
                disagreement=rules.disagreeing(own),
            )
        )
    assessments = list(assessments_for_display().filter(clause__in=reached).order_by("date", "slug"))
    version_order = {version.pk: index for index, version in enumerate(versions)}
    ordered_links = sorted(links.values(), key=lambda link: (version_order[link.clause_id], link.derived_from_id))
    return ClauseHistory(
        clause=clause, versions=versions, lineage=ordered_links, stances=stances, assessments=assessments
    )


# Negotiation timeline --------------------------------------------------------------------------------------------

_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "": 4}


@dataclass
class TimelineEntry:
    """An event or a proposal's presentation, dated as an interval (no date: at the end).

    ``concurrent_with`` lists the slugs of the entries whose intervals overlap this one's: their order is not known.
    """

    date: date | None
    date_latest: date | None
    date_precision: str
    end_date: date | None
    event: Event | None = None
    proposal: Proposal | None = None
    concurrent_with: list[str] = field(default_factory=list)

    @property
    def entry_type(self) -> str:
        return "event" if self.event else "proposal"

    @property
    def record(self):
        return self.event or self.proposal

    @property
    def date_display(self) -> str:
        return rules.format_fuzzy_date(self.date, self.date_precision)

    @property
    def date_expression(self) -> str:
        return self.record.date_expression

    @property
    def last_day(self) -> date | None:
        """The last day the entry may cover: its latest possible day, or the end of a several-day event."""
        days = [day for day in (self.date_latest, self.end_date) if day is not None]
        return max(days) if days else None

    def overlaps(self, other: "TimelineEntry") -> bool:
        if self.date is None or other.date is None:
            return False
        return self.date <= other.last_day and other.date <= self.last_day


def _chronological(entry: TimelineEntry):
    """Undated last; by earliest day, then latest day (an entry whose earliest day is after another's latest
    always sorts after it); then the more precise first, events before proposals, slug."""
    return (
        entry.date is None,
        entry.date or date.min,
        entry.last_day or date.min,
        _PRECISION_ORDER[entry.date_precision],
        entry.entry_type,
        entry.record.slug,
    )


@dataclass
class NegotiationTimeline:
    negotiation: Negotiation
    entries: list[TimelineEntry]


def negotiation_timeline(negotiation: Negotiation) -> NegotiationTimeline:
    """The negotiation's events and proposals ordered by their intervals; overlapping ones marked concurrent."""
    events = with_citations(
        Event.objects.filter(negotiation=negotiation).prefetch_related("people", "parties", "proposals")
    )
    proposals = with_citations(Proposal.objects.filter(negotiation=negotiation).prefetch_related("authors"))
    entries = [TimelineEntry(e.date, e.date_latest, e.date_precision, e.end_date, event=e) for e in events]
    entries += [TimelineEntry(p.date, p.date_latest, p.date_precision, None, proposal=p) for p in proposals]
    entries.sort(key=_chronological)
    for index, entry in enumerate(entries):
        for other in entries[index + 1 :]:
            if other.date is None or entry.last_day is None or other.date > entry.last_day:
                continue  # sorted by earliest day: later ones may still overlap through a long interval
            if entry.overlaps(other):
                entry.concurrent_with.append(other.record.slug)
                other.concurrent_with.append(entry.record.slug)
    return NegotiationTimeline(negotiation=negotiation, entries=entries)


# Stance matrix ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceCell:
    """A holder's current positions on a clause (``clause`` None: on the whole proposal); empty: none recorded.

    Several positions are current when their dates overlap; ``disagreement`` says whether they differ in direction
    or firmness.
    """

    clause: Clause | None
    positions: list[Position]
    disagreement: bool


@dataclass
class StanceRow:
    """One holder: its current positions on the whole proposal and on each clause, in the matrix's clause order."""

    party: Party
    whole_proposal: StanceCell
    cells: list[StanceCell]


@dataclass
class StanceMatrix:
    """Holders by clauses; ``assessments``, third parties' judgements of the proposal or its clauses, apart."""

    proposal: Proposal
    clauses: list[Clause]
    rows: list[StanceRow]
    assessments: list[Assessment]


def _cell(clause, positions) -> StanceCell:
    return StanceCell(clause=clause, positions=positions, disagreement=rules.disagreeing(positions))


def stance_matrix(proposal: Proposal) -> StanceMatrix:
    """Holders by clauses of ``proposal``: each holder's current positions, with their dates and citations.

    A row for every party holding a position on the proposal or one of its clauses, by name. Assessments never
    make a row: they are listed apart.
    """
    clauses = list(Clause.objects.filter(proposal=proposal).select_related("proposal").order_by("number", "slug"))
    positions = list(positions_for_display().filter(Q(proposal=proposal)))
    current = defaultdict(lambda: defaultdict(list))
    parties = {}
    for position in rules.current_positions(positions):
        current[position.holder_id][position.clause_id].append(position)
        parties[position.holder_id] = position.holder
    rows = [
        StanceRow(
            party=party,
            whole_proposal=_cell(None, current[party.pk][None]),
            cells=[_cell(clause, current[party.pk][clause.pk]) for clause in clauses],
        )
        for party in sorted(parties.values(), key=lambda party: party.name)
    ]
    assessments = list(assessments_for_display().filter(proposal=proposal).order_by("date", "slug"))
    return StanceMatrix(proposal=proposal, clauses=clauses, rows=rows, assessments=assessments)
