"""The four analyses as GraphQL fields: their answers on a made-up negotiation, their errors, their query counts.

(That they answer exactly as REST does is in test_rest_parity.py.)
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.graphql.conftest import post
from treaty import analyses, models

pytestmark = pytest.mark.django_db

PLAN = "northland-five-point-plan"
FRAMEWORK = "joint-revised-framework"
TALKS = "northland-southland-talks"


def test_the_diff_of_the_plan_and_the_framework(gql, world):
    data = gql(
        """{ proposalDiff(slug: "joint-revised-framework", against: "northland-five-point-plan") {
          old { slug } new { slug } counts { change count }
          changes { change oldClauses { number } newClauses { slug } quantityChanges { measure } }
        } }"""
    )["proposalDiff"]
    # Whichever way it is asked, the older proposal is the baseline.
    assert (data["old"], data["new"]) == ({"slug": PLAN}, {"slug": FRAMEWORK})
    # Every point of the plan appears exactly once.
    numbers = sorted(n["number"] for change in data["changes"] for n in change["oldClauses"])
    assert numbers == [1, 2, 3, 4, 5]
    counts = {count["change"]: count["count"] for count in data["counts"]}
    assert sum(counts.values()) == len(data["changes"])
    expected = analyses.diff_proposals(
        models.Proposal.objects.get(slug=PLAN),
        models.Proposal.objects.get(slug=FRAMEWORK),
    )
    assert counts == {change.upper(): count for change, count in expected.counts.items()}
    # Silence in the sources is not a drop: point 1's fate is unknown.
    assert (counts["UNKNOWN"], counts["DROPPED"], counts["AMENDED"], counts["MERGED"]) == (1, 0, 1, 1)
    cap = next(change for change in data["changes"] if change["change"] == "AMENDED")
    assert cap["quantityChanges"] == [{"measure": "armed-forces-cap"}]
    assert cap["newClauses"] == [{"slug": f"{FRAMEWORK}-01"}]


def test_a_clause_history_follows_lineage_and_flags_current_stances(gql, world):
    link = world.records(models.ClauseLineage).select_related("clause", "derived_from").get(change="amended")
    data = gql(
        """query ($slug: String!) { clauseHistory(slug: $slug) {
          clause { slug } versions { slug } lineage { clause { slug } derivedFrom { slug } }
          stances { party { slug } current { slug } timeline { current position { slug clause { slug } } } }
        } }""",
        slug=link.derived_from.slug,
    )["clauseHistory"]
    versions = [v["slug"] for v in data["versions"]]
    assert data["clause"] == {"slug": link.derived_from.slug}
    assert {link.clause.slug, link.derived_from.slug} <= set(versions)
    assert {"clause": {"slug": link.clause.slug}, "derivedFrom": {"slug": link.derived_from.slug}} in data["lineage"]
    assert set(versions) == {link.clause.slug, link.derived_from.slug}
    for stances in data["stances"]:
        current = [entry["position"]["slug"] for entry in stances["timeline"] if entry["current"]]
        assert {position["slug"] for position in stances["current"]} <= set(current)
    southland = next(stances for stances in data["stances"] if stances["party"]["slug"] == "southland")
    assert [(e["position"]["slug"], e["current"]) for e in southland["timeline"]] == [
        ("southland-opposes-cap", False),
        ("southland-open-on-cap", True),
        ("southland-opposes-new-cap", True),
    ]


def test_the_negotiation_timeline_is_in_date_order(gql, world):
    data = gql(
        """{ negotiationTimeline(slug: "northland-southland-talks") {
          negotiation { slug } entries { type date event { slug } proposal { slug } }
        } }"""
    )["negotiationTimeline"]
    entries = data["entries"]
    assert len(entries) == world.negotiation.events.count() + world.negotiation.proposals.count() == 8
    dates = [entry["date"] for entry in entries if entry["date"]]
    assert dates == sorted(dates)
    assert all(
        (entry["type"] == "EVENT") == (entry["event"] is not None) != (entry["proposal"] is not None)
        for entry in entries
    )
    assert {
        "type": "PROPOSAL",
        "date": "2031-03-05",
        "event": None,
        "proposal": {"slug": PLAN},
    } in entries
    assert entries[-1]["event"] == {"slug": "deadline-unknown"}


def test_the_stance_matrix_has_a_cell_per_party_and_clause(gql, world):
    data = gql(
        """{ stanceMatrix(slug: "northland-five-point-plan") {
          clauses { number }
          rows(pagination: {limit: 10}) {
            party { slug } wholeProposal { positions(pagination: {limit: 10}) { direction } }
            cells(pagination: {limit: 10}) {
              clause { number } positions(pagination: {limit: 10}) { direction holder { slug } }
            }
          }
        } }"""
    )["stanceMatrix"]
    assert [c["number"] for c in data["clauses"]] == [1, 2, 3, 4, 5]
    assert [row["party"]["slug"] for row in data["rows"]] == ["eastmark", "northland", "river-league", "southland"]
    southland = data["rows"][-1]
    assert southland["wholeProposal"] == {"positions": [{"direction": "REJECTS"}]}
    assert [[p["direction"] for p in cell["positions"]] for cell in southland["cells"]] == [
        [],
        ["OPEN_TO"],
        ["REJECTS"],
        [],
        [],
    ]
    for row in data["rows"]:
        assert [cell["clause"]["number"] for cell in row["cells"]] == [1, 2, 3, 4, 5]
        assert all(p["holder"] == row["party"] for cell in row["cells"] for p in cell["positions"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ proposalDiff(slug: "northland-five-point-plan", against: "nope") { counts { count } } }',
            "No proposal has the slug “nope”.",
        ),
        (
            '{ proposalDiff(slug: "northland-five-point-plan", against: "northland-five-point-plan") '
            "{ counts { count } } }",
            "Compare the proposal with another one, not with itself.",
        ),
        ('{ clauseHistory(slug: "nope") { clause { slug } } }', "No clause has the slug “nope”."),
        (
            '{ negotiationTimeline(slug: "bad\\u0000slug") { entries { date } } }',
            "No negotiation has the slug “bad\x00slug”.",
        ),
        ('{ stanceMatrix(slug: "") { rows { cells { clause { slug } } } } }', "No proposal has the slug “”."),
    ],
)
def test_an_unknown_record_is_a_clear_client_error(client, world, query, message):
    body = post(client, query).json()
    (error,) = body["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert list(body["data"].values()) == [None]


def count_queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        body = post(client, query).json()
    assert "errors" not in body, body["errors"]
    return len(captured)


# Deep, and within the cost limit (api/graphql/cost.py): the inner lists ask for small pages.
FEW = "(pagination: {limit: 5})"
DEEP_MATRIX = """{ stanceMatrix(slug: "northland-five-point-plan") {
  proposal { slug authors { slug } } clauses { slug topics FEW { slug } }
  rows(pagination: {limit: 20}) {
    party { slug people FEW { slug } }
    wholeProposal { positions FEW { direction citations FEW { slug source { slug } } } }
    cells(pagination: {limit: 40}) {
      clause { slug quantities FEW { measure } }
      positions FEW { direction speaker { slug } citations FEW { quote } }
    }
  }
} }""".replace("FEW", FEW)
DEEP_HISTORY = """{ clauseHistory(slug: "northland-five-point-plan-02") {
  clause { slug topics { slug } } versions { slug proposal { slug } quantities FEW { value } }
  lineage { change citations FEW { slug } }
  stances(pagination: {limit: 10}) {
    party { slug } current FEW { direction }
    timeline FEW { current position { direction citations FEW { quote source { slug } } } }
  }
} }""".replace("FEW", FEW)
DEEP_TIMELINE = """{ negotiationTimeline(slug: "northland-southland-talks") {
  negotiation { slug }
  entries {
    date
    event { slug people FEW { slug party { slug } } citations FEW { slug } }
    proposal { slug authors FEW { slug } clauses FEW { slug } }
  }
} }""".replace("FEW", FEW)
DEEP_DIFF = """{ proposalDiff(slug: "northland-five-point-plan", against: "joint-revised-framework") {
  old { slug } new { slug }
  changes {
    change
    oldClauses FEW { slug topics FEW { slug } positions FEW { direction holder { slug } } }
    newClauses FEW { slug quantities FEW { value } }
    lineage FEW { change citations FEW { source { slug } } } quantityChanges FEW { old { value } new { value } }
  }
} }""".replace("FEW", FEW)


def _more_data(world, tag: str):
    """More of everything the analyses show: parties, positions, clauses, lineage, events."""
    plan, framework, source = world.plan, world.framework, world.sources["report"]
    for i in range(5):
        party = models.Party.objects.create(slug=f"extra-{tag}{i}", name=f"Extra {tag}{i}", kind="state")
        models.Person.objects.create(slug=f"extra-person-{tag}{i}", name=f"Person {i}", party=party)
        for clause in plan.clauses.all()[:10]:
            position = models.Position.objects.create(
                slug=f"extra-{tag}{i}-{clause.slug}",
                holder=party,
                proposal=plan,
                clause=clause,
                direction="opposes",
                basis="outlet-inference",
                summary="S",
                date=date(2031, 3, 21),
                date_precision="day",
            )
            position.citations.add(
                models.Citation.objects.create(slug=f"c-{position.slug}", source=source, quote="Southland")
            )
        models.Position.objects.create(
            slug=f"extra-{tag}{i}-whole", holder=party, proposal=plan, direction="supports", basis="outlet-inference"
        )
        new_clause = models.Clause.objects.create(slug=f"extra-new-{tag}{i}", proposal=framework, heading="H", text="T")
        models.ClauseLineage.objects.create(
            clause=new_clause, derived_from=plan.clauses.get(number=2), change="amended"
        )
        event = models.Event.objects.create(
            slug=f"extra-event-{tag}{i}", negotiation=plan.negotiation, kind="talks", title="T"
        )
        event.people.add(models.Person.objects.get(slug=f"extra-person-{tag}{i}"))


@pytest.mark.parametrize(
    "query", [DEEP_MATRIX, DEEP_HISTORY, DEEP_TIMELINE, DEEP_DIFF], ids=["matrix", "history", "timeline", "diff"]
)
def test_analyses_run_a_constant_number_of_queries_however_deep_and_however_much_data(client, world, query):
    before = count_queries(client, query)
    _more_data(world, "a")
    assert count_queries(client, query) == before
    _more_data(world, "b")
    assert count_queries(client, query) == before
