"""The provenance model through REST and GraphQL, on the seed dataset: the same meaning on both sides."""

import itertools

import pytest

from tests.graphql.conftest import post

pytestmark = pytest.mark.django_db


def rest(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.content
    return response.json()


def graphql(client, query):
    body = post(client, query).json()
    assert "errors" not in body, body
    return body["data"]


def test_an_analyst_is_an_assessment_not_a_stance_in_the_matrix(client):
    matrix = rest(client, "proposals/us-28-point-plan/stance-matrix/")
    stance_slugs = {
        p["slug"]
        for row in matrix["rows"]
        for cell in [row["whole_proposal"], *row["cells"]]
        for p in cell["positions"]
    }
    assert "ukraine-not-tired-enough-per-mills" not in stance_slugs
    assert "ukraine-not-tired-enough-per-mills" in {a["slug"] for a in matrix["assessments"]}
    data = graphql(
        client,
        '{ stanceMatrix(slug: "us-28-point-plan") { assessments { slug } '
        "rows { wholeProposal { positions { slug } disagreement } } } }",
    )
    assert {a["slug"] for a in data["stanceMatrix"]["assessments"]} == {a["slug"] for a in matrix["assessments"]}
    rest_whole = [sorted(p["slug"] for p in row["whole_proposal"]["positions"]) for row in matrix["rows"]]
    gql_whole = [sorted(p["slug"] for p in row["wholeProposal"]["positions"]) for row in data["stanceMatrix"]["rows"]]
    assert rest_whole == gql_whole


def test_every_embedded_citation_shows_tier_checked_and_declared_interest(client):
    position = rest(client, "positions/ukraine-umerov-army-cap/")
    (citation,) = [c for c in position["citations"] if c["source"]["slug"].startswith("wapo-2025-11-22")]
    assert citation["source_tier"] == "opinion-analysis"
    assert citation["checked"] is True
    assert citation["declared_interest"].startswith("A cautionary note: The U.S. officials spoke with me")
    clause = rest(client, "clauses/us-28-point-plan-02/")
    assert clause["support"] == "external-only"
    assert {c["source_tier"] for c in clause["citations"]} == {"external-text"}
    assert {c["checked"] for c in clause["citations"]} == {False}
    data = graphql(
        client,
        '{ position(slug: "ukraine-umerov-army-cap") { citations { sourceTier checked declaredInterest } } '
        'clause(slug: "us-28-point-plan-02") { support } }',
    )
    assert {"sourceTier": "OPINION_ANALYSIS", "checked": True, "declaredInterest": citation["declared_interest"]} in (
        data["position"]["citations"]
    )
    assert data["clause"]["support"] == "EXTERNAL_ONLY"


def test_the_project_notes_are_no_source(client):
    assert client.get("/api/v1/sources/project-reference-negotiation-facts/").status_code == 404
    sources = rest(client, "sources/?tier=external-text")["results"]
    assert {"reuters-2025-11-23-european-counterproposal", "ft-2025-11-24-19-point-plan"} <= {
        s["slug"] for s in sources
    }
    assert all(not s["has_text"] for s in sources)


def test_conflicts_are_listed_and_shown_on_the_records_they_touch(client):
    conflicts = rest(client, "conflicts/")["results"]
    assert {"us-28-point-plan-origin", "ukraine-acceptance-of-revised-plan"} <= {c["slug"] for c in conflicts}
    origin = next(c for c in conflicts if c["slug"] == "us-28-point-plan-origin")
    assert len(origin["claims"]) == 3 and all(claim["citations"] for claim in origin["claims"])
    proposal = rest(client, "proposals/us-28-point-plan/")
    assert "us-28-point-plan-origin" in {c["slug"] for c in proposal["conflicts"]}
    data = graphql(client, '{ proposal(slug: "us-28-point-plan") { conflicts { slug summary } } }')
    assert {c["slug"] for c in data["proposal"]["conflicts"]} == {c["slug"] for c in proposal["conflicts"]}


def test_a_red_line_says_which_way_it_points_and_none_awaits_review(client):
    position = rest(client, "positions/russia-no-nato-membership/")
    assert (position["direction"], position["firmness"]) == ("supports", "red-line")
    assert position["needs_review"] is False
    assert rest(client, "positions/?needs_review=true")["count"] == 0
    data = graphql(client, '{ position(slug: "russia-red-line-donbas-deferral") { direction firmness } }')
    assert data["position"] == {"direction": "REJECTS", "firmness": "RED_LINE"}


def test_the_timeline_marks_concurrent_entries(client):
    timeline = rest(client, "negotiations/russia-ukraine-2025/timeline/")
    entries = timeline["entries"]
    for earlier, later in itertools.pairwise(entries):
        if earlier["date"] and later["date"] and later["date_latest"] < earlier["date"]:
            pytest.fail(f"{later} comes after {earlier} although it ends before it begins")
    assert any(entry["concurrent_with"] for entry in entries)
