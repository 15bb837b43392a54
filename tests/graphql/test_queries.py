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
def test_a_record_is_found_by_its_slug(gql, world, field, model):
    record = world.records(model).order_by("-slug").first()
    assert record is not None, f"the world has no {model.__name__}"
    data = gql(f"query ($slug: String!) {{ {field}(slug: $slug) {{ slug }} }}", slug=record.slug)
    assert data[field] == {"slug": record.slug}


@pytest.mark.parametrize("field", SLUGGED)
@pytest.mark.parametrize("slug", ["no-such-record", "bad\x00slug", "", "x" * 500])
def test_an_unknown_slug_gives_null(gql, field, slug):
    assert gql(f"query ($slug: String!) {{ {field}(slug: $slug) {{ slug }} }}", slug=slug) == {field: None}


@pytest.mark.parametrize(("field", "model"), SLUGGED.items())
def test_a_list_has_every_record_in_the_default_order_a_page_at_a_time(gql, world, field, model):
    filters, own = world.graphql_filter(field), world.records(model)
    if "q:" in filters:  # a search, which on PostgreSQL orders by relevance: the whole list instead, the world's in it
        filters, own = "{}", model.objects.all()
        assert set(world.records(model)) <= set(own)
    query = f"""query ($offset: Int!) {{
      {field}List(filters: {filters}, pagination: {{offset: $offset, limit: 5}}) {{
        totalCount pageInfo {{ offset limit }} results {{ slug }}
      }}
    }}"""
    data = gql(query, offset=1)[f"{field}List"]
    expected = list(own.values_list("slug", flat=True)[1:6])
    assert data["totalCount"] == own.count()
    assert data["pageInfo"] == {"offset": 1, "limit": 5}
    assert [row["slug"] for row in data["results"]] == expected


def test_a_list_has_20_records_unless_asked(gql, world):
    source = world.sources["report"]
    for i in range(12):
        models.Citation.objects.create(slug=f"more-{i}", source=source, quote="Southland")
    filters = world.graphql_filter("citation")
    data = gql(f"{{ citationList(filters: {filters}) {{ pageInfo {{ limit }} results {{ slug }} }} }}")["citationList"]
    assert world.records(models.Citation).count() > 20
    assert data["pageInfo"]["limit"] == 20
    assert len(data["results"]) == 20


def test_records_without_a_slug_are_found_by_their_natural_key(gql, world):
    role = world.records(models.PartyRole).get(party=world.parties["eastmark"])
    lineage = world.records(models.ClauseLineage).get(clause=world.clauses["framework-1"])
    quantity = world.records(models.Quantity).get(clause=world.clauses["plan-4"])
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
    assert data["partyRole"] == {"role": "MEDIATOR", "party": {"slug": world.parties["eastmark"].slug}}
    assert data["clauseLineage"] == {
        "change": lineage.change.upper(),
        "clause": {"slug": lineage.clause.slug},
        "derivedFrom": {"slug": lineage.derived_from.slug},
    }
    assert data["clauseLineage"]["change"] == "AMENDED"
    assert Decimal(data["quantity"]["value"]) == quantity.value == 30
    assert data["quantity"]["unit"] == quantity.unit == "days"
    assert data["missing"] is None


@pytest.mark.parametrize("field", ["partyRoleList", "clauseLineageList", "quantityList"])
def test_lists_of_records_without_a_slug(gql, world, field):
    model = {"partyRoleList": models.PartyRole, "clauseLineageList": models.ClauseLineage}.get(field, models.Quantity)
    filters = world.graphql_filter(field.removesuffix("List"))
    query = f"{{ {field}(filters: {filters}, pagination: {{limit: 100}}) {{ totalCount results {{ __typename }} }} }}"
    data = gql(query)[field]
    assert data["totalCount"] == world.records(model).count() == len(data["results"]) > 1
    everything = gql(f"{{ {field}(pagination: {{limit: 100}}) {{ totalCount }} }}")[field]
    assert everything["totalCount"] == model.objects.count()


def test_a_plan_with_its_fields_and_relations(gql, world):
    data = gql(
        """query ($slug: String!) { proposal(slug: $slug) {
          slug title kind status stage date datePrecision dateDisplay statedPointCount textPublished summary
          negotiation { slug } authors { slug } supersedes { slug } supersededBy { slug }
          clauses { number } citations { slug } positions { slug }
        } }""",
        slug=world.plan.slug,
    )["proposal"]
    plan = world.plan
    assert data["title"] == "Northland five-point plan"
    assert (data["kind"], data["status"], data["stage"]) == ("PLAN", "SUPERSEDED", "FRAMEWORK_COMPREHENSIVE")
    assert (data["date"], data["datePrecision"], data["dateDisplay"]) == ("2031-03-05", "DAY", "2031-03-05")
    assert (data["statedPointCount"], data["textPublished"]) == (5, True)
    assert data["summary"] == plan.summary
    assert data["negotiation"] == {"slug": world.negotiation.slug}
    assert data["authors"] == [{"slug": world.parties["northland"].slug}]
    assert data["supersedes"] is None
    assert data["supersededBy"] == [{"slug": world.framework.slug}]
    assert [c["number"] for c in data["clauses"]] == [1, 2, 3, 4, 5]
    assert data["citations"] == [{"slug": world.citations["plan-heading"].slug}]
    assert len(data["positions"]) == plan.positions.count() == 8


def test_a_month_precise_date_is_displayed_as_a_month(gql, world):
    data = gql(
        "query ($slug: String!) { proposal(slug: $slug) { date datePrecision dateDisplay supersedes { slug } } }",
        slug=world.demands.slug,
    )["proposal"]
    assert data == {"date": "2031-02-01", "datePrecision": "MONTH", "dateDisplay": "February 2031", "supersedes": None}
    framework = gql(
        "query ($slug: String!) { proposal(slug: $slug) { supersedes { slug } } }", slug=world.framework.slug
    )
    assert framework["proposal"]["supersedes"] == {"slug": world.plan.slug}


def test_relations_both_ways_proposal_clause_position_party_and_back(gql, world):
    data = gql(
        """query ($slug: String!) { proposal(slug: $slug) { clauses { slug positions(pagination: {limit: 4}) {
              slug holder { slug positions { slug clause { slug } } } } } } }""",
        slug=world.plan.slug,
    )["proposal"]
    positions = [p for clause in data["clauses"] for p in clause["positions"]]
    assert len(positions) == world.plan.positions.exclude(clause=None).count() == 6
    for position in positions:
        party_positions = {p["slug"] for p in position["holder"]["positions"]}
        assert position["slug"] in party_positions
        expected = models.Party.objects.get(slug=position["holder"]["slug"]).positions.values_list("slug", flat=True)
        assert party_positions == set(expected)


def test_a_clause_with_its_quantities_lineage_and_topics(gql, world):
    clause, older = world.clauses["framework-1"], world.clauses["plan-2"]
    data = gql(
        """query ($slug: String!) { clause(slug: $slug) {
          slug state text textIsVerbatim topics { slug } quantities { measure qualifier }
          lineage { change derivedFrom { slug descendantLineage { clause { slug } } derivatives { slug } } }
          derivedFrom { slug }
        } }""",
        slug=clause.slug,
    )["clause"]
    assert data["derivedFrom"] == [{"slug": older.slug}]
    [link] = data["lineage"]
    assert link["change"] == "AMENDED"
    assert link["derivedFrom"]["descendantLineage"] == [{"clause": {"slug": clause.slug}}]
    assert link["derivedFrom"]["derivatives"] == [{"slug": clause.slug}]
    assert data["state"] == "CONTESTED"
    assert (data["text"], data["textIsVerbatim"]) == ("Southland’s forces are capped at 80,000.", False)
    assert data["topics"] == [{"slug": world.topics["troop-limits"].slug}]
    assert data["quantities"] == [{"measure": "armed-forces-cap", "qualifier": "AT_MOST"}]
    merged = gql(
        "query ($slug: String!) { clause(slug: $slug) { derivedFrom { slug } lineage { change } } }",
        slug=world.clauses["framework-3"].slug,
    )["clause"]
    assert {c["slug"] for c in merged["derivedFrom"]} == {world.clauses["plan-3"].slug, world.clauses["plan-5"].slug}
    assert merged["lineage"] == [{"change": "MERGED"}, {"change": "MERGED"}]


def test_people_and_parties_with_aliases_and_affiliations(gql, world):
    norberg, league = world.people["anna-norberg"], world.parties["river-league"]
    data = gql(
        """query ($person: String!, $party: String!) {
            person(slug: $person) { name aliases title party { slug people { slug } } }
            party(slug: $party) { kind aliases members { slug memberOf { slug } } } }""",
        person=norberg.slug,
        party=league.slug,
    )
    assert data["person"]["aliases"] == norberg.aliases == ["Ana Norberg"]
    assert data["person"]["title"] == "President of Northland"
    assert data["person"]["party"]["slug"] == world.parties["northland"].slug
    assert data["person"]["party"]["people"] == [{"slug": norberg.slug}]
    assert data["party"]["kind"] == "BLOC"
    assert data["party"]["aliases"] == ["the League"]
    assert {m["slug"] for m in data["party"]["members"]} == {
        world.parties["eastmark"].slug,
        world.parties["westmark"].slug,
    }
    assert all(member["memberOf"] == [{"slug": league.slug}] for member in data["party"]["members"])


def test_sources_and_citations(gql, world):
    citation = world.citations["norberg-supports"]
    data = gql(
        """query ($slug: String!) { citation(slug: $slug) {
          quote start end checked source { slug hasText text citations { slug } }
        } }""",
        slug=citation.slug,
    )["citation"]
    assert data["quote"] == citation.quote == "Northland “supports the plan as written”"
    assert citation.quote in data["source"]["text"]
    assert (data["start"], data["end"]) == (citation.start, citation.end)
    assert data["source"]["text"][data["start"] : data["end"]] == citation.quote
    assert data["checked"] is data["source"]["hasText"] is True
    assert {"slug": citation.slug} in data["source"]["citations"]
    unverifiable = gql(
        "query ($slug: String!) { citation(slug: $slug) { quote start checked locator } }",
        slug=world.citations["column"].slug,
    )["citation"]
    assert unverifiable == {"quote": "", "start": None, "checked": False, "locator": "para 4"}


def test_records_cited_by_a_citation(gql, world):
    citation = world.citations["framework-presented"]
    data = gql(
        "query ($slug: String!) { citation(slug: $slug) { proposals { slug } negotiations { slug } } }",
        slug=citation.slug,
    )
    assert data["citation"]["proposals"] == [{"slug": world.framework.slug}]
    assert data["citation"]["negotiations"] == [{"slug": world.negotiation.slug}]


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
