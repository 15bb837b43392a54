"""Grow the seed dataset to N times its size, for the benchmark: N-1 copies of the seed negotiation with all that
hangs from it (party roles, proposals, clauses, lineage, quantities, stances, events), each fact with copies of
its citations, so the proportions are the seed's. Each copy is reported by copies of the seed's sources (same
texts, same quotes, same outlets): another negotiation is told in other articles, and a source's citations are a
few dozen, not millions. Topics, parties and people are shared, as they would be across negotiations. Copy k
happens k weeks before the seed (every date of its negotiation, sources, proposals, stances and events moves back
by k weeks, which keeps the seed's weeks and their order): ten thousand negotiations do not all take place in the
same three weeks, and lists ordered by date should meet the spread of dates real data has.

Deterministic: copy k of a record with slug s has slug s-b<k>. Running it again creates only the missing copies, so
``--scale 100`` then ``--scale 10000`` adds to what is there. Uses bulk inserts (no signals), then bumps the data
version so no cached answer survives.
"""

import datetime
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from tqdm import tqdm

from api.caching import bump_data_version
from treaty import rules
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    NonStoryPassage,
    PartyRole,
    Position,
    Proposal,
    Quantity,
    Source,
)

COPY = re.compile(r"-b[0-9]+$")
COPY_REGEX = r"-b[0-9]+$"


def suffix(slug: str, k: int) -> str:
    return f"{slug}-b{k}"


def moved_back(values: dict, weeks: int) -> None:
    """Moves a record's dates back by whole weeks, which keeps a week-precise date a Monday and the order of the
    seed's days and weeks (a clause derives from an earlier proposal; a stance is not dated after its sources). A
    month or year keeps to its own first day: it moves to the period holding the moved first day, never later."""
    delta = datetime.timedelta(weeks=weeks)
    for name in ("date_resolved_against", "end_date"):
        if values.get(name) is not None:
            values[name] -= delta
    date, precision = values.get("date"), values.get("date_precision")
    if date is None:
        return
    width = values["date_latest"] - date
    moved = date - delta
    if precision == "month":
        moved = moved.replace(day=1)
    elif precision == "year":
        moved = moved.replace(month=1, day=1)
    values["date"] = moved
    latest = moved + width  # the same interval, within the precision's own period
    values["date_latest"] = latest if precision in ("day", "week") else min(latest, rules.latest_day(moved, precision))


def clone(record, weeks_earlier: int = 0, **changes):
    """An unsaved copy of ``record``'s concrete fields, with changes (no pk, version 1) and its dates moved back."""
    values = {
        field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields if not field.primary_key
    }
    if weeks_earlier:
        moved_back(values, weeks_earlier)
    values.update(changes)
    if "version" in values:
        values["version"] = 1
    return type(record)(**values)


class Seed:
    """The original records (those that are not copies), read once with their many-to-many links."""

    def __init__(self):
        self.negotiations = list(Negotiation.objects.exclude(slug__regex=COPY_REGEX))
        if not self.negotiations:
            raise CommandError("No seed data: run `manage.py seed` first.")
        ids = [n.pk for n in self.negotiations]
        self.sources = list(Source.objects.exclude(slug__regex=COPY_REGEX))
        self.passages = list(NonStoryPassage.objects.exclude(slug__regex=COPY_REGEX))
        self.citations = list(Citation.objects.exclude(slug__regex=COPY_REGEX))
        self.party_roles = list(PartyRole.objects.filter(negotiation__in=ids))
        self.proposals = list(Proposal.objects.filter(negotiation__in=ids).order_by("pk"))
        self.clauses = list(Clause.objects.filter(proposal__negotiation__in=ids))
        self.lineage = list(ClauseLineage.objects.filter(clause__proposal__negotiation__in=ids))
        # A quantity belongs to a clause, a position or an event (assessments are not copied, nor their numbers).
        self.quantities = list(
            Quantity.objects.filter(
                Q(clause__proposal__negotiation__in=ids)
                | Q(position__proposal__negotiation__in=ids)
                | Q(event__negotiation__in=ids)
            )
        )
        self.positions = list(Position.objects.filter(proposal__negotiation__in=ids))
        self.events = list(Event.objects.filter(negotiation__in=ids))
        self.m2m = {}
        for model, fields in (
            (Negotiation, ["citations"]),
            (PartyRole, ["citations"]),
            (Proposal, ["citations", "authors"]),
            (Clause, ["citations", "topics"]),
            (ClauseLineage, ["citations"]),
            (Position, ["citations"]),
            (Event, ["citations", "people", "parties", "proposals"]),
        ):
            for name in fields:
                through = model._meta.get_field(name).remote_field.through
                source, target = self.through_columns(model, name)
                self.m2m[(model, name)] = (through, source, target, list(through.objects.values_list(source, target)))

    @staticmethod
    def through_columns(model, name):
        field = model._meta.get_field(name)
        return field.m2m_column_name(), field.m2m_reverse_name()


def make_copy(seed: Seed, k: int) -> int:
    """Copy k of the seed; returns the number of rows written."""
    rows = 0

    def save(records):
        nonlocal rows
        created = type(records[0]).objects.bulk_create(records) if records else []
        rows += len(created)
        return created

    def mapping(originals, copies):
        return {o.pk: c.pk for o, c in zip(originals, copies, strict=True)}

    sources = mapping(seed.sources, save([clone(s, k, slug=suffix(s.slug, k)) for s in seed.sources]))
    save([clone(p, slug=suffix(p.slug, k), source_id=sources[p.source_id]) for p in seed.passages])
    citations = mapping(
        seed.citations,
        save([clone(c, slug=suffix(c.slug, k), source_id=sources[c.source_id]) for c in seed.citations]),
    )
    negotiations = mapping(
        seed.negotiations,
        save([clone(n, k, slug=suffix(n.slug, k), name=f"{n.name} (copy {k})") for n in seed.negotiations]),
    )
    roles = mapping(
        seed.party_roles, save([clone(r, negotiation_id=negotiations[r.negotiation_id]) for r in seed.party_roles])
    )
    proposals = mapping(
        seed.proposals,
        save(
            [
                clone(p, k, slug=suffix(p.slug, k), negotiation_id=negotiations[p.negotiation_id], supersedes_id=None)
                for p in seed.proposals
            ]
        ),
    )
    superseding = [
        Proposal(pk=proposals[p.pk], supersedes_id=proposals.get(p.supersedes_id))
        for p in seed.proposals
        if p.supersedes_id
    ]
    Proposal.objects.bulk_update(superseding, ["supersedes"])
    clauses = mapping(
        seed.clauses,
        save([clone(c, slug=suffix(c.slug, k), proposal_id=proposals[c.proposal_id]) for c in seed.clauses]),
    )
    lineage = mapping(
        seed.lineage,
        save(
            [
                clone(line, clause_id=clauses[line.clause_id], derived_from_id=clauses[line.derived_from_id])
                for line in seed.lineage
            ]
        ),
    )
    positions = mapping(
        seed.positions,
        save(
            [
                clone(
                    p,
                    k,
                    slug=suffix(p.slug, k),
                    proposal_id=proposals[p.proposal_id],
                    clause_id=clauses.get(p.clause_id) if p.clause_id else None,
                )
                for p in seed.positions
            ]
        ),
    )
    events = mapping(
        seed.events,
        save([clone(e, k, slug=suffix(e.slug, k), negotiation_id=negotiations[e.negotiation_id]) for e in seed.events]),
    )
    save(
        [
            clone(
                q,
                clause_id=clauses.get(q.clause_id),
                position_id=positions.get(q.position_id),
                event_id=events.get(q.event_id),
            )
            for q in seed.quantities
        ]
    )

    copied = {
        Negotiation: negotiations,
        PartyRole: roles,
        Proposal: proposals,
        Clause: clauses,
        ClauseLineage: lineage,
        Position: positions,
        Event: events,
    }
    targets = {"citations": citations, "proposals": proposals}  # shared records (topics, people…) map to themselves
    for (model, name), (through, source, target, links) in seed.m2m.items():
        owners, mapped = copied[model], targets.get(name)
        links = [through(**{source: owners[s], target: mapped[t] if mapped else t}) for s, t in links if s in owners]
        save(links)
    return rows


class Command(BaseCommand):
    help = "Grow the seed dataset to N times its size (deterministic copies of the seed negotiation), for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help="N: the data becomes N times the seed")

    def handle(self, *args, scale, verbosity, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if connection.vendor == "postgresql":
            # Finding the seed's records among millions of copies reads whole tables, past a request's budget
            # (DATABASE_STATEMENT_TIMEOUT) when the tables are not in memory; this command is not a request.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        seed = Seed()
        present = {
            int(slug.rsplit("-b", 1)[1])
            for slug in Negotiation.objects.filter(slug__regex=COPY_REGEX).values_list("slug", flat=True)
        }
        missing = [k for k in range(1, scale) if k not in present]
        rows = 0
        for k in tqdm(
            missing, desc=f"copies of the seed (×{scale})", unit="copy", disable=verbosity < 1 or not missing
        ):
            with transaction.atomic():
                rows += make_copy(seed, k)
        bump_data_version()
        if verbosity >= 1:
            self.stdout.write(f"{len(missing)} copies made ({rows} rows); the data is now ×{scale} the seed.")
