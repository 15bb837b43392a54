"""A made-up negotiation, built record by record, for tests of behaviour rather than of the seed dataset.

``build_world()`` makes the Northland–Southland talks: seven parties, four people, three sources (two with stored
text), citations whose quotes occur in them, three proposals (the joint framework supersedes the five-point plan),
numbered clauses with topics, quantities and lineage covering several kinds of change, positions that change over
time (so some are current and some are history) and events. Every record goes through ``full_clean()``, so it obeys
the same rules (treaty/rules.py) as the admin, the API and the seed checker.

Plain functions rather than factory_boy: the tests need one coherent scenario whose records refer to each other
(quotes that occur in their source, clauses of the right proposal, lineage from an earlier draft), not many
independent random records, so a declarative factory per model would add a dependency and hide the scenario.

The seed dataset stays loaded in the session database, so tests scope what they ask to these records (by this
negotiation, these proposals, these parties…). ``tag`` builds a second, independent copy (other slugs and names).
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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

OUTLET = "Lakeside Herald"  # every source of the world but one; no seed source has it
GAZETTE = "Treaty Gazette"

PLAN_TEXT = """Northland five-point plan

1. Both sides recognise the line of contact of 1 March 2031 as the boundary for the duration of the talks.
2. Southland’s armed forces are capped at 50,000 personnel.
3. Southland renounces membership of the Harbour Alliance.
4. A ceasefire takes effect within 30 days of signature.
5. No Harbour Alliance troops are stationed in Southland.
Subscribe to the Treaty Gazette.
"""

REPORT_TEXT = """Southland and Eastmark presented a joint revised framework on Wednesday, officials said.
The framework raises the cap on Southland’s forces to 80,000 instead of 50,000;
President Anna Norberg said Northland “supports the plan as written” and would accept the new cap.
Foreign Minister Sven Sudberg said the ceasefire question was deferred to a leaders’ meeting.
Southland rejected the original plan, calling it “a surrender on paper.”
Sign up for the Lakeside Herald newsletter.
"""
SUBSCRIBE = "Subscribe to the Treaty Gazette."
NEWSLETTER = "Sign up for the Lakeside Herald newsletter."


GRAPHQL_RESOURCES = {
    "negotiation": "negotiations",
    "party": "parties",
    "person": "people",
    "source": "sources",
    "citation": "citations",
    "proposal": "proposals",
    "clause": "clauses",
    "position": "positions",
    "assessment": "assessments",
    "conflict": "conflicts",
    "event": "events",
    "topic": "topics",
}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def make(model, m2m=None, **fields):
    """Create a record the way a curator would: validated by the model's rules, then saved, then its lists set."""
    record = model(**fields)
    record.full_clean()
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    return record


def day(d: int, month: int = 3) -> dict:
    return {"date": date(2031, month, d), "date_precision": "day"}


@dataclass
class World:
    """The records of one made-up negotiation, by role in the story."""

    tag: str
    negotiation: Negotiation = None
    parties: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    citations: dict = field(default_factory=dict)
    plan: Proposal = None
    framework: Proposal = None
    demands: Proposal = None
    clauses: dict = field(default_factory=dict)  # "plan-1" … "plan-5", "framework-1" … "framework-3"
    positions: dict = field(default_factory=dict)
    assessments: dict = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)

    @property
    def proposals(self):
        return [self.plan, self.framework, self.demands]

    def slug(self, base: str) -> str:
        return f"{base}-{self.tag}" if self.tag else base

    def name(self, base: str) -> str:
        return f"{base} {self.tag.upper()}" if self.tag else base

    # Scopes: query parameters that narrow a list to this world's records (REST names; GraphQL uses the same).
    def scope(self, resource: str) -> dict:
        return {
            "negotiations": {"party": self.parties["northland"].slug},
            "parties": {"negotiation": self.negotiation.slug},
            "people": {"party": [p.slug for p in self.parties.values()]},
            "sources": {"date_after": "2031-01-01"},  # the seed's sources are older
            "citations": {"source": [s.slug for s in self.sources.values()]},
            "proposals": {"negotiation": self.negotiation.slug},
            "clauses": {"negotiation": self.negotiation.slug},
            "positions": {"proposal": [p.slug for p in self.proposals]},
            "assessments": {"proposal": [p.slug for p in self.proposals]},
            "conflicts": {"negotiation": self.negotiation.slug},
            "events": {"negotiation": self.negotiation.slug},
            "topics": {"q": self.name("Lakeside")},
        }[resource]

    def graphql_filter(self, field: str) -> str:
        """The GraphQL ``filters:`` literal that narrows ``<field>List`` (partyList, quantityList…) to this world."""
        clauses = [c.slug for c in self.clauses.values()]
        scope = {
            "nonStoryPassage": {"source": [s.slug for s in self.sources.values()]},
            "partyRole": {"negotiation": self.negotiation.slug},
            "clauseLineage": {"clause": clauses},
            "quantity": {"clause": clauses},
            "conflictClaim": {"conflict": [c.slug for c in self.conflicts.values()]},
        }.get(field) or self.scope(GRAPHQL_RESOURCES[field])
        pairs = (f"{_camel(name)}: {json.dumps(value, ensure_ascii=False)}" for name, value in scope.items())
        return "{" + ", ".join(pairs) + "}"

    def records(self, model):
        """This world's records of a model, as a queryset in the model's default order."""
        by_model = {
            Negotiation: {"pk": self.negotiation.pk},
            Party: {"pk__in": PartyRole.objects.filter(negotiation=self.negotiation).values("party")},  # no Far Isles
            Person: {"pk__in": [p.pk for p in self.people.values()]},
            Topic: {"pk__in": [t.pk for t in self.topics.values()]},
            Source: {"pk__in": [s.pk for s in self.sources.values()]},
            NonStoryPassage: {"source__in": list(self.sources.values())},
            Citation: {"source__in": list(self.sources.values())},
            Proposal: {"negotiation": self.negotiation},
            Clause: {"proposal__negotiation": self.negotiation},
            ClauseLineage: {"clause__proposal__negotiation": self.negotiation},
            Quantity: {"clause__proposal__negotiation": self.negotiation},
            Position: {"proposal__negotiation": self.negotiation},
            Assessment: {"pk__in": [a.pk for a in self.assessments.values()]},
            PartyRole: {"negotiation": self.negotiation},
            Event: {"negotiation": self.negotiation},
            Conflict: {"negotiation": self.negotiation},
            ConflictClaim: {"conflict__negotiation": self.negotiation},
        }
        return model.objects.filter(**by_model[model])


def build_world(tag: str = "") -> World:
    w = World(tag=tag)
    s, n = w.slug, w.name

    # Sources first: every fact cites one.
    gazette = make(
        Source,
        slug=s("gazette-2031-03-05-plan-text"),
        kind="published-text",
        tier="primary-document",
        outlet=GAZETTE,
        headline=n("Text of the Northland five-point plan, Lakeside"),
        url="https://gazette.example.org/plan",
        text=PLAN_TEXT,
        **day(5),
    )
    report = make(
        Source,
        slug=s("herald-2031-03-12-joint-framework"),
        kind="news-report",
        tier="original-reporting",
        outlet=OUTLET,
        headline=n("Lakeside: Southland and Eastmark present a joint framework"),
        byline="Jo Reporter",
        text=REPORT_TEXT,
        notes="The day of the week is the reporter’s.",
        **day(12),
    )
    make(NonStoryPassage, slug=s("gazette-subscribe-box"), source=gazette, text=SUBSCRIBE, reason="sign-up box")
    make(NonStoryPassage, slug=s("herald-newsletter-box"), source=report, text=NEWSLETTER, reason="sign-up box")
    column = make(
        Source,
        slug=s("herald-2031-03-analysis"),
        kind="analysis",
        tier="opinion-analysis",
        outlet=OUTLET,
        headline=n("Lakeside analysis: what the plan leaves out"),
        date=date(2031, 3, 1),
        date_precision="month",
    )
    w.sources = {"gazette": gazette, "report": report, "column": column}

    def cite(key, source, quote="", locator=""):
        w.citations[key] = make(Citation, slug=s(f"cite-{key}"), source=source, quote=quote, locator=locator)
        return w.citations[key]

    cite("plan-heading", gazette, "Northland five-point plan")
    for number, line in enumerate(PLAN_TEXT.splitlines()[2:7], start=1):
        cite(f"plan-{number}", gazette, line.split(". ", 1)[1], locator=f"point {number}")
    cite("cap-raised", report, "raises the cap on Southland’s forces to 80,000 instead of 50,000;")
    cite("framework-presented", report, "Southland and Eastmark presented a joint revised framework")
    cite("norberg-supports", report, "Northland “supports the plan as written”")
    cite("norberg-accepts", report, "would accept the new cap")
    cite("ceasefire-deferred", report, "the ceasefire question was deferred to a leaders’ meeting")
    cite("southland-rejects", report, "Southland rejected the original plan, calling it “a surrender on paper.”")
    cite("column", column, locator="para 4")

    w.negotiation = make(
        Negotiation,
        slug=s("northland-southland-talks"),
        name=n("Northland–Southland talks"),
        summary="Talks to end the Lakeside border war between Northland and Southland.",
        date=date(2031, 3, 1),
        date_precision="month",
        m2m={"citations": [w.citations["framework-presented"]]},
    )

    def party(key, name, kind, aliases=(), description=""):
        w.parties[key] = make(
            Party, slug=s(key), name=n(name), kind=kind, aliases=list(aliases), description=description
        )
        return w.parties[key]

    northland = party("northland", "Northland", "state", ["Nordia", "the North"], "The northern shore of the lake.")
    southland = party("southland", "Southland", "state", ["Sudria"], "The southern shore of the lake.")
    eastmark = party("eastmark", "Eastmark", "state", ["Eastmarch"], "A neutral neighbour that mediates.")
    westmark = party("westmark", "Westmark", "state", [], "Hosts the talks.")
    league = party("river-league", "River League", "bloc", ["the League"], "Eastmark and Westmark together.")
    league.members.set([eastmark, westmark])
    alliance = party("harbour-alliance", "Harbour Alliance", "alliance", [], "A military alliance across the lake.")
    far_isles = party("far-isles", "Far Isles", "organisation", [], "Takes no part in these talks.")

    for who, role in [
        (northland, "belligerent"),
        (southland, "belligerent"),
        (eastmark, "mediator"),
        (westmark, "host"),
        (league, "guarantor"),
        (alliance, "observer"),
    ]:
        make(PartyRole, negotiation=w.negotiation, party=who, role=role)

    def person(key, name, title, affiliation, aliases=()):
        w.people[key] = make(
            Person,
            slug=s(key),
            name=n(name),
            title=title,
            party=affiliation,
            aliases=[n(a) for a in aliases],
            description=f"{name} of the Lakeside talks.",
        )
        return w.people[key]

    norberg = person("anna-norberg", "Anna Norberg", "President of Northland", northland, ["Ana Norberg"])
    sudberg = person("sven-sudberg", "Sven Sudberg", "Foreign Minister of Southland", southland, ["Swen Sudberg"])
    eastman = person("erik-eastman", "Erik Eastman", "Envoy of Eastmark", eastmark)
    person("wilma-west", "Wilma West", "Lakeside analyst", far_isles)
    norberg.citations.set([w.citations["norberg-supports"]])

    def topic(key, name):
        w.topics[key] = make(
            Topic, slug=s(key), name=n(name), description="A Lakeside talks topic.", pax_categories="Security sector"
        )
        return w.topics[key]

    borders = topic("lake-borders", "Lake borders")
    troops = topic("troop-limits", "Troop limits")
    alliances = topic("alliance-membership", "Alliance membership")
    ceasefire = topic("lake-ceasefire", "Lake ceasefire")

    # Proposals: the plan, then the joint framework that supersedes it, and Southland's undated-by-day demands.
    w.demands = make(
        Proposal,
        slug=s("southland-demands"),
        negotiation=w.negotiation,
        title=n("Southland’s demands"),
        kind="demands",
        status="rejected",
        stage="ceasefire",
        date=date(2031, 2, 1),
        date_precision="month",
        summary="Southland’s first demands, reported only in outline.",
        m2m={"authors": [southland], "citations": [w.citations["column"]]},
    )
    w.plan = make(
        Proposal,
        slug=s("northland-five-point-plan"),
        negotiation=w.negotiation,
        title=n("Northland five-point plan"),
        kind="plan",
        status="superseded",
        stage="framework-comprehensive",
        stated_point_count=5,
        text_published=True,
        summary="Borders, a troop cap, alliance neutrality and a ceasefire.",
        m2m={"authors": [northland], "citations": [w.citations["plan-heading"]]},
        **day(5),
    )
    w.framework = make(
        Proposal,
        slug=s("joint-revised-framework"),
        negotiation=w.negotiation,
        title=n("Joint revised framework"),
        kind="framework",
        status="under-negotiation",
        stage="framework-partial",
        stated_point_count=3,
        supersedes=w.plan,
        summary="The plan revised: a higher troop cap, the ceasefire deferred.",
        m2m={"authors": [southland, eastmark], "citations": [w.citations["framework-presented"]]},
        **day(12),
    )

    def clause(key, proposal, number, heading, text, state, topics, citations, verbatim=False):
        w.clauses[key] = make(
            Clause,
            slug=f"{proposal.slug}-{number:02}",
            proposal=proposal,
            number=number,
            heading=heading,
            text=text,
            text_is_verbatim=verbatim,
            state=state,
            m2m={"topics": topics, "citations": citations},
        )
        return w.clauses[key]

    plan_lines = PLAN_TEXT.splitlines()[2:7]
    plan_clauses = [
        ("Line of contact", "agreed", [borders]),
        ("Armed forces cap", "contested", [troops]),
        ("Alliance neutrality", "contested", [alliances]),
        ("Ceasefire", "deferred", [ceasefire]),
        ("Foreign troops", "proposed", [alliances, troops]),
    ]
    for number, ((heading, state, topics), line) in enumerate(zip(plan_clauses, plan_lines, strict=True), start=1):
        clause(
            f"plan-{number}",
            w.plan,
            number,
            heading,
            line.split(". ", 1)[1],
            state,
            topics,
            [w.citations[f"plan-{number}"]],
            verbatim=True,
        )
    clause(
        "framework-1",
        w.framework,
        1,
        "Higher armed forces cap",
        "Southland’s forces are capped at 80,000.",
        "contested",
        [troops],
        [w.citations["cap-raised"]],
    )
    clause(
        "framework-2",
        w.framework,
        2,
        "Ceasefire left to the leaders",
        "The ceasefire is for a leaders’ meeting to settle.",
        "deferred",
        [ceasefire],
        [w.citations["ceasefire-deferred"]],
    )
    clause(
        "framework-3",
        w.framework,
        3,
        "Neutrality without foreign troops",
        "Southland stays out of the Harbour Alliance, which stations no troops there.",
        "proposed",
        [alliances],
        [w.citations["framework-presented"]],
    )
    c = w.clauses

    def quantity(clause, measure, qualifier, value, unit):
        return make(Quantity, clause=clause, measure=measure, qualifier=qualifier, value=Decimal(value), unit=unit)

    quantity(c["plan-2"], "armed-forces-cap", "at-most", 50_000, "personnel")
    quantity(c["plan-4"], "ceasefire-deadline", "within", 30, "days")
    quantity(c["framework-1"], "armed-forces-cap", "at-most", 80_000, "personnel")

    def lineage(new, old, change, note="", citations=()):
        return make(
            ClauseLineage, clause=c[new], derived_from=c[old], change=change, note=note, m2m={"citations": citations}
        )

    lineage("framework-1", "plan-2", "amended", "The cap is raised from 50,000 to 80,000.", [w.citations["cap-raised"]])
    lineage("framework-2", "plan-4", "deferred", "Left to a leaders’ meeting.", [w.citations["ceasefire-deferred"]])
    lineage("framework-3", "plan-3", "merged")
    lineage("framework-3", "plan-5", "merged")
    # Point 1 of the plan: no source says what became of it.

    def position(key, who, proposal, stance, basis, dated, clause=None, speaker=None, citations=()):
        w.positions[key] = make(
            Position,
            slug=s(f"{key}"),
            holder=who,
            proposal=proposal,
            clause=clause,
            direction=stance,
            basis=basis,
            speaker=speaker,
            summary=f"{who.name} {stance} the Lakeside {'clause' if clause else 'proposal'}.",
            m2m={"citations": citations},
            **dated,
        )
        return w.positions[key]

    undated = {"date": None, "date_precision": ""}
    position("northland-proposes-plan", northland, w.plan, "proposes", "official-document", day(5), speaker=norberg)
    position(
        "southland-rejects-plan",
        southland,
        w.plan,
        "rejects",
        "on-record",
        day(12),
        speaker=sudberg,
        citations=[w.citations["southland-rejects"]],
    )
    position("southland-opposes-cap", southland, w.plan, "opposes", "own-officials", day(6), c["plan-2"])
    # Later, Southland's stance on the cap softens: the earlier one becomes history.
    position(
        "southland-open-on-cap",
        southland,
        w.plan,
        "open-to",
        "outlet-inference",
        day(9),
        c["plan-2"],
        citations=[w.citations["cap-raised"]],
    )
    position("northland-supports-cap", northland, w.plan, "supports", "on-record", day(5), c["plan-2"], norberg)
    position("southland-rejects-neutrality", southland, w.plan, "rejects", "on-record", day(7), c["plan-3"], sudberg)
    position(
        "eastmark-supports-ceasefire",
        eastmark,
        w.plan,
        "supports",
        "outlet-inference",
        {"date": date(2031, 3, 3), "date_precision": "week"},  # a Monday
        c["plan-4"],
    )
    position("league-accepts-plan-borders", league, w.plan, "accepts", "outlet-inference", undated, c["plan-1"])
    position(
        "eastmark-supports-framework",
        eastmark,
        w.framework,
        "supports",
        "on-record",
        day(12),
        speaker=eastman,
        citations=[w.citations["framework-presented"]],
    )
    position(
        "northland-accepts-new-cap",
        northland,
        w.framework,
        "accepts",
        "outlet-inference",
        day(13),
        c["framework-1"],
        norberg,
        [w.citations["norberg-accepts"]],
    )
    position(
        "southland-opposes-new-cap", southland, w.framework, "opposes", "outlet-inference", day(13), c["framework-1"]
    )

    def event(key, kind, title, dated, people=(), parties=(), proposals=(), citations=(), **extra):
        w.events[key] = make(
            Event,
            slug=s(key),
            negotiation=w.negotiation,
            kind=kind,
            title=n(title),
            summary=f"{title} in the Lakeside talks.",
            m2m={"people": people, "parties": parties, "proposals": proposals, "citations": citations},
            **dated,
            **extra,
        )
        return w.events[key]

    event(
        "plan-published",
        "publication",
        "Plan published",
        day(5),
        [norberg],
        [northland],
        [w.plan],
        [w.citations["plan-heading"]],
    )
    event(
        "first-round",
        "talks",
        "First round at Lakeside",
        day(8),
        [norberg, sudberg, eastman],
        [northland, southland, eastmark],
        [w.plan],
        end_date=date(2031, 3, 10),
        place="Westmark Castle",
        outcome="No agreement.",
    )
    event(
        "framework-presented",
        "statement",
        "Joint framework presented",
        day(12),
        [sudberg],
        [southland, eastmark],
        [w.framework],
        [w.citations["framework-presented"]],
    )
    event("leaders-meeting", "meeting", "Leaders’ meeting", {"date": date(2031, 4, 1), "date_precision": "month"})
    event("deadline-unknown", "deadline", "Unscheduled deadline", undated)

    # A third party's judgement (never a stance) and a disagreement between the sources.
    w.assessments["column-on-cap"] = make(
        Assessment,
        slug=s("column-on-the-cap"),
        assessor_description="an analyst quoted by the Herald",
        about=southland,
        proposal=w.plan,
        clause=c["plan-2"],
        summary="The column thinks Southland will not accept any cap.",
        date=date(2031, 3, 1),
        date_precision="month",
        m2m={"citations": [w.citations["column"]]},
    )
    w.conflicts["cap-figure"] = make(
        Conflict,
        slug=s("cap-figure"),
        negotiation=w.negotiation,
        summary="Whether the framework's cap is 80,000 (the Herald) or unchanged (the Gazette's plan text).",
        m2m={"proposals": [w.framework], "clauses": [c["framework-1"]]},
    )
    for key, claim, citation in (
        ("cap-raised", "The cap is raised to 80,000.", "cap-raised"),
        ("cap-unchanged", "The plan's text sets the cap at 50,000.", "plan-2"),
    ):
        make(
            ConflictClaim,
            slug=s(f"claim-{key}"),
            conflict=w.conflicts["cap-figure"],
            claim=claim,
            m2m={"citations": [w.citations[citation]]},
        )
    return w
