"""Brief forms of records, for related records on detail pages and in the analyses."""

from django.db.models import Prefetch
from rest_framework import serializers

from api.rest.serializers.fields import (
    DATE_FIELDS,
    DatedSerializer,
    OptionalChoiceField,
    choice,
    link,
    slug_of,
    whole_number,
)
from treaty.analyses import with_citations
from treaty.choices import (
    Basis,
    ChangeKind,
    Direction,
    EventKind,
    Firmness,
    ProposalKind,
    ProposalStatus,
    QuantityQualifier,
    SourceTier,
)
from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Conflict,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
)


class TopicBriefSerializer(serializers.ModelSerializer):
    url = link("topic")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name"]


class PartyBriefSerializer(serializers.ModelSerializer):
    url = link("party")

    class Meta:
        model = Party
        fields = ["slug", "url", "name"]


class PersonBriefSerializer(serializers.ModelSerializer):
    url = link("person")

    class Meta:
        model = Person
        fields = ["slug", "url", "name", "title"]


class NegotiationBriefSerializer(serializers.ModelSerializer):
    url = link("negotiation")

    class Meta:
        model = Negotiation
        fields = ["slug", "url", "name"]


class SourceBriefSerializer(DatedSerializer, serializers.ModelSerializer):
    url = link("source")

    class Meta:
        model = Source
        fields = ["slug", "url", "outlet", "headline", "tier", *DATE_FIELDS]


def source_tier():
    return serializers.ChoiceField(
        SourceTier.choices, source="source.tier", read_only=True, help_text="The cited source's provenance tier."
    )


def checked():
    return serializers.BooleanField(
        read_only=True,
        help_text="Whether a machine checked the quote: it is non-empty and occurs verbatim in the source's stored "
        "text. A quote from a machine translation is checked, but source_tier says the words are a translation.",
    )


def declared_interest():
    return serializers.CharField(
        source="source.declared_interest",
        read_only=True,
        help_text="The source's own statement of its informants' interest, verbatim; empty when it states none.",
    )


class CitationBriefSerializer(serializers.ModelSerializer):
    """A citation with its quote and source: what a fact rests on, how close the source stands, whether checked."""

    url = link("citation")
    source = SourceBriefSerializer(read_only=True)
    source_tier = source_tier()
    checked = checked()
    declared_interest = declared_interest()
    start = whole_number("Character offset of the quote in the source's stored text.")
    end = whole_number("Character offset just past the quote.")

    class Meta:
        model = Citation
        fields = [
            "slug",
            "url",
            "source",
            "source_tier",
            "checked",
            "declared_interest",
            "quote",
            "locator",
            "start",
            "end",
        ]


class ProposalBriefSerializer(DatedSerializer, serializers.ModelSerializer):
    url = link("proposal")
    kind = choice(ProposalKind, "What kind of text it is.")
    status = choice(ProposalStatus, "Where the proposal stands.")

    class Meta:
        model = Proposal
        fields = ["slug", "url", "title", "kind", "status", *DATE_FIELDS]


class ClauseBriefSerializer(serializers.ModelSerializer):
    url = link("clause")
    proposal = slug_of("The proposal the clause belongs to.")
    number = whole_number("Point number in its proposal, when the text gives one.")

    class Meta:
        model = Clause
        fields = ["slug", "url", "proposal", "number", "heading"]


class EventBriefSerializer(DatedSerializer, serializers.ModelSerializer):
    url = link("event")
    kind = choice(EventKind, "What kind of event.")

    class Meta:
        model = Event
        fields = ["slug", "url", "kind", "title", *DATE_FIELDS, "end_date", "place"]


class QuantitySerializer(serializers.Serializer):
    measure = serializers.SlugField(read_only=True, help_text="What is measured, comparable across drafts.")
    qualifier = choice(QuantityQualifier, "How the value bounds the quantity.")
    value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, read_only=True)
    unit = serializers.CharField(read_only=True, help_text="personnel, days, USD, percent…")
    note = serializers.CharField(read_only=True)


class ConflictBriefSerializer(serializers.ModelSerializer):
    """A disagreement between sources that touches the record."""

    url = link("conflict")

    class Meta:
        model = Conflict
        fields = ["slug", "url", "summary"]


class StanceSerializer(DatedSerializer, serializers.ModelSerializer):
    """A position in brief: who holds it, which way and how firmly, who said it, how we know, when, and the
    citations."""

    url = link("position")
    holder = PartyBriefSerializer(read_only=True)
    clause = slug_of("The clause, or null for a stance on the whole proposal.")
    direction = OptionalChoiceField(Direction.choices, help_text="For or against; null while under review.")
    firmness = choice(Firmness, "stated, or red-line when the holder calls it non-negotiable.")
    basis = OptionalChoiceField(Basis.choices, help_text="How we know; null while under review.")
    speaker = PersonBriefSerializer(read_only=True, allow_null=True)
    reported_by = PartyBriefSerializer(
        read_only=True, allow_null=True, help_text="For second-hand: the party whose officials reported it."
    )
    reported_by_person = PersonBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "slug",
            "url",
            "holder",
            "clause",
            "direction",
            "firmness",
            *DATE_FIELDS,
            "basis",
            "speaker",
            "reported_by",
            "reported_by_person",
            "summary",
            "needs_review",
            "citations",
        ]


class AssessmentBriefSerializer(DatedSerializer, serializers.ModelSerializer):
    """A third party's judgement in brief: never a stance."""

    url = link("assessment")
    assessor = PersonBriefSerializer(read_only=True, allow_null=True)
    about = PartyBriefSerializer(read_only=True, allow_null=True)
    clause = slug_of("The clause assessed, or null.", allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "slug",
            "url",
            "assessor",
            "assessor_description",
            "about",
            "clause",
            *DATE_FIELDS,
            "summary",
            "needs_review",
            "citations",
        ]


class LineageSerializer(serializers.ModelSerializer):
    """How ``clause`` derives from ``derived_from``, a clause of an earlier proposal."""

    clause = ClauseBriefSerializer(read_only=True)
    derived_from = ClauseBriefSerializer(read_only=True)
    change = choice(ChangeKind, "How the clause came from the earlier one.")
    citations = CitationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = ClauseLineage
        fields = ["clause", "derived_from", "change", "note", "citations"]


def citations_for_display():
    return Prefetch("citations", Citation.objects.with_sources())


def lineage_for_display():
    return with_citations(ClauseLineage.objects.select_related("clause__proposal", "derived_from__proposal"))
