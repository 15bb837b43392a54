"""Every model's pair of queries, ``x(slug:)`` and ``xList``, and the relations both ways."""

from decimal import Decimal

import pytest

from treaty import models

pytestmark = pytest.mark.django_db

SLUGGED = {
    "negotiation": models.Negotiation,
    "party": models.Party,
    "person": models.Person,
    "source": models.Source,
    "nonStoryPassage": models.NonStoryPassage,
    "citation": models.Citation,
    "proposal": models.Proposal,
    "clause": models.Clause,
    "position": models.Position,
    "event": models.Event,
    "topic": models.Topic,
}


@pytest.mark.parametrize(("field", "model"), SLUGGED.items())
def test_a_record_is_found_by_its_slug(gql, field, model):
    record = model.objects.order_by("-slug").first()
    assert record is not None, f"the seed has no {model.__name__}"
    data = gql(f"query ($slug: String!) {{ {field}(slug: $slug) {{ slug }} }}", slug=record.slug)
    assert data[field] == {"slug": record.slug}


@pytest.mark.parametrize("field", SLUGGED)
@pytest.mark.parametrize("slug", ["no-such-record", "bad\x00slug", "", "x" * 500])
def test_an_unknown_slug_gives_null(gql, field, slug):
    assert gql(f"query ($slug: String!) {{ {field}(slug: $slug) {{ slug }} }}", slug=slug) == {field: None}


@pytest.mark.parametrize(("field", "model"), SLUGGED.items())
def test_a_list_has_every_record_in_the_default_order_a_page_at_a_time(gql, field, model):
    query = f"""query ($offset: Int!) {{
      {field}List(pagination: {{offset: $offset, limit: 5}}) {{
        totalCount pageInfo {{ offset limit }} results {{ slug }}
      }}
    }}"""
    data = gql(query, offset=1)[f"{field}List"]
    expected = list(model.objects.values_list("slug", flat=True)[1:6])
    assert data["totalCount"] == model.objects.count()
    assert data["pageInfo"] == {"offset": 1, "limit": 5}
    assert [row["slug"] for row in data["results"]] == expected


def test_a_list_has_20_records_unless_asked(gql):
    data = gql("{ citationList { pageInfo { limit } results { slug } } }")["citationList"]
    assert models.Citation.objects.count() > 20
    assert data["pageInfo"]["limit"] == 20
    assert len(data["results"]) == 20


def test_records_without_a_slug_are_found_by_their_natural_key(gql):
    role = models.PartyRole.objects.select_related("negotiation", "party").first()
    lineage = models.ClauseLineage.objects.select_related("clause", "derived_from").first()
    quantity = models.Quantity.objects.select_related("clause").first()
    data = gql(
        """query ($negotiation: String!, $party: String!, $role: PartyRoleKind!, $clause: String!,
                  $derivedFrom: String!, $quantityClause: String!, $measure: String!) {
          partyRole(negotiation: $negotiation, party: $party, role: $role) { role party { slug } }
          clauseLineage(clause: $clause, derivedFrom: $derivedFrom) { change clause { slug } derivedFrom { slug } }
          quantity(clause: $quantityClause, measure: $measure) { measure value unit }
          missing: quantity(clause: $quantityClause, measure: "no-such-measure") { measure }
        }""",
        negotiation=role.negotiation.slug,
        party=role.party.slug,
        role=role.role.upper(),
        clause=lineage.clause.slug,
        derivedFrom=lineage.derived_from.slug,
        quantityClause=quantity.clause.slug,
        measure=quantity.measure,
    )
    assert data["partyRole"] == {"role": role.role.upper(), "party": {"slug": role.party.slug}}
    assert data["clauseLineage"] == {
        "change": lineage.change.upper(),
        "clause": {"slug": lineage.clause.slug},
        "derivedFrom": {"slug": lineage.derived_from.slug},
    }
    assert Decimal(data["quantity"]["value"]) == quantity.value
    assert data["quantity"]["unit"] == quantity.unit
    assert data["missing"] is None


@pytest.mark.parametrize("field", ["partyRoleList", "clauseLineageList", "quantityList"])
def test_lists_of_records_without_a_slug(gql, field):
    model = {"partyRoleList": models.PartyRole, "clauseLineageList": models.ClauseLineage}.get(field, models.Quantity)
    data = gql(f"{{ {field}(pagination: {{limit: 100}}) {{ totalCount results {{ __typename }} }} }}")[field]
    assert data["totalCount"] == model.objects.count() == len(data["results"]) > 0


def test_the_28_point_plan_with_its_fields_and_relations(gql):
    data = gql(
        """{ proposal(slug: "us-28-point-plan") {
          slug title kind status stage date datePrecision dateDisplay statedPointCount textPublished summary
          negotiation { slug } authors { slug } supersedes { slug } supersededBy { slug }
          clauses { number } citations { slug } positions { slug }
        } }"""
    )["proposal"]
    plan = models.Proposal.objects.get(slug="us-28-point-plan")
    assert data["title"] == "US 28-point peace plan"
    assert (data["kind"], data["status"], data["stage"]) == ("PLAN", "SUPERSEDED", "FRAMEWORK_COMPREHENSIVE")
    assert (data["date"], data["datePrecision"], data["dateDisplay"]) == ("2025-11-20", "DAY", "2025-11-20")
    assert (data["statedPointCount"], data["textPublished"]) == (28, True)
    assert data["summary"] == plan.summary
    assert data["negotiation"] == {"slug": "russia-ukraine-2025"}
    assert data["authors"] == [{"slug": "united-states"}]
    assert data["supersedes"] is None
    assert {"slug": "us-ukraine-revised-framework"} in data["supersededBy"]
    assert [c["number"] for c in data["clauses"]] == list(range(1, 29))
    assert {c["slug"] for c in data["citations"]} == set(plan.citations.values_list("slug", flat=True))
    assert len(data["positions"]) == plan.positions.count() > 0


def test_relations_both_ways_proposal_clause_position_party_and_back(gql):
    data = gql(
        """{ proposal(slug: "us-28-point-plan") { clauses { slug positions(pagination: {limit: 4}) {
              slug party { slug positions { slug clause { slug } } } } } } }"""
    )["proposal"]
    position = next(p for clause in data["clauses"] for p in clause["positions"])
    party_positions = {p["slug"] for p in position["party"]["positions"]}
    assert position["slug"] in party_positions
    expected = models.Party.objects.get(slug=position["party"]["slug"]).positions.values_list("slug", flat=True)
    assert party_positions == set(expected)


def test_a_clause_with_its_quantities_lineage_and_topics(gql):
    lineage = models.ClauseLineage.objects.select_related("clause", "derived_from").first()
    data = gql(
        """query ($slug: String!) { clause(slug: $slug) {
          slug state text textIsVerbatim topics { slug } quantities { measure qualifier }
          lineage { change derivedFrom { slug descendantLineage { clause { slug } } derivatives { slug } } }
          derivedFrom { slug }
        } }""",
        slug=lineage.clause.slug,
    )["clause"]
    assert {"slug": lineage.derived_from.slug} in data["derivedFrom"]
    link = next(link for link in data["lineage"] if link["derivedFrom"]["slug"] == lineage.derived_from.slug)
    assert link["change"] == lineage.change.upper().replace("-", "_")
    assert {"clause": {"slug": lineage.clause.slug}} in link["derivedFrom"]["descendantLineage"]
    assert {"slug": lineage.clause.slug} in link["derivedFrom"]["derivatives"]
    assert data["state"] == lineage.clause.state.upper()


def test_people_and_parties_with_aliases_and_affiliations(gql):
    data = gql(
        """{ person(slug: "volodymyr-zelensky") { name aliases title party { slug people { slug } } }
            party(slug: "e3") { kind aliases members { slug memberOf { slug } } } }"""
    )
    zelensky = models.Person.objects.get(slug="volodymyr-zelensky")
    assert data["person"]["aliases"] == zelensky.aliases and "Zelenskyy" in zelensky.aliases
    assert data["person"]["party"]["slug"] == "ukraine"
    assert {"slug": "volodymyr-zelensky"} in data["person"]["party"]["people"]
    e3 = models.Party.objects.get(slug="e3")
    assert data["party"]["kind"] == e3.kind.upper()
    assert {m["slug"] for m in data["party"]["members"]} == set(e3.members.values_list("slug", flat=True)) != set()
    assert all({"slug": "e3"} in member["memberOf"] for member in data["party"]["members"])


def test_sources_and_citations(gql):
    citation = models.Citation.objects.exclude(quote="").select_related("source").first()
    data = gql(
        """query ($slug: String!) { citation(slug: $slug) {
          quote start end verifiable source { slug hasText text citations { slug } }
        } }""",
        slug=citation.slug,
    )["citation"]
    assert data["quote"] == citation.quote
    assert citation.quote in data["source"]["text"]
    assert (data["start"], data["end"]) == (citation.start, citation.end)
    assert data["verifiable"] is data["source"]["hasText"] is True
    assert {"slug": citation.slug} in data["source"]["citations"]


def test_records_cited_by_a_citation(gql):
    proposal = models.Proposal.objects.get(slug="us-28-point-plan")
    citation = proposal.citations.first()
    data = gql(
        "query ($slug: String!) { citation(slug: $slug) { proposals { slug } } }",
        slug=citation.slug,
    )
    assert {"slug": "us-28-point-plan"} in data["citation"]["proposals"]


def test_an_unknown_date_has_a_null_precision(gql):
    negotiation = models.Negotiation.objects.create(slug="undated", name="Undated")
    data = gql('{ negotiation(slug: "undated") { date datePrecision dateDisplay } }')
    assert negotiation.date is None
    assert data["negotiation"] == {"date": None, "datePrecision": None, "dateDisplay": "date unknown"}


def test_natural_keys_with_impossible_slugs_give_null(gql):
    data = gql(
        """{
          partyRole(negotiation: "a\\u0000", party: "b", role: MEDIATOR) { role }
          clauseLineage(clause: "a", derivedFrom: "b\\u0000") { change }
          quantity(clause: "a b", measure: "\\u0000") { value }
        }"""
    )
    assert data == {"partyRole": None, "clauseLineage": None, "quantity": None}
