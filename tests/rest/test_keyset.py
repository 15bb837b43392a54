"""The `next` and `previous` links seek (api/rest/pagination.py): walking a list by them gives exactly the rows
of its pages asked for by number, in the same order, on SQLite and PostgreSQL alike, with ties and NULLs in the
ordering columns; a cursor not made for the request is refused with 400; a write between pages neither repeats
nor skips a row."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.rest.views import ClauseViewSet
from tests.factories import build_world
from treaty import filtering, models
from treaty.models import Citation, Clause, Event, Negotiation, Position, Proposal, Source

API = "/api/v1"
LISTS = {
    "negotiations": Negotiation,
    "parties": models.Party,
    "people": models.Person,
    "sources": Source,
    "citations": Citation,
    "proposals": Proposal,
    "clauses": Clause,
    "positions": Position,
    "assessments": models.Assessment,
    "conflicts": models.Conflict,
    "events": Event,
    "topics": models.Topic,
}
SEARCHES = {"clauses": "ceasefire", "positions": "sanctions", "events": "talks", "proposals": "plan"}
PAGE_SIZE = 7


def orderings(resource):
    """None (the default order), each field both ways, and two fields at once."""
    fields = filtering.LISTINGS[LISTS[resource]].ordering
    return [None, *(term for field in fields for term in (field, f"-{field}")), f"-{fields[-1]},{fields[0]}"]


def path_of(link: str) -> tuple[str, dict]:
    parts = urlsplit(link)
    return parts.path, {name: values for name, values in parse_qs(parts.query).items()}


@pytest.fixture
def ties_and_nulls(world):
    """A second copy of the world (the same dates, numbers and offsets: ties) and NULLs in every nullable column a
    list orders by, beside the seed's own."""
    other = build_world("tied")
    Proposal.objects.filter(pk=other.plan.pk).update(date=None, date_latest=None, date_precision="")
    Source.objects.filter(pk__in=[s.pk for s in other.sources.values()][:2]).update(
        date=None, date_latest=None, date_precision=""
    )
    Clause.objects.filter(proposal=other.framework).update(number=None)
    Citation.objects.filter(pk__in=[c.pk for c in other.citations.values()][:3]).update(start=None, end=None)
    for model, records in ((Position, other.positions), (Event, other.events)):
        cleared = {"date": None, "date_latest": None, "date_precision": ""}
        if model is Event:
            cleared["end_date"] = None
        model.objects.filter(pk__in=[r.pk for r in records.values()][::2]).update(**cleared)
    Negotiation.objects.filter(pk=other.negotiation.pk).update(date=None, date_latest=None, date_precision="")
    return other


def by_number(api, resource, params):
    """The slugs of every page asked for by its number (OFFSET), in order."""
    slugs, page = [], 1
    while True:
        body = api.ok(f"/{resource}/", {**params, "page": page})
        slugs += [item["slug"] for item in body["results"]]
        if body["next"] is None:
            return slugs, body["count"]
        page += 1


def by_links(api, link_name, path, params):
    """The pages reached by following ``link_name`` from the page at path and params, each as its slugs."""
    pages = []
    while True:
        body = api.ok(path.removeprefix(API), params)
        pages.append([item["slug"] for item in body["results"]])
        link = body[link_name]
        if link is None:
            return pages, body
        path, params = path_of(link)


def test_following_next_gives_the_rows_of_the_numbered_pages_in_every_list_and_ordering(api, ties_and_nulls):
    walked = 0
    for resource in LISTS:
        cases = [{"ordering": ordering} if ordering else {} for ordering in orderings(resource)]
        if resource in SEARCHES:  # relevance, on PostgreSQL
            cases.append({"q": SEARCHES[resource]})
        for case in cases:
            params = {**case, "page_size": PAGE_SIZE}
            expected, count = by_number(api, resource, params)
            pages, last = by_links(api, "next", f"{API}/{resource}/", params)
            forward = [slug for page in pages for slug in page]
            assert forward == expected, (resource, case)
            assert len(forward) == count == len(set(forward)), (resource, case)
            # And back from the last page by `previous`: the same pages, in reverse.
            if last["previous"]:
                back, first = by_links(api, "previous", *path_of(last["previous"]))
                assert back[::-1] == pages[:-1], (resource, case)
                assert first["previous"] is None
            walked += len(pages)
    assert walked > 300  # the walks were long enough to cross ties and NULLs


def test_the_walk_crosses_ties_and_nulls(api, ties_and_nulls):
    """The data of the walk above has what it is meant to test: NULLs and ties across page boundaries."""
    assert Proposal.objects.filter(date__isnull=True).count() >= 2
    assert Clause.objects.filter(number__isnull=True).count() >= PAGE_SIZE
    assert Citation.objects.filter(start__isnull=True).exists()
    assert Position.objects.values("date").distinct().count() < Position.objects.count() - PAGE_SIZE


def test_links_carry_the_page_number_and_a_cursor(api, world):
    body = api.ok("/clauses/", {"page_size": 2})
    path, params = path_of(body["next"])
    assert params["page"] == ["2"] and params["cursor"]
    second = api.ok(path.removeprefix(API), params)
    assert path_of(second["previous"])[1] == {"page_size": ["2"]}  # the first page: no cursor needed
    third = api.ok(*(lambda p, q: (p.removeprefix(API), q))(*path_of(second["next"])))
    previous = path_of(third["previous"])[1]
    assert previous["page"] == ["2"] and previous["cursor"]
    assert third["count"] == body["count"]


def test_a_page_reached_by_next_costs_the_sql_of_one_asked_for_by_number(api, world):
    api.ok("/clauses/", {"page_size": 5})  # counts, and keeps the count
    with CaptureQueriesContext(connection) as numbered:
        body = api.ok("/clauses/", {"page_size": 5, "page": 2})
    with CaptureQueriesContext(connection) as sought:
        api.ok("/clauses/", path_of(api.ok("/clauses/", {"page_size": 5})["next"])[1])
    assert len(sought) == len(numbered)
    assert body["results"]


def cursor_of(link):
    return path_of(link)[1]["cursor"][0]


def test_a_malformed_or_changed_cursor_is_a_400(api, world):
    link = api.ok("/clauses/", {"page_size": 2})["next"]
    cursor = cursor_of(link)
    changed = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    for bad in ["", "x", "not-a-cursor", changed, cursor[::-1], "a" * 5000]:
        body = api.problem("/clauses/", {"page_size": 2, "page": 2, "cursor": bad})
        assert "cursor" in body["errors"], bad


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/positions/", {"page_size": 2, "page": 2}),  # another list's
        ("/clauses/", {"page_size": 2, "page": 2, "ordering": "-number"}),  # another ordering's
        ("/clauses/", {"page_size": 2, "page": 2, "needs_review": "false"}),  # another filter set's
        ("/clauses/", {"page_size": 3, "page": 2}),  # another page size's
    ],
)
def test_a_cursor_made_for_another_request_is_a_400(api, world, path, params):
    cursor = cursor_of(api.ok("/clauses/", {"page_size": 2})["next"])
    body = api.problem(path, {**params, "cursor": cursor})
    assert "made for another list, ordering, filter set or page size" in body["errors"]["cursor"][0]


def test_a_cursor_with_another_page_number_is_a_400(api, world):
    cursor = cursor_of(api.ok("/clauses/", {"page_size": 2})["next"])
    body = api.problem("/clauses/", {"page_size": 2, "page": 5, "cursor": cursor})
    assert "for page 2, not 5" in body["errors"]["cursor"][0]


def test_a_record_added_or_removed_between_pages_neither_repeats_nor_skips_a_row(api, world):
    params = {"page_size": 3, "ordering": "slug", "negotiation": world.negotiation.slug}
    first = api.ok("/clauses/", params)
    everything, _ = by_number(api, "clauses", params)
    seen = [item["slug"] for item in first["results"]]
    # Before the cursor: one row removed, one added; neither moves the rows after it.
    Clause.objects.filter(slug=seen[0]).delete()
    Clause.objects.create(proposal=world.plan, slug="aaa-inserted-first", heading="Inserted", text="Inserted.")
    second = api.ok("/clauses/", path_of(first["next"])[1])
    assert [item["slug"] for item in second["results"]] == everything[3:6]
    # The row right after the cursor removed: the page starts at the one after it, nothing skipped.
    Clause.objects.filter(slug=everything[3]).delete()
    again = api.ok("/clauses/", path_of(first["next"])[1])
    assert [item["slug"] for item in again["results"]] == everything[4:7]


def test_strict_query_parameters_accept_the_cursor_on_lists_only(api, world):
    assert "cursor" in ClauseViewSet().paginator.cursor_query_param
    body = api.problem(f"/clauses/{world.clauses['plan-1'].slug}/", {"cursor": "x"})
    assert "Unknown query parameter" in body["errors"]["cursor"][0]


def test_a_search_ranked_by_relevance_pages_by_number(api, world):
    """PostgreSQL ranks every match for any page, so a relevance-ordered search's links have no cursor; on SQLite
    a search keeps the list's order, and its links seek."""
    link = api.ok("/clauses/", {"q": "ceasefire", "page_size": 1})["next"]
    assert ("cursor" in path_of(link)[1]) == (connection.vendor != "postgresql")
    assert "cursor" in path_of(api.ok("/clauses/", {"q": "ceasefire", "page_size": 1, "ordering": "slug"})["next"])[1]
