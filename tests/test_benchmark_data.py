"""The benchmark's data generator: N× the seed, in the seed's proportions, deterministic, sound, and seen at once
by the cached API."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from treaty import filtering
from treaty.dataset import check_dataset
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    NonStoryPassage,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
)

pytestmark = pytest.mark.django_db

GROWN = [Negotiation, Source, NonStoryPassage, Proposal, Clause, ClauseLineage, Quantity, Position, Event, Citation]


def counts():
    # Assessments are not copied (they are not stances), nor the numbers they name.
    records = {model: model.objects.all() for model in [*GROWN, Topic]}
    records[Quantity] = Quantity.objects.filter(assessment=None)
    return {model.__name__: queryset.count() for model, queryset in records.items()}


def test_scale_three_triples_each_fact_with_its_citations_and_is_repeatable():
    seed = counts()
    call_command("benchmark_data", scale=3, verbosity=0)
    grown = counts()
    assert {name: grown[name] for name in seed if name != "Topic"} == {
        name: 3 * count for name, count in seed.items() if name != "Topic"
    }
    assert grown["Topic"] == seed["Topic"]  # the taxonomy is shared
    copy = Clause.objects.get(slug="us-28-point-plan-06-b2")
    original = Clause.objects.get(slug="us-28-point-plan-06")
    assert copy.proposal.slug == "us-28-point-plan-b2"
    assert copy.heading == original.heading
    assert set(copy.topics.values_list("slug", flat=True)) == set(original.topics.values_list("slug", flat=True))
    assert copy.citations.count() == original.citations.count()
    assert not copy.citations.filter(pk__in=original.citations.all()).exists()
    # told by copies of the seed's sources: the same quote at the same place of the same text
    pairs = {c.slug.removesuffix("-b2"): c for c in copy.citations.select_related("source")}
    for cited in original.citations.select_related("source"):
        twin = pairs[cited.slug]
        assert twin.source.slug == f"{cited.source.slug}-b2"
        assert (twin.quote, twin.start, twin.source.text) == (cited.quote, cited.start, cited.source.text)
    assert copy.positions.count() == original.positions.count()
    assert check_dataset() == []
    call_command("benchmark_data", scale=3, verbosity=0)
    assert counts() == grown


def test_copy_k_happens_k_weeks_before_the_seed_and_its_dates_stay_valid():
    call_command("benchmark_data", scale=3, verbosity=0)
    for model in (Negotiation, Source, Proposal, Position, Event):
        dated = [record for record in model.objects.exclude(slug__regex=r"-b[0-9]+$") if record.date is not None]
        assert dated or model is Negotiation, model  # the seed's negotiation has no date of its own
        for k in (1, 2):
            for original in dated:
                copy = model.objects.get(slug=f"{original.slug}-b{k}")
                assert copy.date_precision == original.date_precision
                weeks = datetime.timedelta(weeks=k)
                if original.date_precision in ("day", "week"):
                    assert (copy.date, copy.date_latest) == (original.date - weeks, original.date_latest - weeks)
                else:  # the first day of the month or year k weeks earlier
                    assert original.date - weeks - datetime.timedelta(days=366) < copy.date <= original.date - weeks
                assert copy.date_latest >= copy.date
                if original.date_resolved_against:
                    assert copy.date_resolved_against == original.date_resolved_against - weeks
                if getattr(original, "end_date", None):
                    assert copy.end_date == original.end_date - weeks
                copy.full_clean()  # the model's own date rules (precision, interval) hold
    assert check_dataset() == []


def test_the_generated_data_is_served_at_once_despite_the_cache():
    client = Client()
    before = client.get("/api/v1/clauses/", {"page_size": 1}).json()["count"]
    client.get("/api/v1/clauses/", {"page_size": 1})  # cached now
    call_command("benchmark_data", scale=2, verbosity=0)  # bulk inserts: no signals, an explicit bump
    assert client.get("/api/v1/clauses/", {"page_size": 1}).json()["count"] == 2 * before


def test_benchmark_lists_measures_every_filter_and_ordering_of_every_list(tmp_path):
    """The flat-cost benchmark runs (it asserts nothing about speed): every declared filter and ordering of every
    REST list gets a first page that answers 200, with its SQL counted, in both counting modes."""
    figures = tmp_path / "lists.json"
    call_command("benchmark_lists", repeat=1, json_path=str(figures), stdout=io.StringIO())
    results = json.loads(figures.read_text())
    declared = sum(
        len(filtering.LISTINGS[model].filters) + len(filtering.LISTINGS[model].ordering)
        for model in (Negotiation, Proposal, Clause, Position, Event, Citation)
    )
    assert len(results) > declared
    for name, row in results.items():
        assert row["counted"]["status"] == row["kept"]["status"] == 200, (name, row["path"])
        assert row["counted"]["queries"] >= 1
        assert row["kept"]["p95"] > 0
    assert results["clause"]["counted"]["rows"] == 20  # a full first page, which the table shows beside the seed's
    searches = ("clause ?q", "position ?q", "event ?q", "proposal ?q", "position ?q&ordering=-date")
    for name in (*searches, "source ?outlet", "party ?name"):
        assert results[name]["counted"]["rows"] > 0, name  # each search and text filter measures a match
    assert "page=" in results["clause page=last by number"]["path"]
    assert "cursor=" in results["clause page=last by next"]["path"]  # the documented way: a `next` link
    assert "cursor=" in results["position ?ordering=-date page=last by next"]["path"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_on_postgresql_the_generator_is_not_bound_by_a_requests_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "0"  # the settings give every connection a budget
        call_command("benchmark_data", scale=2, verbosity=0)
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
