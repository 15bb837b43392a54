"""Each resource's list, detail, filters, ordering and search, on a made-up negotiation (tests/factories.py)."""

import re
from datetime import date
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
def test_list_counts_every_record_and_links_each_by_slug(api, world, resource, model):
    scope, own = world.scope(resource), world.records(model)
    if "q" in scope:  # a search, which on PostgreSQL orders by relevance: the whole list instead, the world's in it
        scope, own = {}, model.objects.all()
        assert set(world.records(model)) <= set(own[:100])
    body = api.ok(f"/{resource}/", {**scope, "page_size": 100})
    assert body["count"] == own.count() > 0
    assert [item["slug"] for item in body["results"]] == list(own.values_list("slug", flat=True))
    first = own.first()
    item = body["results"][0]
    assert item["url"] == f"http://testserver/api/v1/{resource}/{first.slug}/"
    detail = api.ok(f"/{resource}/{first.slug}/")
    assert detail["slug"] == first.slug
    assert detail["url"] == item["url"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_answers_are_publicly_cacheable(api, resource):
    response = api.get(f"/{resource}/")
    assert response.status_code == 200
    # Shared caches may keep it but revalidate it (If-None-Match) on every use: never a stale copy.
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert response.headers["ETag"]


# Clauses ---------------------------------------------------------------------------------------------------------


def test_a_plan_has_its_clauses_in_point_order(api, world):
    plan = world.plan.slug
    body = api.ok("/clauses/", {"proposal": plan, "page_size": 100})
    assert body["count"] == 5
    assert [item["number"] for item in body["results"]] == [1, 2, 3, 4, 5]
    assert {item["proposal"] for item in body["results"]} == {plan}


def test_a_clause_found_by_number_shows_its_topics_and_quantities(api, world):
    [clause] = api.ok("/clauses/", {"proposal": world.plan.slug, "number": 2})["results"]
    assert clause["slug"] == world.clauses["plan-2"].slug
    assert clause["topics"] == [world.topics["troop-limits"].slug]
    [cap] = clause["quantities"]
    assert cap["measure"] == "armed-forces-cap"
    assert cap["qualifier"] == "at-most"
    assert Decimal(str(cap["value"])) == 50_000
    assert cap["unit"] == "personnel"


def test_clause_detail_expands_proposal_topics_lineage_stances_and_citations(api, world):
    clause = world.clauses["plan-2"]
    body = api.ok(f"/clauses/{clause.slug}/")
    assert body["proposal"]["slug"] == world.plan.slug
    assert body["proposal"]["title"] == world.plan.title
    assert [topic["slug"] for topic in body["topics"]] == [world.topics["troop-limits"].slug]
    # The joint framework raised the cap: its clause derives from this one.
    derivatives = {link["clause"]["slug"]: link for link in body["derivatives"]}
    newer = world.clauses["framework-1"].slug
    assert set(derivatives) == {newer}
    assert derivatives[newer]["change"] == "amended"
    assert derivatives[newer]["derived_from"]["slug"] == clause.slug
    assert body["derived_from"] == []
    # Southland's earlier "opposes" is history: only its later direction, and Northland's, are current.
    assert sorted(direction["slug"] for direction in body["stances"]) == sorted(
        world.positions[key].slug for key in ("southland-open-on-cap", "northland-supports-cap")
    )
    current = rules.current_positions(clause.positions.all())
    assert sorted(direction["slug"] for direction in body["stances"]) == sorted(p.slug for p in current)
    cited = {citation["slug"]: citation for citation in body["citations"]}
    assert set(cited) == {world.citations["plan-2"].slug}
    for citation in clause.citations.all():
        assert cited[citation.slug]["quote"] == citation.quote
        assert cited[citation.slug]["source"]["slug"] == citation.source.slug
    assert body["history"] == f"http://testserver/api/v1/clauses/{clause.slug}/history/"


def test_a_derived_clause_names_its_new_quantity_and_its_origin(api, world):
    body = api.ok(f"/clauses/{world.clauses['framework-1'].slug}/")
    [cap] = body["quantities"]
    assert (cap["measure"], Decimal(str(cap["value"]))) == ("armed-forces-cap", 80_000)
    [link] = body["derived_from"]
    assert link["derived_from"]["slug"] == world.clauses["plan-2"].slug
    assert link["citations"][0]["quote"] == "raises the cap on Southland’s forces to 80,000 instead of 50,000;"


def test_clauses_by_topic(api, world):
    topic = world.topics["alliance-membership"].slug
    expected = Clause.objects.filter(topics__slug=topic).values_list("slug", flat=True)
    found = api.slugs("/clauses/", {"topic": topic})
    assert (
        sorted(found) == sorted(expected) == sorted(world.clauses[k].slug for k in ("plan-3", "plan-5", "framework-3"))
    )


def test_clauses_by_several_topics_match_any_without_duplicates(api, world):
    topics = [world.topics["alliance-membership"].slug, world.topics["troop-limits"].slug]
    found = api.slugs("/clauses/", {"topic": topics, "proposal": world.plan.slug})
    # Point 5 has both topics and appears once.
    assert found.count(world.clauses["plan-5"].slug) == 1
    assert set(found) == {world.clauses[f"plan-{n}"].slug for n in (2, 3, 5)}
    assert len(found) == 3


def test_clauses_by_state(api, world):
    found = api.slugs("/clauses/", {"state": "contested", "negotiation": world.negotiation.slug})
    assert set(found) == {world.clauses[k].slug for k in ("plan-2", "plan-3", "framework-1")}


def test_clauses_by_negotiation(api, world):
    found = api.slugs("/clauses/", {"negotiation": world.negotiation.slug, "page_size": 100})
    assert sorted(found) == sorted(c.slug for c in world.clauses.values())
    assert len(found) == 8


def _current_stances_on_clauses(world):
    return [p for p in rules.current_positions(world.records(Position)) if p.clause_id]


def test_clauses_by_party_having_a_stance(api, world):
    party = world.parties["southland"].slug
    expected = set(
        Position.objects.filter(holder__slug=party).exclude(clause=None).values_list("clause__slug", flat=True)
    )
    assert expected == {world.clauses[k].slug for k in ("plan-2", "plan-3", "framework-1")}
    assert set(api.slugs("/clauses/", {"party": party})) == expected


def test_clauses_by_stance_use_each_partys_current_stance(api, world):
    # Southland opposed the plan's cap, then became open to it: that clause is no longer "opposed".
    found = set(api.slugs("/clauses/", {"direction": "opposes", "negotiation": world.negotiation.slug}))
    assert found == {world.clauses["framework-1"].slug}
    current = _current_stances_on_clauses(world)
    for direction in {p.direction for p in current}:
        expected = {p.clause.slug for p in current if p.direction == direction}
        assert set(api.slugs("/clauses/", {"direction": direction, "negotiation": world.negotiation.slug})) == expected


def test_clauses_by_party_and_stance_mean_that_partys_stance(api, world):
    southland, northland = world.parties["southland"].slug, world.parties["northland"].slug
    # Northland supports the plan's cap; Southland is open to it. Together: neither party supports it.
    assert api.slugs("/clauses/", {"direction": "supports", "party": northland}) == [world.clauses["plan-2"].slug]
    assert api.slugs("/clauses/", {"direction": "supports", "party": southland}) == []
    current = _current_stances_on_clauses(world)
    for party in (southland, northland):
        for direction in {p.direction for p in current if p.holder.slug == party}:
            expected = {p.clause.slug for p in current if p.direction == direction and p.holder.slug == party}
            assert set(api.slugs("/clauses/", {"direction": direction, "party": party})) == expected


def test_clauses_ordering(api, world):
    plan = world.plan.slug
    numbers = [c["number"] for c in api.ok("/clauses/", {"proposal": plan, "ordering": "-number"})["results"]]
    assert numbers == [5, 4, 3, 2, 1]
    params = {"proposal": plan, "ordering": "heading", "page_size": 3}
    headings = [c["heading"] for c in api.ok("/clauses/", params)["results"]]
    assert headings == ["Alliance neutrality", "Armed forces cap", "Ceasefire"]


def test_clauses_search(api, world):
    found = api.slugs("/clauses/", {"q": "armed forces", "proposal": world.plan.slug})
    assert found == [world.clauses["plan-2"].slug]
    assert world.clauses["plan-4"].slug not in api.slugs("/clauses/", {"q": "armed forces"})


# Proposals -------------------------------------------------------------------------------------------------------


def test_proposal_detail_expands_clauses_authors_and_links_the_analyses(api, world):
    plan = world.plan.slug
    body = api.ok(f"/proposals/{plan}/")
    assert body["stated_point_count"] == 5
    assert [clause["number"] for clause in body["clauses"]] == [1, 2, 3, 4, 5]
    assert {author["slug"] for author in body["authors"]} == {world.parties["northland"].slug}
    assert body["negotiation"]["slug"] == world.negotiation.slug
    assert {p["slug"] for p in body["superseded_by"]} == {world.framework.slug}
    assert body["stance_matrix"].endswith(f"/api/v1/proposals/{plan}/stance-matrix/")
    assert sorted(s["slug"] for s in body["stances"]) == sorted(
        world.positions[key].slug for key in ("northland-proposes-plan", "southland-rejects-plan")
    )


def test_proposals_filters(api, world):
    own = {"negotiation": world.negotiation.slug}
    assert api.slugs("/proposals/", {**own, "kind": "framework"}) == [world.framework.slug]
    assert set(api.slugs("/proposals/", {"kind": ["plan", "demands"], **own})) == {world.plan.slug, world.demands.slug}
    assert world.plan.slug in api.slugs("/proposals/", {"status": "superseded"})
    assert api.slugs("/proposals/", {**own, "status": "superseded"}) == [world.plan.slug]
    southland = world.parties["southland"].slug
    assert api.slugs("/proposals/", {"author": southland}) == [world.demands.slug, world.framework.slug]
    assert api.slugs("/proposals/", {"date_after": "2031-03-01", "date_before": "2031-03-11"}) == [world.plan.slug]
    published = api.slugs("/proposals/", {**own, "text_published": "true"})
    assert published == [world.plan.slug]
    assert set(api.slugs("/proposals/", {**own, "text_published": "false"})) == {
        world.framework.slug,
        world.demands.slug,
    }


def test_proposals_ordering_by_date_descending(api, world):
    found = api.slugs("/proposals/", {"negotiation": world.negotiation.slug, "ordering": "-date"})
    assert found == [world.framework.slug, world.plan.slug, world.demands.slug]


# Parties, people, topics, negotiations ---------------------------------------------------------------------------


def test_parties_and_people_are_found_by_alias(api, world):
    assert api.slugs("/parties/", {"name": "Nordia"}) == [world.parties["northland"].slug]
    assert world.parties["northland"].slug in api.slugs("/parties/", {"q": "Nordia"})
    norberg = world.people["anna-norberg"]
    assert norberg.aliases
    for alias in norberg.aliases:
        assert api.slugs("/people/", {"name": alias}) == [norberg.slug]
        assert norberg.slug in api.slugs("/people/", {"q": alias})


def test_party_detail_shows_roles_and_people(api, world):
    body = api.ok(f"/parties/{world.parties['northland'].slug}/")
    assert {role["role"] for role in body["roles"]} == {"belligerent"}
    assert {person["slug"] for person in body["people"]} == {world.people["anna-norberg"].slug}
    mediator = api.ok(f"/parties/{world.parties['eastmark'].slug}/")
    assert {role["role"] for role in mediator["roles"]} == {"mediator"}


def test_people_by_party(api, world):
    assert api.slugs("/people/", {"party": world.parties["southland"].slug}) == [world.people["sven-sudberg"].slug]
    both = [world.parties["southland"].slug, world.parties["eastmark"].slug]
    assert set(api.slugs("/people/", {"party": both})) == {
        world.people[k].slug for k in ("sven-sudberg", "erik-eastman")
    }


def test_parties_by_kind_and_role(api, world):
    own = {"negotiation": world.negotiation.slug}
    states = {world.parties[k].slug for k in ("northland", "southland", "eastmark", "westmark")}
    assert set(api.slugs("/parties/", {**own, "kind": "state"})) == states
    assert world.parties["far-isles"].slug in api.slugs("/parties/", {"kind": "organisation"})
    assert api.slugs("/parties/", {**own, "role": "mediator"}) == [world.parties["eastmark"].slug]
    assert world.parties["eastmark"].slug in api.slugs("/parties/", {"role": "mediator"})


def test_topics_ordering_and_search(api, world):
    params = {**world.scope("topics"), "ordering": "-name", "page_size": 100}
    names = [t["name"] for t in api.ok("/topics/", params)["results"]]
    assert names == ["Troop limits", "Lake ceasefire", "Lake borders", "Alliance membership"]
    assert api.slugs("/topics/", {"q": "ceasefire"})[0] in {world.topics["lake-ceasefire"].slug, "ceasefire"}
    assert world.topics["lake-ceasefire"].slug in api.slugs("/topics/", {"q": "ceasefire"})


def test_negotiation_detail_lists_parties_with_roles_and_proposals(api, world):
    negotiation = world.negotiation
    body = api.ok(f"/negotiations/{negotiation.slug}/")
    p = world.parties
    assert {(party["party"]["slug"], party["role"]) for party in body["parties"]} == {
        (p["northland"].slug, "belligerent"),
        (p["southland"].slug, "belligerent"),
        (p["eastmark"].slug, "mediator"),
        (p["westmark"].slug, "host"),
        (p["river-league"].slug, "guarantor"),
        (p["harbour-alliance"].slug, "observer"),
    }
    assert {proposal["slug"] for proposal in body["proposals"]} == {q.slug for q in world.proposals}
    assert body["timeline"].endswith(f"/api/v1/negotiations/{negotiation.slug}/timeline/")
    assert api.slugs("/negotiations/", {"party": p["southland"].slug}) == [negotiation.slug]
    assert api.slugs("/negotiations/", {"party": p["far-isles"].slug}) == []


# Sources and citations -------------------------------------------------------------------------------------------


def test_source_detail_has_its_text_and_non_story_passages(api, world):
    source = world.sources["report"]
    body = api.ok(f"/sources/{source.slug}/")
    assert body["has_text"] is True
    assert body["text"] == source.text
    assert [p["text"] for p in body["non_story_passages"]] == ["Sign up for the Lakeside Herald newsletter."]
    assert "text" not in api.ok("/sources/", world.scope("sources"))["results"][0]
    assert api.ok(f"/sources/{world.sources['column'].slug}/")["has_text"] is False


def test_sources_filters(api, world):
    own = world.scope("sources")
    herald = {world.sources["report"].slug, world.sources["column"].slug}
    assert set(api.slugs("/sources/", {**own, "outlet": "LAKESIDE HERALD"})) == herald
    assert set(api.slugs("/sources/", {"outlet": "lakeside herald"})) == herald
    assert api.slugs("/sources/", {**own, "has_text": "false"}) == [world.sources["column"].slug]
    assert api.slugs("/sources/", {**own, "kind": "news-report"}) == [world.sources["report"].slug]
    assert api.slugs("/sources/", {**own, "kind": "published-text"}) == [world.sources["gazette"].slug]


def test_every_quote_is_in_its_sources_text(api, world):
    """Traceability: a citation's quote, as served, occurs in the source text, as served."""
    texts = {}
    citations = api.ok("/citations/", {**world.scope("citations"), "page_size": 100})["results"]
    assert len(citations) == world.records(Citation).count()
    for citation in citations:
        if citation["quote"] and citation["checked"]:
            if citation["source"] not in texts:
                texts[citation["source"]] = api.ok(f"/sources/{citation['source']}/")["text"]
            assert citation["quote"] in texts[citation["source"]], citation["slug"]
    assert set(texts) == {world.sources["gazette"].slug, world.sources["report"].slug}


def test_citations_by_source(api, world):
    source = world.sources["report"]
    found = api.slugs("/citations/", {"source": source.slug, "page_size": 100})
    assert set(found) == set(Citation.objects.filter(source=source).values_list("slug", flat=True))
    assert world.citations["cap-raised"].slug in found
    assert world.citations["plan-2"].slug not in found


def test_citation_detail_expands_its_source(api, world):
    citation = world.citations["cap-raised"]
    body = api.ok(f"/citations/{citation.slug}/")
    assert body["source"]["slug"] == world.sources["report"].slug
    assert body["source"]["outlet"] == "Lakeside Herald"
    assert body["quote"] == citation.quote
    assert (body["start"], body["end"]) == (citation.start, citation.end)
    assert world.sources["report"].text[citation.start : citation.end] == citation.quote


# Positions and events --------------------------------------------------------------------------------------------


def test_position_detail_shows_speaker_basis_and_quotes(api, world):
    position = world.positions["northland-accepts-new-cap"]
    body = api.ok(f"/positions/{position.slug}/")
    assert body["speaker"]["slug"] == world.people["anna-norberg"].slug
    assert body["speaker"]["name"] == "Anna Norberg"
    assert body["basis"] == "outlet-inference"
    assert body["holder"]["slug"] == world.parties["northland"].slug
    assert [c["quote"] for c in body["citations"]] == ["would accept the new cap"]


def test_positions_filters(api, world):
    own = world.scope("positions")
    position = world.positions["southland-opposes-cap"]

    def expected(**lookups):
        return set(world.records(Position).filter(**lookups).values_list("slug", flat=True))

    def found(**params):
        return set(api.slugs("/positions/", {**own, **params}))

    assert found(holder=position.holder.slug) == expected(holder=position.holder) != expected()
    assert found(clause=position.clause.slug) == expected(clause=position.clause) != expected()
    assert set(api.slugs("/positions/", {"clause": position.clause.slug})) == expected(clause=position.clause)
    assert found(proposal=world.plan.slug) == expected(proposal=world.plan) != expected()
    assert found(direction=position.direction) == expected(direction=position.direction) != expected()
    assert found(basis=position.basis) == expected(basis=position.basis) != expected()
    assert found(whole_proposal="true") == expected(clause=None) != expected()
    assert found(whole_proposal="false") == expected(clause__isnull=False) != expected()
    day = position.date.isoformat()
    # Dates are intervals: a filter finds every record whose interval overlaps the range (a week-precise one too).
    overlapping = expected(date__lte=position.date, date_latest__gte=position.date)
    assert found(date_after=day, date_before=day) == overlapping
    assert position.slug in overlapping and world.positions["eastmark-supports-ceasefire"].slug in overlapping
    assert found(date_after=day) == expected(date_latest__gte=position.date) != expected()


def test_positions_current_flag_and_filter(api, world):
    current = {p.slug for p in rules.current_positions(world.records(Position))}
    history = {world.positions["southland-opposes-cap"].slug}
    assert current == set(world.records(Position).values_list("slug", flat=True)) - history
    results = api.ok("/positions/", {**world.scope("positions"), "page_size": 100})["results"]
    assert {p["slug"] for p in results if p["current"]} == current
    assert set(api.slugs("/positions/", {**world.scope("positions"), "current": "true"})) == current
    assert set(api.slugs("/positions/", {**world.scope("positions"), "current": "false"})) == history


def test_positions_by_speaker(api, world):
    speaker = world.people["anna-norberg"].slug
    assert set(api.slugs("/positions/", {"speaker": speaker})) == {
        world.positions[k].slug
        for k in ("northland-proposes-plan", "northland-supports-cap", "northland-accepts-new-cap")
    }


def test_events_filters(api, world):
    own = world.scope("events")
    e, p = world.events, world.parties
    assert set(api.slugs("/events/", {"participant": p["eastmark"].slug})) == {
        e["first-round"].slug,
        e["framework-presented"].slug,
    }
    assert set(api.slugs("/events/", {**own, "kind": "talks"})) == {e["first-round"].slug}
    assert set(api.slugs("/events/", {**own, "kind": ["talks", "meeting"]})) == {
        e["first-round"].slug,
        e["leaders-meeting"].slug,
    }
    assert api.slugs("/events/", {**own, "date_after": "2031-03-05", "date_before": "2031-03-05"}) == [
        e["plan-published"].slug
    ]
    # An event spanning several days is found on any of them.
    assert e["first-round"].slug in api.slugs(
        "/events/", {**own, "date_after": "2031-03-09", "date_before": "2031-03-09"}
    )
    before = api.slugs("/events/", {**own, "date_before": "2031-03-08"})
    assert set(before) == {e["plan-published"].slug, e["first-round"].slug}
    assert all(event.date <= date(2031, 3, 8) for event in Event.objects.filter(slug__in=before))
    assert api.slugs("/events/", {**own, "proposal": world.framework.slug}) == [e["framework-presented"].slug]


def test_events_by_person_taking_part(api, world):
    person = world.people["sven-sudberg"]
    assert set(api.slugs("/events/", {"participant": person.slug})) == {
        world.events[k].slug for k in ("first-round", "framework-presented")
    }


def test_event_detail_expands_participants(api, world):
    event = world.events["first-round"]
    body = api.ok(f"/events/{event.slug}/")
    assert {p["slug"] for p in body["parties"]} == {
        world.parties[k].slug for k in ("northland", "southland", "eastmark")
    }
    assert {p["slug"] for p in body["people"]} == {
        world.people[k].slug for k in ("anna-norberg", "sven-sudberg", "erik-eastman")
    }
    assert body["negotiation"]["slug"] == world.negotiation.slug
    assert (body["end_date"], body["place"]) == ("2031-03-10", "Westmark Castle")


def test_lineage_is_served_for_every_link(api, world):
    links = world.records(ClauseLineage).select_related("clause", "derived_from")
    assert links.count() == 4
    for link in links:
        body = api.ok(f"/clauses/{link.clause.slug}/")
        assert (link.derived_from.slug, link.change) in {
            (entry["derived_from"]["slug"], entry["change"]) for entry in body["derived_from"]
        }


# Every resource: ordering on each documented field, and free-text search -------------------------------------------

FILTER_SETS = {resource: filters.filterset_for(model) for resource, model in RESOURCES.items()}


@pytest.mark.parametrize(("resource", "model"), RESOURCES.items())
def test_every_ordering_field_sorts_both_ways(api, world, resource, model):
    """Ties come in creation order, so a descending order is exactly the ascending one reversed."""
    own = world.records(model)
    for field in FILTER_SETS[resource].base_filters["ordering"].fields:
        ascending = list(own.order_by(field, "pk").values_list("slug", flat=True))
        for term, expected in ((field, ascending), (f"-{field}", ascending[::-1])):
            params = {**world.scope(resource), "ordering": term, "page_size": 100}
            assert [item["slug"] for item in api.ok(f"/{resource}/", params)["results"]] == expected, term


def test_ordering_by_several_fields(api, world):
    own = world.scope("positions")
    expected = list(world.records(Position).order_by("direction", "-date", "-pk").values_list("slug", flat=True))
    assert expected != list(world.records(Position).order_by("direction", "date", "pk").values_list("slug", flat=True))
    assert api.slugs("/positions/", {**own, "ordering": "direction,-date"}) == expected
    assert api.slugs("/positions/", {**own, "ordering": ["direction", "-date"]}) == expected


@pytest.mark.parametrize(("resource", "model"), RESOURCES.items())
def test_every_resource_is_searchable(api, world, resource, model):
    record = world.records(model).order_by("pk").first()
    field = queries.SEARCH_FIELDS[model][0][0]
    text = str(getattr(record, field))
    word = max(re.findall(r"[A-Za-z]{4,}", text), key=len)
    found = api.slugs(f"/{resource}/", {"q": word})
    assert record.slug in found
    nothing = api.ok(f"/{resource}/", {"q": "xylophonequartz"})
    assert nothing["count"] == 0
