"""The four analyses, through the API, on the made-up negotiation of tests/factories.py and on drafts made here."""

from datetime import date
from decimal import Decimal

import pytest

from treaty import rules
from treaty.models import Citation, Clause, ClauseLineage, Negotiation, Position, Proposal, Quantity, Source

PLAN = "northland-five-point-plan"
FRAMEWORK = "joint-revised-framework"
TALKS = "northland-southland-talks"


def entries_by_old_clause(diff):
    return {clause["slug"]: entry for entry in diff["changes"] for clause in entry["old_clauses"]}


# Proposal diff ---------------------------------------------------------------------------------------------------


def test_diff_of_the_framework_shows_the_army_cap_raised_from_50000_to_80000(api, world):
    diff = api.ok(f"/proposals/{FRAMEWORK}/diff/", {"against": PLAN})
    assert (diff["old"]["slug"], diff["new"]["slug"]) == (PLAN, FRAMEWORK)
    cap = entries_by_old_clause(diff)[f"{PLAN}-02"]
    assert cap["change"] == "amended"
    assert [c["slug"] for c in cap["new_clauses"]] == [f"{FRAMEWORK}-01"]
    [change] = cap["quantity_changes"]
    assert change["measure"] == "armed-forces-cap"
    assert Decimal(str(change["old"]["value"])) == 50_000
    assert Decimal(str(change["new"]["value"])) == 80_000
    assert cap["text_changed"] is True
    assert cap["lineage"][0]["note"] == "The cap is raised from 50,000 to 80,000."


def test_diff_follows_every_recorded_link_and_leaves_the_rest_unknown(api, world):
    diff = api.ok(f"/proposals/{FRAMEWORK}/diff/", {"against": PLAN})
    links = ClauseLineage.objects.filter(clause__proposal__slug=FRAMEWORK, derived_from__proposal__slug=PLAN)
    linked = set(links.values_list("derived_from__slug", flat=True))
    by_old = entries_by_old_clause(diff)
    assert set(by_old) == set(Clause.objects.filter(proposal__slug=PLAN).values_list("slug", flat=True))
    for link in links.select_related("clause", "derived_from"):
        entry = by_old[link.derived_from.slug]
        assert link.clause.slug in {c["slug"] for c in entry["new_clauses"]}
        assert entry["change"] == link.change
    # Points 3 and 5 both became the framework's clause on neutrality: one entry with both.
    neutrality = by_old[f"{PLAN}-05"]
    assert [c["slug"] for c in neutrality["old_clauses"]] == [f"{PLAN}-03", f"{PLAN}-05"]
    assert neutrality["change"] == "merged"
    assert neutrality["text_changed"] is None
    # Point 1's fate is not reported: unknown, not "dropped".
    unknown = {slug for slug, entry in by_old.items() if entry["change"] == "unknown"}
    assert unknown == set(by_old) - linked == {f"{PLAN}-01"}
    assert len(unknown) == 5 - len(linked)
    assert diff["counts"]["dropped"] == 0
    assert diff["counts"]["unknown"] == len(unknown)
    assert sum(diff["counts"].values()) == len(diff["changes"])


def test_diff_of_the_framework_reports_the_ceasefire_deferred_to_the_leaders(api, world):
    diff = api.ok(f"/proposals/{FRAMEWORK}/diff/", {"against": PLAN})
    by_old = entries_by_old_clause(diff)
    assert by_old[f"{PLAN}-04"]["change"] == "deferred"
    assert [c["slug"] for c in by_old[f"{PLAN}-04"]["new_clauses"]] == [f"{FRAMEWORK}-02"]
    assert by_old[f"{PLAN}-01"]["change"] == "unknown"
    assert {change: count for change, count in diff["counts"].items() if count} == {
        "amended": 1,
        "merged": 1,
        "deferred": 1,
        "unknown": 1,
    }


def test_diff_reads_the_same_whichever_proposal_is_named_first(api, world):
    forward = api.ok(f"/proposals/{FRAMEWORK}/diff/", {"against": PLAN})
    backward = api.ok(f"/proposals/{PLAN}/diff/", {"against": FRAMEWORK})
    assert forward == backward


@pytest.fixture
def drafts(db):
    """Three drafts of a made-up negotiation: A, then B, then C, with every kind of change from A to C."""
    negotiation = Negotiation.objects.create(slug="test-talks", name="Test talks")
    source = Source.objects.create(
        slug="test-source", kind="news-report", tier="original-reporting", outlet="Test Outlet"
    )
    citation = Citation.objects.create(slug="test-citation", source=source, locator="para 1")

    def proposal(slug, day):
        return Proposal.objects.create(
            slug=slug,
            negotiation=negotiation,
            title=slug,
            kind="draft",
            status="draft",
            date=date(2025, 1, day),
            date_precision="day",
        )

    a, b, c = proposal("draft-a", 1), proposal("draft-b", 2), proposal("draft-c", 3)

    def clause(proposal, number, text="", state="proposed"):
        return Clause.objects.create(
            slug=f"{proposal.slug}-{number}",
            proposal=proposal,
            number=number,
            heading=f"point {number}",
            text=text or f"text {number}",
            state=state,
        )

    def link(new, old, change):
        ClauseLineage.objects.create(clause=new, derived_from=old, change=change).citations.add(citation)

    a1, b1, c1 = clause(a, 1, "same"), clause(b, 1, "same"), clause(c, 1, "same")
    Quantity.objects.create(clause=a1, measure="days", value=100, unit="days", qualifier="within")
    Quantity.objects.create(clause=c1, measure="days", value=60, unit="days", qualifier="within")
    link(b1, a1, "carried")  # A1 → B1 unchanged, then B1 → C1 with a shorter deadline
    link(c1, b1, "carried")
    clause(a, 2, state="dropped")
    clause(a, 3, state="deferred")
    clause(a, 4)  # no source says what became of it
    a5, c5, c6 = clause(a, 5), clause(c, 5), clause(c, 6)
    link(c5, a5, "split")
    link(c6, a5, "split")
    a6, a7, c7 = clause(a, 6), clause(a, 7), clause(c, 7)
    link(c7, a6, "merged")
    link(c7, a7, "merged")
    a8, c8 = clause(a, 8, "eight"), clause(c, 9, "eight")
    link(c8, a8, "renumbered")
    clause(c, 10)  # new in C
    return a, c


def test_diff_follows_lineage_through_an_intermediate_draft(api, drafts):
    diff = api.ok("/proposals/draft-c/diff/", {"against": "draft-a"})
    by_old = entries_by_old_clause(diff)
    first = by_old["draft-a-1"]
    # Carried twice, but the deadline changed from 100 to 60 days: an amendment.
    assert first["change"] == "amended"
    assert [c["slug"] for c in first["new_clauses"]] == ["draft-c-1"]
    assert [(link["clause"]["slug"], link["derived_from"]["slug"]) for link in first["lineage"]] == [
        ("draft-b-1", "draft-a-1"),
        ("draft-c-1", "draft-b-1"),
    ]
    [days] = first["quantity_changes"]
    assert (days["old"]["value"], days["new"]["value"]) == (100, 60)
    assert first["text_changed"] is False


def test_diff_classifies_every_kind_of_change(api, drafts):
    diff = api.ok("/proposals/draft-c/diff/", {"against": "draft-a"})
    summary = [
        (entry["change"], [c["slug"] for c in entry["old_clauses"]], [c["slug"] for c in entry["new_clauses"]])
        for entry in diff["changes"]
    ]
    assert summary == [
        ("amended", ["draft-a-1"], ["draft-c-1"]),
        ("dropped", ["draft-a-2"], []),
        ("deferred", ["draft-a-3"], []),
        ("unknown", ["draft-a-4"], []),
        ("split", ["draft-a-5"], ["draft-c-5", "draft-c-6"]),
        ("merged", ["draft-a-6", "draft-a-7"], ["draft-c-7"]),
        ("renumbered", ["draft-a-8"], ["draft-c-9"]),
        ("new", [], ["draft-c-10"]),
    ]
    assert diff["counts"] == {
        "carried": 0,
        "amended": 1,
        "merged": 1,
        "split": 1,
        "renumbered": 1,
        "dropped": 1,
        "deferred": 1,
        "new": 1,
        "unknown": 1,
    }


# Clause history --------------------------------------------------------------------------------------------------


def test_clause_history_follows_lineage_back_and_forward(api, world):
    history = api.ok(f"/clauses/{PLAN}-03/history/")
    versions = [v["slug"] for v in history["versions"]]
    assert versions[0] == f"{PLAN}-03"
    assert set(versions) == {f"{PLAN}-03", f"{FRAMEWORK}-03"}
    # Point 5 was merged into the same framework clause, but it is not a version of point 3.
    assert f"{PLAN}-05" not in versions
    assert {(link["clause"]["slug"], link["change"]) for link in history["lineage"]} == {(f"{FRAMEWORK}-03", "merged")}
    back = api.ok(f"/clauses/{FRAMEWORK}-03/history/")
    assert {v["slug"] for v in back["versions"]} == {f"{FRAMEWORK}-03", f"{PLAN}-03", f"{PLAN}-05"}


def test_clause_history_gives_every_partys_stance_timeline_with_the_current_one_flagged(api, world):
    clause = world.clauses["plan-2"]
    history = api.ok(f"/clauses/{clause.slug}/history/")
    versions = {v["slug"] for v in history["versions"]}
    assert versions == {clause.slug, world.clauses["framework-1"].slug}
    positions = list(Position.objects.filter(clause__slug__in=versions))
    assert len(positions) == 5
    current = {p.slug for p in rules.current_positions(positions)}
    timeline = {entry["slug"]: entry for party in history["stances"] for entry in party["timeline"]}
    assert set(timeline) == {p.slug for p in positions}
    assert {slug for slug, entry in timeline.items() if entry["current"]} == current
    assert not timeline["southland-opposes-cap"]["current"]
    assert timeline["southland-open-on-cap"]["current"]
    for party in history["stances"]:
        dates = [entry["date"] or "" for entry in party["timeline"]]
        assert dates == sorted(dates)
        assert {entry["holder"]["slug"] for entry in party["timeline"]} == {party["party"]["slug"]}
        own = rules.current_positions(clause.positions.filter(holder__slug=party["party"]["slug"]))
        assert [p["slug"] for p in party["current"]] == [p.slug for p in own]
    assert {party["party"]["slug"] for party in history["stances"]} == {"northland", "southland"}


# Negotiation timeline --------------------------------------------------------------------------------------------


def test_timeline_puts_events_and_proposals_in_date_order_with_precision(api, world):
    negotiation = world.negotiation
    timeline = api.ok(f"/negotiations/{negotiation.slug}/timeline/")
    entries = timeline["entries"]
    assert len(entries) == negotiation.events.count() + negotiation.proposals.count() == 8
    assert {e["event"]["slug"] for e in entries if e["type"] == "event"} == set(
        negotiation.events.values_list("slug", flat=True)
    )
    dated = [e["date"] for e in entries if e["date"]]
    assert dated == sorted(dated)
    assert len(dated) == 7
    assert all(e["date"] is None for e in entries[len(dated) :])  # undated ones last
    assert entries[-1]["event"]["slug"] == "deadline-unknown"
    plan = next(e for e in entries if e["type"] == "proposal" and e["proposal"]["slug"] == PLAN)
    assert (plan["date"], plan["date_precision"]) == ("2031-03-05", "day")
    demands = next(e for e in entries if e["type"] == "proposal" and e["proposal"]["slug"] == "southland-demands")
    assert (demands["date_precision"], demands["date_display"]) == ("month", "February 2031")
    assert entries[0] == demands


# Direction matrix ---------------------------------------------------------------------------------------------------


def test_stance_matrix_has_a_row_per_party_and_a_cell_per_clause(api, world):
    proposal = world.plan
    matrix = api.ok(f"/proposals/{PLAN}/stance-matrix/")
    assert [c["number"] for c in matrix["clauses"]] == [1, 2, 3, 4, 5]
    current = rules.current_positions(proposal.positions.all())
    assert len(current) == 7
    assert [row["party"]["slug"] for row in matrix["rows"]] == ["eastmark", "northland", "river-league", "southland"]
    assert [row["party"]["slug"] for row in matrix["rows"]] == sorted(
        {p.holder.slug for p in current}, key=lambda slug: next(p.holder.name for p in current if p.holder.slug == slug)
    )
    expected = {(p.holder.slug, p.clause.slug if p.clause else None): p for p in current}
    served = {}
    for row in matrix["rows"]:
        assert [cell["clause"] for cell in row["cells"]] == [c["slug"] for c in matrix["clauses"]]
        for cell in [row["whole_proposal"], *row["cells"]]:
            assert len(cell["positions"]) <= 1 and not cell["disagreement"]  # no overlapping stances here
            for position in cell["positions"]:
                served[(row["party"]["slug"], cell["clause"])] = position
    assert set(served) == set(expected)
    for key, position in expected.items():
        cell = served[key]
        assert (cell["slug"], cell["direction"], cell["date_precision"] or "") == (
            position.slug,
            position.direction,
            position.date_precision,
        )
        assert [c["slug"] for c in cell["citations"]] == [c.slug for c in position.citations.all()]
