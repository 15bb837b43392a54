"""The seed through the public APIs: numbers on every record that names them, citations linked both ways, and
a sample of the facts the fact-check verified by hand (pinned, so a re-coding cannot silently lose them)."""

import pytest
from django.db import connection

from tests.graphql.conftest import post
from treaty.models import Citation, Event, Person, Position, Quantity

pytestmark = pytest.mark.django_db

RESOURCE = {"clause": "clauses", "position": "positions", "assessment": "assessments", "event": "events"}


def rest(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.content
    return response.json()


def graphql(client, query):
    body = post(client, query).json()
    assert "errors" not in body, body
    return body["data"]


def as_served(quantity: Quantity) -> dict:
    return {
        "measure": quantity.measure,
        "qualifier": quantity.qualifier,
        "value": float(quantity.value),
        "unit": quantity.unit,
        "note": quantity.note,
    }


def test_every_quantity_is_served_on_the_record_that_names_it(client):
    quantities = list(Quantity.objects.all())
    owners = {quantity.owner_kind for quantity in quantities}
    assert owners == {"clause", "position", "assessment", "event"}, "the seed has numbers on every kind of record"
    for quantity in quantities:
        record = rest(client, f"{RESOURCE[quantity.owner_kind]}/{quantity.owner.slug}/")
        assert as_served(quantity) in record["quantities"]
    data = graphql(
        client,
        "{ quantityList(pagination: {limit: 100}) { totalCount results { measure "
        "clause { slug } position { slug } assessment { slug } event { slug } } } }",
    )["quantityList"]
    assert data["totalCount"] == len(quantities)
    served = {
        (row["measure"], kind, row[kind]["slug"])
        for row in data["results"]
        for kind in RESOURCE
        if row[kind] is not None
    }
    assert served == {(q.measure, q.owner_kind, q.owner.slug) for q in quantities}


def test_the_rest_lists_carry_the_quantities_too(client):
    event = Quantity.objects.filter(event__isnull=False).select_related("event").first().event
    rows = rest(client, f"events/?q={event.title}&page_size=100")["results"]
    assert {q["measure"] for q in next(r for r in rows if r["slug"] == event.slug)["quantities"]} == set(
        event.quantities.values_list("measure", flat=True)
    )


@pytest.mark.parametrize(
    ("kind", "graphql_field"),
    [("position", "positions"), ("assessment", "assessments"), ("event", "events"), ("person", "people")],
)
def test_a_citation_links_back_to_every_record_it_supports_in_both_apis(client, kind, graphql_field):
    citation = Citation.objects.filter(**{f"cited_by_{kind}__isnull": False}).first()
    expected = set(getattr(citation, f"cited_by_{kind}").values_list("slug", flat=True))
    supports = rest(client, f"citations/{citation.slug}/")["supports"]
    assert set(supports[graphql_field]) == expected
    data = graphql(client, f'{{ citation(slug: "{citation.slug}") {{ {graphql_field} {{ slug }} }} }}')["citation"]
    assert {row["slug"] for row in data[graphql_field]} == expected
    for slug in expected:  # and each record cites it
        record = rest(client, f"{RESOURCE.get(kind, 'people')}/{slug}/")
        assert citation.slug in {c["slug"] for c in record["citations"]}


def test_hand_checked_facts_stay_correct(client):
    # The 28-point plan caps Ukraine's armed forces at 600,000 and holds elections within 100 days.
    cap = rest(client, "clauses/us-28-point-plan-06/")["quantities"]
    assert {"measure": "armed-forces-cap", "qualifier": "at-most", "value": 600000.0, "unit": "personnel"}.items() <= (
        next(q for q in cap if q["measure"] == "armed-forces-cap").items()
    )
    elections = rest(client, "clauses/us-28-point-plan-25/")["quantities"]
    assert [(q["measure"], q["qualifier"], q["value"], q["unit"]) for q in elections] == [
        ("elections-deadline", "within", 100.0, "days")
    ]
    # Relative dates resolved against the article's date: "last month" in a 26 November column is October.
    october = rest(client, "events/trump-zelensky-oval-office-october/")
    assert (october["date"], october["date_latest"], october["date_precision"]) == ("2025-10-01", "2025-10-31", "month")
    assert (october["date_expression"], october["date_resolved_against"]) == ("last month", "2025-11-26")
    # A month-precise date is the whole month, not its 1st: Anchorage is "August", to its last day.
    anchorage = graphql(client, '{ event(slug: "anchorage-summit") { date dateLatest datePrecision dateDisplay } }')[
        "event"
    ]
    assert anchorage == {
        "date": "2025-08-01",
        "dateLatest": "2025-08-31",
        "datePrecision": "MONTH",
        "dateDisplay": "August 2025",
    }


def slugs(client, path):
    return {row["slug"] for row in rest(client, path)["results"]}


def test_the_searches_of_the_readme_find_what_a_reader_types(client):
    kyiv_events = set(Event.objects.filter(place__icontains="Kyiv").values_list("slug", flat=True))
    assert kyiv_events and kyiv_events <= slugs(client, "events/?q=Kiev&page_size=100")
    zelensky = Person.objects.get(slug="volodymyr-zelensky")
    stated = set(Position.objects.filter(speaker=zelensky).values_list("slug", flat=True))
    assert stated and stated <= slugs(client, "positions/?q=Zelenskiy&page_size=100")
    assert "us-28-point-plan-06" in slugs(client, "clauses/?q=army")


@pytest.mark.parametrize(("typed", "person"), [("Zelenskii", "volodymyr-zelensky"), ("Kyslitsya", "sergiy-kyslytsya")])
def test_a_misspelt_name_finds_the_person_on_postgresql_and_nothing_on_sqlite(client, typed, person):
    found = slugs(client, f"people/?q={typed}")
    if connection.vendor == "postgresql":
        assert person in found
    else:
        assert found == set(), "README: on SQLite only stored spellings match"
