"""The seed dataset is sound: every fact cited, every quote verbatim, the 28 points complete."""

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from treaty import rules
from treaty.dataset import CITED_MODELS, SEED_SLUG_STYLE, check_dataset
from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
)

pytestmark = pytest.mark.django_db

SOURCES_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"
SLUGGED_MODELS = [Topic, Party, Person, Source, Citation, Negotiation, Proposal, Clause, Position, Event]
DATED_MODELS = [Source, Negotiation, Proposal, Position, Event]


def stored_file(source):
    return SOURCES_DIR / f"{source.slug}.txt"


def test_the_seed_dataset_passes_the_checker():
    assert check_dataset() == []


def test_source_files_are_unchanged_copies_of_the_corpus():
    manifest = (SOURCES_DIR / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in manifest:
        digest, name = line.split("  ")
        listed[name] = digest
    assert sorted(listed) == sorted(path.name for path in SOURCES_DIR.glob("*.txt"))
    for name, digest in listed.items():
        assert hashlib.sha256((SOURCES_DIR / name).read_bytes()).hexdigest() == digest, name


def test_every_source_file_is_stored_byte_for_byte_in_its_source():
    files = sorted(SOURCES_DIR.glob("*.txt"))
    assert files
    for path in files:
        source = Source.objects.get(slug=path.stem)
        assert source.text.encode("utf-8") == path.read_bytes(), path.name


def test_the_five_articles_name_their_corpus_file_and_external_texts_have_no_stored_text():
    articles = Source.objects.exclude(tier="external-text")
    assert articles.count() == 5
    for source in articles:
        assert "Corpus file 00" in source.notes and source.has_text
    external = Source.objects.filter(tier="external-text")
    assert set(external.values_list("outlet", flat=True)) >= {"Axios", "Reuters", "Financial Times"}
    for source in external:
        assert not source.has_text and re.search(r"not (a )?checked", source.notes)


def test_the_degraded_copies_and_the_column_say_what_they_are():
    tiers = dict(Source.objects.values_list("slug", "tier"))
    assert tiers["cnn-2025-11-25-hard-to-tell-deal-close"] == "machine-translation"
    assert tiers["independent-2025-11-19-secret-peace-plan"] == "republication"
    assert tiers["nightly-2025-11-25-key-issues-unresolved"] == "republication"
    column = Source.objects.get(slug="wapo-2025-11-22-zelensky-agonizing-choice")
    assert column.tier == "opinion-analysis" and "wanted to convince" in column.declared_interest
    assert column.declared_interest in column.text


def test_the_project_notes_are_not_a_source():
    assert not Source.objects.filter(slug="project-reference-negotiation-facts").exists()
    assert not Citation.objects.filter(slug__startswith="reference-").exists()


def test_every_quote_occurs_verbatim_in_the_file_outside_non_story_passages():
    quoted = Citation.objects.exclude(quote="").select_related("source").prefetch_related("source__non_story_passages")
    assert quoted.exists()
    for citation in quoted:
        text = stored_file(citation.source).read_bytes().decode("utf-8")
        excluded = [passage.text for passage in citation.source.non_story_passages.all()]
        start, end = rules.locate_quote(text, citation.quote, excluded)  # raises if absent or only non-story
        assert text[start:end] == citation.quote
        assert text[citation.start : citation.end] == citation.quote, "the seed stores the quote's offsets"


def test_citations_of_textless_sources_have_a_locator_and_no_quote():
    textless = Citation.objects.filter(source__text="")
    assert textless.exists()
    for citation in textless:
        assert citation.quote == "" and citation.locator, citation.slug


def test_non_story_passages_are_marked_where_the_readme_says():
    nightly = Source.objects.get(slug="nightly-2025-11-25-key-issues-unresolved")
    signup = nightly.non_story_passages.get(reason="newsletter sign-up boilerplate")
    assert signup.text.startswith("Sign up to The Nightly") and signup.text in nightly.text
    independent = Source.objects.get(slug="independent-2025-11-19-secret-peace-plan")
    assert {p.reason for p in independent.non_story_passages.all()} == {"contributor line", "hashtags"}


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda model: model.__name__)
def test_every_fact_cites_a_source(model):
    assert model.objects.exists()
    assert not model.objects.filter(citations__isnull=True).exists()


def test_the_28_point_plan_has_exactly_clauses_1_to_28_each_citing_the_published_text():
    plan = Proposal.objects.get(slug="us-28-point-plan")
    clauses = list(plan.clauses.prefetch_related("citations__source", "topics"))
    assert plan.stated_point_count == 28
    assert [clause.number for clause in clauses] == list(range(1, 29))
    for clause in clauses:
        locators = {c.locator for c in clause.citations.all() if c.source.kind == "published-text"}
        assert locators == {f"point {clause.number}"}, clause.slug
        assert clause.topics.all(), clause.slug


def test_points_the_articles_report_also_cite_an_article_verbatim():
    for number in (6, 21, 25, 26):
        clause = Clause.objects.get(proposal__slug="us-28-point-plan", number=number)
        assert clause.citations.exclude(quote="").exists(), number


def test_each_lineage_points_to_a_clause_of_an_earlier_proposal():
    lineage = ClauseLineage.objects.select_related("clause__proposal", "derived_from__proposal")
    assert lineage.exists()
    for link in lineage:
        newer, older = link.clause.proposal, link.derived_from.proposal
        assert newer != older
        assert older.date is not None and newer.date is not None and older.date <= newer.date, str(link)


def test_unknown_point_numbers_of_the_revised_framework_stay_unknown():
    framework = Proposal.objects.get(slug="us-ukraine-revised-framework")
    assert framework.stated_point_count == 19 and not framework.text_published
    assert framework.supersedes.slug == "us-28-point-plan"
    assert framework.clauses.exists()
    assert not framework.clauses.filter(number__isnull=False).exists()


def test_the_army_cap_is_comparable_across_drafts():
    caps = Quantity.objects.filter(measure="armed-forces-cap", clause__isnull=False).select_related("clause__proposal")
    by_proposal = {cap.clause.proposal.slug: cap.value for cap in caps}
    assert by_proposal == {"us-28-point-plan": 600000, "european-counterproposal": 800000}
    european = caps.get(clause__proposal__slug="european-counterproposal").clause
    assert european.lineage.get().derived_from == caps.get(clause__proposal__slug="us-28-point-plan").clause


def test_slugs_are_unique_and_url_safe():
    for model in SLUGGED_MODELS:
        slugs = list(model.objects.values_list("slug", flat=True))
        assert slugs, model.__name__
        assert len(slugs) == len(set(slugs)), model.__name__
        assert all(SEED_SLUG_STYLE.fullmatch(slug) for slug in slugs), model.__name__


def precision_matches(value: date | None, precision: str) -> bool:
    if value is None:
        return precision == ""
    return {
        "day": True,
        "week": value.isoweekday() == 1,
        "month": value.day == 1,
        "year": (value.month, value.day) == (1, 1),
    }.get(precision, False)


@pytest.mark.parametrize("model", DATED_MODELS, ids=lambda model: model.__name__)
def test_every_date_agrees_with_its_precision(model):
    rows = list(model.objects.values_list("slug", "date", "date_precision"))
    assert rows
    for slug, value, precision in rows:
        assert precision_matches(value, precision), (slug, value, precision)


def test_events_end_after_they_start_and_name_participants():
    for event in Event.objects.prefetch_related("parties"):
        assert event.end_date is None or event.end_date >= event.date, event.slug
        assert event.parties.all(), event.slug


def test_every_spelling_in_the_corpus_finds_one_person():
    people = list(Person.objects.all())
    for spelling in ["Zelensky", "Zelenskyy", "Zelenskiy", "Dan Driscoll", "Daniel Driscoll", "Kislysha", "Kyslytsya"]:
        found = [p for p in people if spelling.casefold() in " ".join([p.name, *p.aliases]).casefold()]
        assert len(found) == 1, spelling


def test_metonyms_are_aliases_of_their_party():
    assert {"Kyiv", "Kiev"} <= set(Party.objects.get(slug="ukraine").aliases)
    assert {"Moscow", "Kremlin"} <= set(Party.objects.get(slug="russia").aliases)
    assert set(Party.objects.get(slug="e3").members.values_list("slug", flat=True)) == {
        "united-kingdom",
        "france",
        "germany",
    }


def test_analysts_are_assessments_and_no_position_awaits_review():
    assert not Position.objects.filter(needs_review=True).exists()
    assert Assessment.objects.filter(assessor__slug="emmanuel-macron", about__slug="russia").exists()
    assert not Position.objects.filter(speaker__party__isnull=True, speaker__isnull=False).exists()


# --- The checker catches broken records -------------------------------------------------------


def test_checker_reports_a_quote_that_is_not_in_the_text():
    source = Source.objects.get(slug="wapo-2025-11-22-zelensky-agonizing-choice")
    wrong = Citation.objects.create(slug="wrong-quote", source=source, quote="Zelensky signed the deal")
    Clause.objects.get(slug="us-28-point-plan-01").citations.add(wrong)
    problems = check_dataset()
    assert any(p.startswith("citation wrong-quote: quote: The quote does not occur verbatim") for p in problems)


def test_checker_reports_straightened_punctuation():
    source = Source.objects.get(slug="wapo-2025-11-22-zelensky-agonizing-choice")
    Citation.objects.create(slug="straight-apostrophe", source=source, quote="Ukraine's sovereignty can never")
    assert any(p.startswith("citation straight-apostrophe: quote:") for p in check_dataset())


def test_checker_reports_a_quote_from_a_non_story_passage():
    source = Source.objects.get(slug="nightly-2025-11-25-key-issues-unresolved")
    Citation.objects.create(slug="boilerplate-quote", source=source, quote="Sign up to The Nightly's newsletters.")
    problems = check_dataset()
    assert "citation boilerplate-quote: quote: The quote occurs only in a passage that is not part of the story." in (
        problems
    )


def test_checker_reports_a_quote_on_a_source_without_text():
    source = Source.objects.get(slug="axios-2025-11-20-28-point-text")
    Citation.objects.create(slug="unverifiable-quote", source=source, quote="point six")
    assert any(
        p.startswith("citation unverifiable-quote: quote: This source has no stored text") for p in check_dataset()
    )


def test_checker_reports_facts_without_citations():
    plan = Proposal.objects.get(slug="us-28-point-plan")
    Clause.objects.create(slug="uncited-clause", proposal=plan, heading="Uncited", text="No source says this.")
    event = Event.objects.create(slug="uncited-event", negotiation=plan.negotiation, kind="talks", title="Uncited")
    problems = check_dataset()
    assert "clause uncited-clause: cites no source" in problems
    assert f"event {event.slug}: cites no source" in problems


def test_checker_reports_lineage_to_a_later_proposal():
    earlier = Clause.objects.get(slug="us-28-point-plan-06")
    later = Clause.objects.get(slug="european-counterproposal-armed-forces-cap")
    link = ClauseLineage.objects.create(clause=earlier, derived_from=later, change="amended")
    link.citations.add(*later.citations.all())
    problems = check_dataset()
    assert any(p.startswith("clause lineage us-28-point-plan-06/") and "later proposal" in p for p in problems)


def test_checker_reports_a_record_dated_after_its_sources_unless_it_says_why():
    plan = Proposal.objects.get(slug="us-28-point-plan")
    citation = Citation.objects.filter(source__slug="cnn-2025-11-25-hard-to-tell-deal-close").first()
    event = Event.objects.create(
        slug="later-talks",
        negotiation=plan.negotiation,
        kind="talks",
        title="T",
        date=date(2025, 12, 10),
        date_precision="day",
    )
    event.citations.add(citation)
    [problem] = [p for p in check_dataset() if p.startswith("event later-talks:")]
    assert f"after its latest source ({citation.source.date_latest})" in problem
    event.date_note = "Announced for December; the source reports the plan, not the talks."
    event.save()
    assert not [p for p in check_dataset() if p.startswith("event later-talks:")]


def test_checker_reports_a_name_two_people_share():
    Person.objects.create(slug="another-umerov", name="R. Umerov", aliases=["Rustem Umerov"])
    assert "people another-umerov, rustem-umerov: share the name “rustem umerov”" in check_dataset()


def test_a_name_no_stored_source_spells_is_marked_editorial():
    assert Person.objects.get(slug="sergiy-kyslytsya").name_is_editorial
    Person.objects.filter(slug="rustem-umerov").update(name="Rustem Umyerov")
    Person.objects.filter(slug="sergiy-kyslytsya").update(name="Sergiy Kislysha")
    problems = check_dataset()
    assert "person rustem-umerov: “Rustem Umyerov” is in no stored source: mark it (name_is_editorial)" in problems
    assert any(p.startswith("person sergiy-kyslytsya: “Sergiy Kislysha” is in a stored source") for p in problems)


def test_an_on_the_record_position_names_its_speaker():
    position = Position.objects.filter(basis="on-record").first()
    position.speaker = None
    with pytest.raises(ValidationError, match="names who said it"):
        position.full_clean()


def test_every_seed_position_has_a_holder_and_a_basis_its_speaker_allows():
    for position in Position.objects.select_related("holder", "speaker").prefetch_related("holder__members"):
        assert position.holder_id and position.basis, position.slug
        if position.speaker_id:
            assert rules.belongs_to(position.speaker, position.holder), position.slug
        if position.basis == "on-record":
            assert position.speaker_id, position.slug


def test_checker_reports_a_slug_that_is_not_url_style():
    Topic.objects.create(slug="Bad_Slug", name="Badly slugged")
    assert any(p.startswith("topic Bad_Slug: slug") for p in check_dataset())


def test_checker_runs_a_fixed_number_of_queries_whatever_the_size():
    with CaptureQueriesContext(connection) as before:
        check_dataset()
    source = Source.objects.get(slug="cnn-2025-11-25-hard-to-tell-deal-close")
    plan = Proposal.objects.get(slug="us-28-point-plan")
    for n in range(20):
        citation = Citation.objects.create(slug=f"extra-{n}", source=source, quote="In short, more meetings.")
        clause = Clause.objects.create(slug=f"extra-clause-{n}", proposal=plan, heading="Extra", text="Extra.")
        clause.citations.add(citation)
    with CaptureQueriesContext(connection) as after:
        assert check_dataset() == []
    assert len(after.captured_queries) == len(before.captured_queries)
