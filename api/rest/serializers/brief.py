"""Brief forms of records, for related records on detail pages and in the analyses."""

from rest_framework import serializers

from api.rest.serializers.fields import DatedSerializer, choice, link, slug_of, whole_number
from treaty.analyses import with_citations
from treaty.choices import (
    Basis,
    ChangeKind,
    EventKind,
    ProposalKind,
    ProposalStatus,
    QuantityQualifier,
    Stance,
)
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
        fields = ["slug", "url", "outlet", "headline", "date", "date_precision", "date_display"]


class CitationBriefSerializer(serializers.ModelSerializer):
    """A citation with its quote and source: what a fact rests on."""

    url = link("citation")
    source = SourceBriefSerializer(read_only=True)
    start = whole_number("Character offset of the quote in the source's stored text.")
    end = whole_number("Character offset just past the quote.")

    class Meta:
        model = Citation
        fields = ["slug", "url", "source", "quote", "locator", "start", "end"]


class ProposalBriefSerializer(DatedSerializer, serializers.ModelSerializer):
    url = link("proposal")
    kind = choice(ProposalKind, "What kind of text it is.")
    status = choice(ProposalStatus, "Where the proposal stands.")

    class Meta:
        model = Proposal
        fields = ["slug", "url", "title", "kind", "status", "date", "date_precision", "date_display"]


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
        fields = ["slug", "url", "kind", "title", "date", "date_precision", "date_display", "end_date", "place"]


class QuantitySerializer(serializers.Serializer):
    measure = serializers.SlugField(read_only=True, help_text="What is measured, comparable across drafts.")
    qualifier = choice(QuantityQualifier, "How the value bounds the quantity.")
    value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, read_only=True)
    unit = serializers.CharField(read_only=True, help_text="personnel, days, USD, percent…")
    note = serializers.CharField(read_only=True)


class StanceSerializer(DatedSerializer, serializers.ModelSerializer):
    """A position in brief: the stance, when, who said it, on what basis, and the citations."""

    url = link("position")
    party = PartyBriefSerializer(read_only=True)
    clause = slug_of("The clause, or null for a stance on the whole proposal.")
    stance = choice(Stance, "The party's stance.")
    basis = choice(Basis, "On what the attribution rests.")
    stated_by = PersonBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "slug",
            "url",
            "party",
            "clause",
            "stance",
            "date",
            "date_precision",
            "date_display",
            "basis",
            "stated_by",
            "summary",
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


def lineage_for_display():
    return with_citations(ClauseLineage.objects.select_related("clause__proposal", "derived_from__proposal"))
