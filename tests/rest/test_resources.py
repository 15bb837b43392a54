"""Each resource's list, detail, filters, ordering and search, against the seed dataset."""

import re
from decimal import Decimal

import pytest

from api.rest import filters
from treaty import queries, rules
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
)

PLAN = "us-28-point-plan"
RESOURCES = {
    "negotiations": Negotiation,
    "parties": Party,
    "people": Person,
    "sources": Source,
    "citations": Citation,
    "proposals": Proposal,
    "clauses": Clause,
    "positions": Position,
    "events": Event,
    "topics": Topic,
}


@pytest.mark.parametrize(("resource", "model"), RESOURCES.items())
def test_list_counts_every_record_and_links_each_by_slug(api, resource, model):
    body = api.ok(f"/{resource}/", {"page_size": 100})
    assert body["count"] == model.objects.count()
    first = model.objects.order_by(*model._meta.ordering).first()
    if first is None:
        pytest.fail(f"the seed dataset has no {resource}")
    item = body["results"][0]
    assert item["slug"] == first.slug
    assert item["url"] == f"http://testserver/api/v1/{resource}/{first.slug}/"
    detail = api.ok(f"/{resource}/{first.slug}/")
    assert detail["slug"] == first.slug
    assert detail["url"] == item["url"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_answers_are_publicly_cacheable(api, resource):
    response = api.get(f"/{resource}/")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=60" in response.headers["Cache-Control"]


# Clauses ---------------------------------------------------------------------------------------------------------


def test_the_28_point_plan_has_28_clauses_in_point_order(api):
    body = api.ok("/clauses/", {"proposal": PLAN, "page_size": 100})
    assert body["count"] == 28
    assert [item["number"] for item in body["results"]] == list(range(1, 29))
    assert {item["proposal"] for item in body["results"]} == {PLAN}


def test_clause_6_of_the_28_point_plan_caps_the_army_at_600000(api):
    [clause] = api.ok("/clauses/", {"proposal": PLAN, "number": 6})["results"]
    assert clause["slug"] == "us-28-point-plan-06"
    assert clause["topics"] == ["armed-forces-limits"]
    [cap] = clause["quantities"]
    assert cap["measure"] == "armed-forces-cap"
    assert cap["qualifier"] == "at-most"
    assert Decimal(str(cap["value"])) == 600_000
    assert cap["unit"] == "personnel"


def test_clause_detail_expands_proposal_topics_lineage_stances_and_citations(api):
    clause = Clause.objects.get(slug="us-28-point-plan-06")
    body = api.ok("/clauses/us-28-point-plan-06/")
    assert body["proposal"]["slug"] == PLAN
    assert body["proposal"]["title"] == clause.proposal.title
    assert [topic["slug"] for topic in body["topics"]] == ["armed-forces-limits"]
    # The E3 counterproposal raised the cap: its clause derives from this one.
    derivatives = {link["clause"]["slug"]: link for link in body["derivatives"]}
    assert derivatives["european-counterproposal-armed-forces-cap"]["change"] == "amended"
    assert derivatives["european-counterproposal-armed-forces-cap"]["derived_from"]["slug"] == clause.slug
    assert body["derived_from"] == []
    current = rules.current_positions(clause.positions.all())
    assert sorted(stance["slug"] for stance in body["stances"]) == sorted(p.slug for p in current)
    cited = {citation["slug"]: citation for citation in body["citations"]}
    assert set(cited) == set(clause.citations.values_list("slug", flat=True))
    for citation in clause.citations.all():
        assert cited[citation.slug]["quote"] == citation.quote
        assert cited[citation.slug]["source"]["slug"] == citation.source.slug
    assert body["history"] == "http://testserver/api/v1/clauses/us-28-point-plan-06/history/"


def test_clause_of_the_e3_counterproposal_names_800000_and_its_origin(api):
    body = api.ok("/clauses/european-counterproposal-armed-forces-cap/")
    [cap] = body["quantities"]
    assert (cap["measure"], Decimal(str(cap["value"]))) == ("armed-forces-cap", 800_000)
    [link] = body["derived_from"]
    assert link["derived_from"]["slug"] == "us-28-point-plan-06"
    assert link["citations"][0]["quote"] == "peacetime cap on Ukraine's forces of 800,000 instead of 600,000;"


def test_clauses_by_topic(api):
    expected = Clause.objects.filter(topics__slug="alliances-and-nato").values_list("slug", flat=True)
    found = api.slugs("/clauses/", {"topic": "alliances-and-nato"})
    assert "us-28-point-plan-07" in found
    assert sorted(found) == sorted(expected)


def test_clauses_by_several_topics_match_any_without_duplicates(api):
    found = api.slugs("/clauses/", {"topic": ["alliances-and-nato", "foreign-troops"], "proposal": PLAN})
    # Point 8 has both topics and appears once.
    assert found.count("us-28-point-plan-08") == 1
    assert set(found) == {f"us-28-point-plan-{n:02}" for n in (3, 4, 7, 8, 9)}


def test_clauses_by_state(api):
    found = api.slugs("/clauses/", {"state": "contested", "proposal": PLAN})
    assert set(found) == {f"us-28-point-plan-{n:02}" for n in (3, 5, 6, 7, 21)}


def test_clauses_by_negotiation(api):
    negotiation = Proposal.objects.get(slug=PLAN).negotiation
    found = api.slugs("/clauses/", {"negotiation": negotiation.slug, "page_size": 100})
    assert len(found) == Clause.objects.filter(proposal__negotiation=negotiation).count()


def _current_stances_on_clauses():
    return [p for p in rules.current_positions(Position.objects.all()) if p.clause_id]


def test_clauses_by_party_having_a_stance(api):
    positions = Position.objects.filter(clause__isnull=False)
    party = positions.values_list("party__slug", flat=True).first()
    assert party, "the seed dataset has no position on a clause"
    expected = set(positions.filter(party__slug=party).values_list("clause__slug", flat=True))
    assert set(api.slugs("/clauses/", {"party": party})) == expected


def test_clauses_by_stance_use_each_partys_current_stance(api):
    current = _current_stances_on_clauses()
    assert current, "the seed dataset has no position on a clause"
    stance = current[0].stance
    expected = {p.clause.slug for p in current if p.stance == stance}
    assert set(api.slugs("/clauses/", {"stance": stance})) == expected


def test_clauses_by_party_and_stance_mean_that_partys_stance(api):
    current = _current_stances_on_clauses()
    party, stance = current[0].party.slug, current[0].stance
    expected = {p.clause.slug for p in current if p.stance == stance and p.party.slug == party}
    assert set(api.slugs("/clauses/", {"stance": stance, "party": party})) == expected
    others = {p.stance for p in current if p.party.slug == party} ^ {stance}
    for other in others:
        assert current[0].clause.slug not in api.slugs("/clauses/", {"stance": other, "party": party})


def test_clauses_ordering(api):
    numbers = [c["number"] for c in api.ok("/clauses/", {"proposal": PLAN, "ordering": "-number"})["results"]]
    assert numbers == list(range(28, 8, -1))
    headings = [c["heading"] for c in api.ok("/clauses/", {"proposal": PLAN, "ordering": "heading"})["results"]]
    assert headings == sorted(Clause.objects.filter(proposal__slug=PLAN).values_list("heading", flat=True))[:20]


def test_clauses_search(api):
    found = api.slugs("/clauses/", {"q": "armed forces"})
    assert "us-28-point-plan-06" in found
    assert "us-28-point-plan-24" not in found


# Proposals -------------------------------------------------------------------------------------------------------


def test_proposal_detail_expands_clauses_authors_and_links_the_analyses(api):
    proposal = Proposal.objects.get(slug=PLAN)
    body = api.ok(f"/proposals/{PLAN}/")
    assert body["stated_point_count"] == 28
    assert [clause["number"] for clause in body["clauses"]] == list(range(1, 29))
    assert {author["slug"] for author in body["authors"]} == set(proposal.authors.values_list("slug", flat=True))
    assert body["negotiation"]["slug"] == proposal.negotiation.slug
    assert {p["slug"] for p in body["superseded_by"]} == {p.slug for p in proposal.superseded_by.all()}
    assert body["stance_matrix"].endswith(f"/api/v1/proposals/{PLAN}/stance-matrix/")
    current = rules.current_positions(proposal.positions.filter(clause=None))
    assert sorted(s["slug"] for s in body["stances"]) == sorted(p.slug for p in current)


def test_proposals_filters(api):
    assert set(api.slugs("/proposals/", {"kind": "counterproposal"})) == set(
        Proposal.objects.filter(kind="counterproposal").values_list("slug", flat=True)
    )
    assert PLAN in api.slugs("/proposals/", {"status": "superseded"})
    assert "us-ukraine-revised-framework" in api.slugs("/proposals/", {"author": "ukraine"})
    assert set(api.slugs("/proposals/", {"date_after": "2025-11-20", "date_before": "2025-11-23"})) == set(
        Proposal.objects.filter(date__range=("2025-11-20", "2025-11-23")).values_list("slug", flat=True)
    )
    published = api.slugs("/proposals/", {"text_published": "true"})
    assert set(published) == set(Proposal.objects.filter(text_published=True).values_list("slug", flat=True))
    assert PLAN in published


def test_proposals_ordering_by_date_descending(api):
    dates = [p["date"] for p in api.ok("/proposals/", {"ordering": "-date"})["results"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)


# Parties, people, topics, negotiations ---------------------------------------------------------------------------


def test_parties_and_people_are_found_by_alias(api):
    assert api.slugs("/parties/", {"name": "Kyiv"}) == ["ukraine"]
    assert "ukraine" in api.slugs("/parties/", {"q": "Kyiv"})
    zelensky = Person.objects.get(name__contains="Zelensky")
    for alias in zelensky.aliases:
        assert api.slugs("/people/", {"name": alias}) == [zelensky.slug]
        assert zelensky.slug in api.slugs("/people/", {"q": alias})


def test_party_detail_shows_roles_and_people(api):
    body = api.ok("/parties/united-states/")
    assert {role["role"] for role in body["roles"]} == set(
        Party.objects.get(slug="united-states").roles.values_list("role", flat=True)
    )
    assert "donald-trump" in {person["slug"] for person in body["people"]}


def test_people_by_party(api):
    assert set(api.slugs("/people/", {"party": "russia"})) == set(
        Person.objects.filter(party__slug="russia").values_list("slug", flat=True)
    )


def test_parties_by_kind_and_role(api):
    assert set(api.slugs("/parties/", {"kind": "state"})) == set(
        Party.objects.filter(kind="state").values_list("slug", flat=True)
    )
    mediators = api.slugs("/parties/", {"role": "mediator"})
    assert "united-states" in mediators


def test_topics_ordering_and_search(api):
    names = [t["name"] for t in api.ok("/topics/", {"ordering": "-name", "page_size": 100})["results"]]
    assert names == sorted(Topic.objects.values_list("name", flat=True), reverse=True)
    assert api.slugs("/topics/", {"q": "ceasefire"})[0] == "ceasefire"


def test_negotiation_detail_lists_parties_with_roles_and_proposals(api):
    negotiation = Negotiation.objects.get()
    body = api.ok(f"/negotiations/{negotiation.slug}/")
    assert {(p["party"]["slug"], p["role"]) for p in body["parties"]} == set(
        negotiation.party_roles.values_list("party__slug", "role")
    )
    assert {p["slug"] for p in body["proposals"]} == set(negotiation.proposals.values_list("slug", flat=True))
    assert body["timeline"].endswith(f"/api/v1/negotiations/{negotiation.slug}/timeline/")
    assert api.slugs("/negotiations/", {"party": "russia"}) == [negotiation.slug]


# Sources and citations -------------------------------------------------------------------------------------------


def test_source_detail_has_its_text_and_non_story_passages(api):
    source = Source.objects.exclude(text="").first()
    body = api.ok(f"/sources/{source.slug}/")
    assert body["has_text"] is True
    assert body["text"] == source.text
    assert [p["text"] for p in body["non_story_passages"]] == [p.text for p in source.non_story_passages.all()]
    assert "text" not in api.ok("/sources/")["results"][0]


def test_sources_filters(api):
    source = Source.objects.exclude(text="").first()
    assert source.slug in api.slugs("/sources/", {"outlet": source.outlet.upper()})
    assert set(api.slugs("/sources/", {"has_text": "false"})) == set(
        Source.objects.filter(text="").values_list("slug", flat=True)
    )
    assert set(api.slugs("/sources/", {"kind": source.kind})) == set(
        Source.objects.filter(kind=source.kind).values_list("slug", flat=True)
    )


def test_every_quote_is_in_its_sources_text(api):
    """Traceability: a citation's quote, as served, occurs in the source text, as served."""
    texts = {}
    for citation in api.ok("/citations/", {"page_size": 100})["results"]:
        if citation["quote"] and citation["verifiable"]:
            if citation["source"] not in texts:
                texts[citation["source"]] = api.ok(f"/sources/{citation['source']}/")["text"]
            assert citation["quote"] in texts[citation["source"]], citation["slug"]
    assert texts


def test_citations_by_source(api):
    source = Citation.objects.values_list("source__slug", flat=True).first()
    assert set(api.slugs("/citations/", {"source": source, "page_size": 100})) == set(
        Citation.objects.filter(source__slug=source).values_list("slug", flat=True)
    )


def test_citation_detail_expands_its_source(api):
    citation = Citation.objects.select_related("source").first()
    body = api.ok(f"/citations/{citation.slug}/")
    assert body["source"]["slug"] == citation.source.slug
    assert body["source"]["outlet"] == citation.source.outlet
    assert body["quote"] == citation.quote


# Positions and events --------------------------------------------------------------------------------------------


def test_position_detail_shows_speaker_basis_and_quotes(api):
    position = Position.objects.exclude(stated_by=None).select_related("stated_by").first()
    assert position, "the seed dataset has no position with a speaker"
    body = api.ok(f"/positions/{position.slug}/")
    assert body["stated_by"]["slug"] == position.stated_by.slug
    assert body["stated_by"]["name"] == position.stated_by.name
    assert body["basis"] == position.basis
    assert body["party"]["slug"] == position.party.slug
    assert [c["quote"] for c in body["citations"]] == [c.quote for c in position.citations.all()]


def test_positions_filters(api):
    position = Position.objects.exclude(clause=None).exclude(date=None).select_related("clause", "party").first()
    assert position, "the seed dataset has no dated position on a clause"

    def expected(**lookups):
        return set(Position.objects.filter(**lookups).values_list("slug", flat=True))

    assert set(api.slugs("/positions/", {"party": position.party.slug})) == expected(party=position.party)
    assert set(api.slugs("/positions/", {"clause": position.clause.slug})) == expected(clause=position.clause)
    assert set(api.slugs("/positions/", {"proposal": position.proposal.slug})) == expected(proposal=position.proposal)
    assert set(api.slugs("/positions/", {"stance": position.stance})) == expected(stance=position.stance)
    assert set(api.slugs("/positions/", {"basis": position.basis})) == expected(basis=position.basis)
    assert set(api.slugs("/positions/", {"whole_proposal": "true"})) == expected(clause=None)
    day = position.date.isoformat()
    assert set(api.slugs("/positions/", {"date_after": day, "date_before": day})) == expected(date=position.date)
    assert set(api.slugs("/positions/", {"date_after": day})) == expected(date__gte=position.date)


def test_positions_current_flag_and_filter(api):
    current = {p.slug for p in rules.current_positions(Position.objects.all())}
    results = api.ok("/positions/", {"page_size": 100})["results"]
    assert {p["slug"] for p in results if p["current"]} == current
    assert set(api.slugs("/positions/", {"current": "true"})) == current
    assert set(api.slugs("/positions/", {"current": "false"})) == {p["slug"] for p in results} - current


def test_positions_by_speaker(api):
    speaker = Position.objects.exclude(stated_by=None).values_list("stated_by__slug", flat=True).first()
    assert set(api.slugs("/positions/", {"speaker": speaker})) == set(
        Position.objects.filter(stated_by__slug=speaker).values_list("slug", flat=True)
    )


def test_events_filters(api):
    event = Event.objects.exclude(date=None).exclude(parties=None).first()
    assert event, "the seed dataset has no dated event with parties"
    party = event.parties.first()
    assert event.slug in api.slugs("/events/", {"participant": party.slug})
    assert set(api.slugs("/events/", {"participant": party.slug})) == set(
        Event.objects.filter(parties=party).values_list("slug", flat=True)
    )
    assert set(api.slugs("/events/", {"kind": event.kind})) == set(
        Event.objects.filter(kind=event.kind).values_list("slug", flat=True)
    )
    day = event.date.isoformat()
    assert event.slug in api.slugs("/events/", {"date_after": day, "date_before": day})
    before = api.slugs("/events/", {"date_before": day})
    assert all(e.date <= event.date for e in Event.objects.filter(slug__in=before))


def test_events_by_person_taking_part(api):
    event = Event.objects.exclude(people=None).first()
    assert event, "the seed dataset has no event with people"
    person = event.people.first()
    assert set(api.slugs("/events/", {"participant": person.slug})) == set(
        Event.objects.filter(people=person).values_list("slug", flat=True)
    )


def test_event_detail_expands_participants(api):
    event = Event.objects.exclude(parties=None).first()
    body = api.ok(f"/events/{event.slug}/")
    assert {p["slug"] for p in body["parties"]} == set(event.parties.values_list("slug", flat=True))
    assert {p["slug"] for p in body["people"]} == set(event.people.values_list("slug", flat=True))
    assert body["negotiation"]["slug"] == event.negotiation.slug


def test_lineage_is_served_for_every_link(api):
    for link in ClauseLineage.objects.select_related("clause", "derived_from"):
        body = api.ok(f"/clauses/{link.clause.slug}/")
        assert (link.derived_from.slug, link.change) in {
            (entry["derived_from"]["slug"], entry["change"]) for entry in body["derived_from"]
        }


# Every resource: ordering on each documented field, and free-text search -------------------------------------------

FILTER_SETS = {resource: filters.filterset_for(model) for resource, model in RESOURCES.items()}


@pytest.mark.parametrize(("resource", "model"), RESOURCES.items())
def test_every_ordering_field_sorts_both_ways(api, resource, model):
    for field in FILTER_SETS[resource].base_filters["ordering"].fields:
        for term in (field, f"-{field}"):
            expected = list(model.objects.order_by(term, "pk").values_list("slug", flat=True)[:100])
            first_page = api.ok(f"/{resource}/", {"ordering": term, "page_size": 100})["results"]
            assert [item["slug"] for item in first_page] == expected, term


def test_ordering_by_several_fields(api):
    expected = list(Position.objects.order_by("stance", "-date", "pk").values_list("slug", flat=True)[:100])
    assert api.slugs("/positions/", {"ordering": "stance,-date"}) == expected
    assert api.slugs("/positions/", {"ordering": ["stance", "-date"]}) == expected


@pytest.mark.parametrize(("resource", "model"), RESOURCES.items())
def test_every_resource_is_searchable(api, resource, model):
    record = model.objects.order_by("pk").first()
    field = queries.SEARCH_FIELDS[model][0][0]
    text = str(getattr(record, field))
    word = max(re.findall(r"[A-Za-z]{4,}", text), key=len)
    found = api.slugs(f"/{resource}/", {"q": word})
    assert record.slug in found
    nothing = api.ok(f"/{resource}/", {"q": "xylophonequartz"})
    assert nothing["count"] == 0
