"""Constraints the database enforces and domain rules in treaty.rules, each with a refused case."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from treaty import rules
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    NonStoryPassage,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
)

pytestmark = pytest.mark.django_db

STORY = "The envoy said the plan was “a living document” — not final.\nSign up to our newsletter.\n"


@pytest.fixture
def negotiation():
    return Negotiation.objects.create(slug="t-negotiation", name="Test negotiation")


@pytest.fixture
def party():
    return Party.objects.create(slug="t-party", name="Test party", kind="state", aliases=["Testland"])


@pytest.fixture
def older(negotiation):
    return Proposal.objects.create(
        slug="t-older",
        negotiation=negotiation,
        title="Older",
        kind="plan",
        status="presented",
        date=date(2025, 11, 20),
        date_precision="day",
    )


@pytest.fixture
def newer(negotiation, older):
    return Proposal.objects.create(
        slug="t-newer",
        negotiation=negotiation,
        title="Newer",
        kind="framework",
        status="under-negotiation",
        date=date(2025, 11, 23),
        date_precision="day",
        supersedes=older,
    )


@pytest.fixture
def source():
    source = Source.objects.create(
        slug="t-source",
        kind="news-report",
        tier="original-reporting",
        outlet="Test Post",
        text=STORY,
        date=date(2025, 11, 1),
        date_precision="month",
    )
    NonStoryPassage.objects.create(slug="t-signup", source=source, text="Sign up to our newsletter.", reason="sign-up")
    return source


def clause(proposal, number, slug=None):
    return Clause.objects.create(
        slug=slug or f"{proposal.slug}-{number}", proposal=proposal, number=number, heading="Heading", text="Text"
    )


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


class TestDatabaseConstraints:
    def test_slugs_are_unique(self, party):
        refused(Party.objects.create, slug=party.slug, name="Another", kind="state")

    @pytest.mark.parametrize(
        ("value", "precision"),
        [
            (date(2025, 11, 26), "week"),  # a Wednesday: a week is stored as its Monday
            (date(2025, 11, 2), "month"),
            (date(2025, 2, 1), "year"),
            (date(2025, 11, 2), ""),
            (None, "day"),
            (date(2025, 11, 2), "decade"),
        ],
    )
    def test_date_and_precision_must_agree(self, negotiation, value, precision):
        refused(
            Event.objects.create,
            slug="t-e",
            negotiation=negotiation,
            kind="talks",
            title="T",
            date=value,
            date_precision=precision,
        )

    @pytest.mark.parametrize(
        ("value", "precision"),
        [
            (date(2025, 11, 26), "day"),
            (date(2025, 11, 24), "week"),
            (date(2025, 4, 1), "month"),
            (date(2025, 1, 1), "year"),
            (None, ""),
        ],
    )
    def test_consistent_dates_are_accepted(self, negotiation, value, precision):
        event = Event.objects.create(
            slug="t-e", negotiation=negotiation, kind="talks", title="T", date=value, date_precision=precision
        )
        assert event.date_display

    def test_event_cannot_end_before_it_starts(self, negotiation):
        refused(
            Event.objects.create,
            slug="t-e",
            negotiation=negotiation,
            kind="talks",
            title="T",
            date=date(2025, 11, 25),
            date_precision="day",
            end_date=date(2025, 11, 24),
        )

    def test_clause_number_is_unique_within_its_proposal(self, older, newer):
        clause(older, 6)
        clause(newer, 6)  # the same number in another proposal is fine
        refused(clause, older, 6, slug="t-older-6-again")

    def test_clause_number_is_positive(self, older):
        refused(Clause.objects.create, slug="t-zero", proposal=older, number=0, heading="H", text="T")

    def test_clause_cannot_derive_from_itself(self, older):
        c = clause(older, 1)
        refused(ClauseLineage.objects.create, clause=c, derived_from=c, change="carried")

    def test_proposal_cannot_supersede_itself(self, older):
        older.supersedes = older
        refused(older.save)

    def test_position_clause_must_belong_to_its_proposal(self, party, older, newer):
        c = clause(older, 1)
        refused(
            Position.objects.create,
            slug="t-p",
            holder=party,
            proposal=newer,
            clause=c,
            direction="supports",
            basis="outlet-inference",
            summary="S",
        )
        position = Position.objects.create(
            slug="t-p",
            holder=party,
            proposal=older,
            clause=c,
            direction="supports",
            basis="outlet-inference",
            summary="S",
        )
        refused(Position.objects.filter(pk=position.pk).update, proposal=newer)
        # Moving the clause away would leave the position pointing at the wrong proposal.
        refused(Clause.objects.filter(pk=c.pk).update, proposal=newer)

    def test_citation_offsets_are_ordered(self, source):
        refused(Citation.objects.create, slug="t-c", source=source, quote="x", start=10, end=5)

    def test_party_role_is_unique(self, negotiation, party):
        PartyRole.objects.create(negotiation=negotiation, party=party, role="mediator")
        refused(PartyRole.objects.create, negotiation=negotiation, party=party, role="mediator")


class TestCitationRule:
    def test_quote_is_located_with_typographic_punctuation(self, source):
        citation = Citation(slug="t-c", source=source, quote="“a living document” — not final")
        citation.full_clean()
        assert STORY[citation.start : citation.end] == citation.quote

    @pytest.mark.parametrize(
        "quote",
        ['"a living document" - not final', "a dead document", "the envoy said"],  # straight quotes; absent; case
    )
    def test_quote_not_in_source_is_refused(self, source, quote):
        with pytest.raises(ValidationError) as error:
            Citation(slug="t-c", source=source, quote=quote).full_clean()
        assert "does not occur verbatim" in str(error.value)

    def test_quote_in_non_story_passage_is_refused(self, source):
        with pytest.raises(ValidationError) as error:
            Citation(slug="t-c", source=source, quote="Sign up to our newsletter").full_clean()
        assert "not part of the story" in str(error.value)

    def test_wrong_offset_is_refused(self, source):
        with pytest.raises(ValidationError) as error:
            Citation(slug="t-c", source=source, quote="The envoy", start=3).full_clean()
        assert "offset" in str(error.value)

    def test_textless_source_takes_a_locator_not_a_quote(self):
        published = Source.objects.create(
            slug="t-published", kind="published-text", tier="external-text", outlet="Axios"
        )
        Citation(slug="t-ok", source=published, locator="point 6").full_clean()
        with pytest.raises(ValidationError, match="no stored text"):
            Citation(slug="t-c", source=published, quote="Ukraine's armed forces", locator="point 6").full_clean()

    def test_quote_is_required_when_the_source_has_text(self, source):
        with pytest.raises(ValidationError, match="needs a verbatim quote"):
            Citation(slug="t-c", source=source, locator="para 1").full_clean()

    def test_non_story_passage_must_occur_in_the_source(self, source):
        with pytest.raises(ValidationError, match="must occur verbatim"):
            NonStoryPassage(slug="t-x", source=source, text="Follow us on X", reason="promo").full_clean()


class TestOtherRules:
    def test_lineage_must_point_to_an_earlier_proposal(self, older, newer):
        old, new = clause(older, 1), clause(newer, 1)
        ClauseLineage(clause=new, derived_from=old, change="amended").full_clean()
        with pytest.raises(ValidationError, match="later proposal"):
            ClauseLineage(clause=old, derived_from=new, change="amended").full_clean()
        sibling = clause(older, 2)
        with pytest.raises(ValidationError, match="earlier proposal, not its own"):
            ClauseLineage(clause=sibling, derived_from=old, change="carried").full_clean()

    def test_position_clause_from_another_proposal_is_refused_before_the_database(self, party, older, newer):
        position = Position(
            slug="t-p",
            holder=party,
            proposal=newer,
            clause=clause(older, 1),
            direction="supports",
            basis="outlet-inference",
            summary="S",
        )
        with pytest.raises(ValidationError, match="belongs to"):
            position.full_clean()

    @pytest.mark.parametrize("aliases", ["Zelenskyy", [""], ["Kiev", "kiev"], [1]])
    def test_aliases_must_be_a_list_of_distinct_strings(self, aliases):
        with pytest.raises(ValidationError, match=r"[Aa]liases"):
            Person(slug="t-person", name="Volodymyr Zelensky", aliases=aliases).full_clean()

    def test_current_position_is_the_latest_per_party_and_subject(self, party, older):
        c = clause(older, 1)
        other = Party.objects.create(slug="t-other", name="Other", kind="state")

        def position(slug, who, day, stance, subject=c):
            return Position.objects.create(
                slug=slug,
                holder=who,
                proposal=older,
                clause=subject,
                direction=stance,
                basis="outlet-inference",
                summary="S",
                date=date(2025, 11, day),
                date_precision="day",
            )

        first = position("t-1", party, 20, "opposes")
        latest = position("t-2", party, 25, "open-to")
        theirs = position("t-3", other, 21, "supports")
        whole = position("t-4", party, 19, "rejects", subject=None)
        current = rules.current_positions([latest, first, theirs, whole])
        assert latest in current and theirs in current and whole in current
        assert first not in current

    def test_fuzzy_dates_read_as_what_is_known(self):
        assert rules.format_fuzzy_date(date(2025, 4, 1), "month") == "April 2025"
        assert rules.format_fuzzy_date(date(2025, 11, 17), "week") == "week of 17 November 2025"
        assert rules.format_fuzzy_date(None, "") == "date unknown"

    def test_natural_keys_round_trip(self, negotiation, party, older):
        role = PartyRole.objects.create(negotiation=negotiation, party=party, role="mediator")
        c = clause(older, 6)
        quantity = Quantity.objects.create(clause=c, measure="armed-forces-cap", value=600000, unit="personnel")
        topic = Topic.objects.create(slug="t-topic", name="Test topic")
        for obj in (negotiation, party, older, c, role, quantity, topic):
            assert type(obj).objects.get_by_natural_key(*obj.natural_key()) == obj
        assert str(quantity) == "armed-forces-cap: exactly 600,000 personnel"


def test_citations_with_their_sources_leave_the_texts_unread_and_know_what_is_checked(db, django_assert_num_queries):
    """with_sources() reads no source's stored text (several KB, once per citation), yet ``checked`` is what the
    full source gives, for every seed citation, without another query."""
    expected = {citation.slug: citation.checked for citation in Citation.objects.select_related("source")}
    assert set(expected.values()) == {True, False}  # the seed has both kinds
    with django_assert_num_queries(1):
        citations = list(Citation.objects.with_sources())
        assert {citation.slug: citation.checked for citation in citations} == expected
    assert all("text" in citation.source.get_deferred_fields() for citation in citations)
