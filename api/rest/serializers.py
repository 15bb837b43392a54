"""Representations of the treaty records and the analyses.

``XSerializer`` is a record as lists show it (related records as slugs);
``XDetailSerializer`` is the detail page (related records in a compact expanded
form, the ``XBriefSerializer``). Each serializer names the relations it reads
(``select_related`` / ``prefetch_related``) so a list of any length costs the
same number of queries.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from treaty import queries, rules
from treaty.analyses import DiffChange, cited, positions_for_display
from treaty.choices import (
    Basis,
    ChangeKind,
    ClauseState,
    DatePrecision,
    EventKind,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    QuantityQualifier,
    SourceKind,
    Stage,
    Stance,
)
from treaty.models import (
    Citation,
    Clause,
    ClauseLineage,
    Event,
    Negotiation,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
)
from treaty.revisions import ACTIONS

# Fields ----------------------------------------------------------------------------------------------------------


def link(model_name: str):
    return serializers.HyperlinkedIdentityField(
        view_name=f"v1:{model_name}-detail", lookup_field="slug", help_text="This record in the API."
    )


def slug_of(help_text: str, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=help_text, **kwargs)


class OptionalChoiceField(serializers.ChoiceField):
    """A choice stored as an empty string when unknown, shown as null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalURLField(serializers.URLField):
    """A URL stored as an empty string when unknown, shown as null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


def whole_number(help_text: str):
    """An integer field with no database-specific bounds, so the schema is the same on every database."""
    return serializers.IntegerField(read_only=True, allow_null=True, help_text=help_text)


def choice(choices, help_text: str):
    return serializers.ChoiceField(choices.choices, read_only=True, help_text=help_text)


class DatedSerializer(serializers.Serializer):
    """Dates known to a precision: a month-precise date is stored as the 1st, a week-precise one as the Monday."""

    date = serializers.DateField(read_only=True, allow_null=True, help_text="Null when unknown.")
    date_precision = OptionalChoiceField(
        DatePrecision.choices, help_text="How much of the date is known; null when the date is unknown."
    )
    date_display = serializers.CharField(read_only=True, help_text="The date as precisely as it is known.")


@extend_schema_field(OpenApiTypes.URI)
class AnalysisLinkField(serializers.Field):
    """A link to one of the analyses of a record."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return reverse(self.view_name, kwargs={"slug": slug}, request=self.context.get("request"))


# Brief forms, for related records on detail pages and in the analyses --------------------------------------------


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
    return cited(ClauseLineage.objects.select_related("clause__proposal", "derived_from__proposal"))


# Records ---------------------------------------------------------------------------------------------------------


class RecordSerializer(serializers.ModelSerializer):
    """Base: the relations a serializer reads, loaded once for a whole page."""

    select_related: tuple = ()
    prefetch_related: tuple = ()

    @classmethod
    def load(cls, queryset):
        return queryset.select_related(*cls.select_related).prefetch_related(*cls.prefetch_related)


class TopicSerializer(RecordSerializer):
    """A topic of the taxonomy."""

    url = link("topic")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description", "pax_categories"]


class PartySerializer(RecordSerializer):
    """A state, bloc, alliance or organisation."""

    url = link("party")
    kind = choice(PartyKind, "What kind of party.")
    members = slug_of("Members, for blocs and alliances.", many=True)
    member_of = slug_of("Blocs and alliances the party belongs to.", many=True)
    prefetch_related = ("members", "member_of")

    class Meta:
        model = Party
        fields = ["slug", "url", "name", "kind", "aliases", "description", "members", "member_of"]


class PartyRoleSerializer(serializers.ModelSerializer):
    negotiation = NegotiationBriefSerializer(read_only=True)
    role = choice(PartyRoleKind, "The party's role in the negotiation.")

    class Meta:
        model = PartyRole
        fields = ["negotiation", "role", "note"]


class PartyDetailSerializer(PartySerializer):
    """A party, with its roles in negotiations and the people affiliated with it."""

    members = PartyBriefSerializer(many=True, read_only=True)
    member_of = PartyBriefSerializer(many=True, read_only=True)
    roles = PartyRoleSerializer(many=True, read_only=True, help_text="The party's roles in negotiations.")
    people = PersonBriefSerializer(many=True, read_only=True, help_text="People affiliated with the party.")
    prefetch_related = ("members", "member_of", "roles__negotiation", "people")

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "roles", "people"]


class PersonSerializer(RecordSerializer):
    """An official or commentator."""

    url = link("person")
    party = slug_of("The party the person is affiliated with.", allow_null=True)
    citations = slug_of("Citations supporting what we record about the person.", many=True)
    select_related = ("party",)
    prefetch_related = ("citations",)

    class Meta:
        model = Person
        fields = ["slug", "url", "name", "title", "party", "aliases", "description", "citations"]


class PersonDetailSerializer(PersonSerializer):
    """A person, with party and citations expanded."""

    party = PartyBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    prefetch_related = (Prefetch("citations", Citation.objects.select_related("source")),)


class SourceSerializer(DatedSerializer, RecordSerializer):
    """A document facts are taken from."""

    url = link("source")
    kind = choice(SourceKind, "What kind of document.")
    document_url = OptionalURLField(source="url", help_text="Where the document is published; null when unknown.")
    has_text = serializers.BooleanField(read_only=True, help_text="Whether we store its text to check quotes.")

    class Meta:
        model = Source
        fields = [
            "slug",
            "url",
            "kind",
            "outlet",
            "headline",
            "byline",
            "date",
            "date_precision",
            "date_display",
            "document_url",
            "has_text",
            "notes",
        ]


class NonStoryPassageSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="Verbatim; quotes never come from these passages.")
    reason = serializers.CharField(read_only=True)


class SourceDetailSerializer(SourceSerializer):
    """A source with its stored text and the passages of it that are not part of the story."""

    non_story_passages = NonStoryPassageSerializer(
        many=True, read_only=True, help_text="Text in the source that is not part of the story (sign-up boxes…)."
    )
    prefetch_related = ("non_story_passages",)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "non_story_passages", "text"]
        extra_kwargs = {"text": {"help_text": "The stored text, byte for byte; empty when we do not have it."}}


class CitationSerializer(RecordSerializer):
    """A verbatim passage of a source that supports a fact."""

    url = link("citation")
    source = slug_of("The cited source.")
    start = whole_number("Character offset of the quote in the source's stored text.")
    end = whole_number("Character offset just past the quote.")
    verifiable = serializers.BooleanField(
        read_only=True, help_text="Whether the quote can be checked against the source's stored text."
    )
    select_related = ("source",)

    class Meta:
        model = Citation
        fields = ["slug", "url", "source", "quote", "start", "end", "locator", "note", "verifiable"]


class CitationDetailSerializer(CitationSerializer):
    """A citation with its source expanded."""

    source = SourceBriefSerializer(read_only=True)


class NegotiationPartySerializer(serializers.ModelSerializer):
    party = slug_of("The party.")
    role = choice(PartyRoleKind, "Its role in the negotiation.")

    class Meta:
        model = PartyRole
        fields = ["party", "role"]


class NegotiationSerializer(DatedSerializer, RecordSerializer):
    """A negotiation (peace process)."""

    url = link("negotiation")
    parties = NegotiationPartySerializer(source="party_roles", many=True, read_only=True)
    citations = slug_of("Citations.", many=True)
    prefetch_related = ("party_roles__party", "citations")

    class Meta:
        model = Negotiation
        fields = ["slug", "url", "name", "date", "date_precision", "date_display", "summary", "parties", "citations"]


class NegotiationPartyDetailSerializer(NegotiationPartySerializer):
    party = PartyBriefSerializer(read_only=True)

    class Meta(NegotiationPartySerializer.Meta):
        fields = ["party", "role", "note"]


class NegotiationDetailSerializer(NegotiationSerializer):
    """A negotiation with its parties, proposals and citations expanded."""

    parties = NegotiationPartyDetailSerializer(source="party_roles", many=True, read_only=True)
    proposals = ProposalBriefSerializer(many=True, read_only=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    timeline = AnalysisLinkField("v1:negotiation-timeline", help_text="The negotiation's timeline.")
    prefetch_related = (
        "party_roles__party",
        "proposals",
        Prefetch("citations", Citation.objects.select_related("source")),
    )

    class Meta(NegotiationSerializer.Meta):
        fields = [*NegotiationSerializer.Meta.fields, "proposals", "timeline"]


class ProposalSerializer(DatedSerializer, RecordSerializer):
    """A plan, draft, framework, counterproposal or list of demands."""

    url = link("proposal")
    negotiation = slug_of("The negotiation.")
    stated_point_count = whole_number("The number of points as the sources state it, whether or not we know them.")
    kind = choice(ProposalKind, "What kind of text it is.")
    status = choice(ProposalStatus, "Where the proposal stands.")
    stage = OptionalChoiceField(Stage.choices, help_text="The PA-X agreement stage; null when not assessed.")
    authors = slug_of("The authoring parties.", many=True)
    supersedes = slug_of("The proposal this one replaces.", allow_null=True)
    superseded_by = slug_of("Proposals that replace this one.", many=True)
    citations = slug_of("Citations.", many=True)
    select_related = ("negotiation", "supersedes")
    prefetch_related = ("authors", "superseded_by", "citations")

    class Meta:
        model = Proposal
        fields = [
            "slug",
            "url",
            "negotiation",
            "title",
            "kind",
            "status",
            "stage",
            "date",
            "date_precision",
            "date_display",
            "authors",
            "stated_point_count",
            "text_published",
            "supersedes",
            "superseded_by",
            "summary",
            "citations",
        ]


class ProposalDetailSerializer(ProposalSerializer):
    """A proposal with its clauses, authors, whole-proposal stances and citations."""

    negotiation = NegotiationBriefSerializer(read_only=True)
    authors = PartyBriefSerializer(many=True, read_only=True)
    supersedes = ProposalBriefSerializer(read_only=True, allow_null=True)
    superseded_by = ProposalBriefSerializer(many=True, read_only=True)
    clauses = ClauseBriefSerializer(many=True, read_only=True)
    stances = serializers.SerializerMethodField(help_text="Each party's current stance on the whole proposal.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    stance_matrix = AnalysisLinkField("v1:proposal-stance-matrix", help_text="Parties by clauses, current stances.")
    diff = AnalysisLinkField("v1:proposal-diff", help_text="Compare with another proposal (add ?against=slug).")
    prefetch_related = (
        "authors",
        "superseded_by",
        "clauses__proposal",
        Prefetch("positions", positions_for_display().filter(clause=None), to_attr="whole_positions"),
        Prefetch("citations", Citation.objects.select_related("source")),
    )

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "clauses", "stances", "stance_matrix", "diff"]

    @extend_schema_field(StanceSerializer(many=True))
    def get_stances(self, proposal):
        current = rules.current_positions(proposal.whole_positions)
        return StanceSerializer(current, many=True, context=self.context).data


class ClauseSerializer(RecordSerializer):
    """A provision of a proposal."""

    url = link("clause")
    proposal = slug_of("The proposal the clause belongs to.")
    number = whole_number("Point number in its proposal, when the text gives one.")
    state = choice(ClauseState, "Where the clause stands in the negotiation.")
    topics = slug_of("Topics.", many=True)
    quantities = QuantitySerializer(many=True, read_only=True, help_text="Numbers the clause names.")
    derived_from = slug_of("Clauses of earlier proposals this one comes from.", many=True)
    citations = slug_of("Citations.", many=True)
    select_related = ("proposal",)
    prefetch_related = ("topics", "quantities", "derived_from", "citations")

    class Meta:
        model = Clause
        fields = [
            "slug",
            "url",
            "proposal",
            "number",
            "heading",
            "text",
            "text_is_verbatim",
            "state",
            "topics",
            "quantities",
            "derived_from",
            "citations",
        ]
        extra_kwargs = {"text": {"help_text": "In our own words unless text_is_verbatim."}}


class ClauseDetailSerializer(ClauseSerializer):
    """A clause with its proposal, topics, lineage links, current stances and citations."""

    proposal = ProposalBriefSerializer(read_only=True)
    topics = TopicBriefSerializer(many=True, read_only=True)
    derived_from = LineageSerializer(
        source="lineage", many=True, read_only=True, help_text="Links to the clauses this one comes from."
    )
    derivatives = LineageSerializer(
        source="descendant_lineage", many=True, read_only=True, help_text="Links to later clauses from this one."
    )
    stances = serializers.SerializerMethodField(help_text="Each party's current stance on the clause.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    history = AnalysisLinkField("v1:clause-history", help_text="Lineage across drafts and stance timelines.")
    prefetch_related = (
        "topics",
        "quantities",
        Prefetch("lineage", lineage_for_display()),
        Prefetch("descendant_lineage", lineage_for_display()),
        Prefetch("positions", positions_for_display()),
        Prefetch("citations", Citation.objects.select_related("source")),
    )

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "derivatives", "stances", "history"]

    @extend_schema_field(StanceSerializer(many=True))
    def get_stances(self, clause):
        current = rules.current_positions(clause.positions.all())
        return StanceSerializer(current, many=True, context=self.context).data


class PositionSerializer(DatedSerializer, RecordSerializer):
    """A party's stance toward a clause, or toward a whole proposal when `clause` is null."""

    url = link("position")
    party = slug_of("The party taking the position.")
    proposal = slug_of("The proposal the position is about (directly or through a clause).")
    clause = slug_of("The clause, or null for a stance on the whole proposal.", allow_null=True)
    stance = choice(Stance, "The party's stance.")
    basis = choice(Basis, "On what the attribution rests.")
    stated_by = slug_of("Who stated it, when known.", allow_null=True)
    citations = slug_of("Citations.", many=True)
    current = serializers.BooleanField(
        read_only=True, help_text="Whether this is the party's latest position on this subject."
    )
    select_related = ("party", "proposal", "clause", "stated_by")
    prefetch_related = ("citations",)

    @classmethod
    def load(cls, queryset):
        current = ExpressionWrapper(queries.positions_current(), output_field=BooleanField())
        return super().load(queryset).annotate(current=current)

    class Meta:
        model = Position
        fields = [
            "slug",
            "url",
            "party",
            "proposal",
            "clause",
            "stance",
            "current",
            "date",
            "date_precision",
            "date_display",
            "stated_by",
            "basis",
            "summary",
            "citations",
        ]


class PositionDetailSerializer(PositionSerializer):
    """A position with its party, subject, speaker and citations (with quotes) expanded."""

    party = PartyBriefSerializer(read_only=True)
    proposal = ProposalBriefSerializer(read_only=True)
    clause = ClauseBriefSerializer(read_only=True, allow_null=True)
    stated_by = PersonBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    select_related = ("party", "proposal", "clause__proposal", "stated_by")
    prefetch_related = (Prefetch("citations", Citation.objects.select_related("source")),)


class EventSerializer(DatedSerializer, RecordSerializer):
    """A summit, talks, call, statement, deadline, leak or other event."""

    url = link("event")
    negotiation = slug_of("The negotiation.")
    kind = choice(EventKind, "What kind of event.")
    people = slug_of("People taking part.", many=True)
    parties = slug_of("Parties taking part.", many=True)
    proposals = slug_of("Proposals the event concerns.", many=True)
    citations = slug_of("Citations.", many=True)
    select_related = ("negotiation",)
    prefetch_related = ("people", "parties", "proposals", "citations")

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "negotiation",
            "kind",
            "title",
            "date",
            "date_precision",
            "date_display",
            "end_date",
            "place",
            "people",
            "parties",
            "proposals",
            "summary",
            "outcome",
            "citations",
        ]
        extra_kwargs = {"end_date": {"help_text": "Last day, for events spanning several days."}}


class EventDetailSerializer(EventSerializer):
    """An event with its participants, proposals and citations expanded."""

    negotiation = NegotiationBriefSerializer(read_only=True)
    people = PersonBriefSerializer(many=True, read_only=True)
    parties = PartyBriefSerializer(many=True, read_only=True)
    proposals = ProposalBriefSerializer(many=True, read_only=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    prefetch_related = (
        "people",
        "parties",
        "proposals",
        Prefetch("citations", Citation.objects.select_related("source")),
    )


# Analyses --------------------------------------------------------------------------------------------------------


class QuantityChangeSerializer(serializers.Serializer):
    measure = serializers.SlugField(read_only=True)
    old = QuantitySerializer(read_only=True, allow_null=True, help_text="Null when only the new clauses name it.")
    new = QuantitySerializer(read_only=True, allow_null=True, help_text="Null when only the old clauses name it.")


class ClauseChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(DiffChange.choices, read_only=True, help_text="What became of the clauses.")
    old_clauses = ClauseBriefSerializer(many=True, read_only=True, help_text="Empty for a new clause.")
    new_clauses = ClauseBriefSerializer(
        many=True, read_only=True, help_text="Empty for a clause dropped, deferred or of unknown fate."
    )
    lineage = LineageSerializer(many=True, read_only=True, help_text="The recorded links this rests on.")
    quantity_changes = QuantityChangeSerializer(many=True, read_only=True)
    text_changed = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Whether our texts differ, for a one-to-one change; else null."
    )


DiffCountsSerializer = type(
    "DiffCountsSerializer",
    (serializers.Serializer,),
    {value: serializers.IntegerField(read_only=True) for value in DiffChange.values},
)


class ProposalDiffSerializer(serializers.Serializer):
    old = ProposalBriefSerializer(read_only=True, help_text="The baseline: the earlier of the two proposals.")
    new = ProposalBriefSerializer(read_only=True, help_text="The later of the two proposals.")
    counts = DiffCountsSerializer(read_only=True, help_text="How many entries of each kind.")
    changes = ClauseChangeSerializer(many=True, read_only=True, help_text="Every clause of both, in the old order.")


class StanceEntrySerializer(StanceSerializer):
    current = serializers.BooleanField(read_only=True, help_text="Whether this is the party's latest on its clause.")

    class Meta(StanceSerializer.Meta):
        fields = [*StanceSerializer.Meta.fields, "current"]

    def to_representation(self, entry):
        return {**super().to_representation(entry.position), "current": entry.current}


class PartyStancesSerializer(serializers.Serializer):
    party = PartyBriefSerializer(read_only=True)
    current = StanceSerializer(
        read_only=True, allow_null=True, help_text="The party's current stance on this clause (not its versions)."
    )
    timeline = StanceEntrySerializer(source="entries", many=True, read_only=True, help_text="Oldest first.")


class ClauseHistorySerializer(serializers.Serializer):
    clause = ClauseBriefSerializer(read_only=True)
    versions = ClauseBriefSerializer(
        many=True, read_only=True, help_text="The clause and its versions in other drafts, oldest proposal first."
    )
    lineage = LineageSerializer(many=True, read_only=True, help_text="The links between the versions.")
    stances = PartyStancesSerializer(
        many=True, read_only=True, help_text="Each party's positions on the clause and its versions."
    )


class TimelineEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        ["event", "proposal"], source="entry_type", read_only=True, help_text="Which of event/proposal is set."
    )
    date = serializers.DateField(read_only=True, allow_null=True)
    date_precision = OptionalChoiceField(DatePrecision.choices)
    date_display = serializers.CharField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    event = EventBriefSerializer(read_only=True, allow_null=True)
    proposal = ProposalBriefSerializer(read_only=True, allow_null=True, help_text="A proposal, on its date.")


class NegotiationTimelineSerializer(serializers.Serializer):
    negotiation = NegotiationBriefSerializer(read_only=True)
    entries = TimelineEntrySerializer(
        many=True, read_only=True, help_text="In date order; at equal dates the more precise first; undated last."
    )


class StanceCellSerializer(serializers.Serializer):
    clause = serializers.SlugField(source="clause.slug", read_only=True, help_text="The clause (a column).")
    position = StanceSerializer(read_only=True, allow_null=True, help_text="Null when no stance is recorded.")


class StanceRowSerializer(serializers.Serializer):
    party = PartyBriefSerializer(read_only=True)
    whole_proposal = StanceSerializer(
        read_only=True, allow_null=True, help_text="The party's current stance on the whole proposal."
    )
    cells = StanceCellSerializer(many=True, read_only=True, help_text="One per clause, in the order of `clauses`.")


class StanceMatrixSerializer(serializers.Serializer):
    proposal = ProposalBriefSerializer(read_only=True)
    clauses = ClauseBriefSerializer(many=True, read_only=True, help_text="The columns.")
    rows = StanceRowSerializer(many=True, read_only=True, help_text="One per party with a recorded position.")


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, help_text="The field's name.")
    old = serializers.JSONField(read_only=True, help_text="Its value before (null on creation); records by slug.")
    new = serializers.JSONField(read_only=True, help_text="Its value after; related records by slug.")


class RevisionSerializer(serializers.Serializer):
    """One change to a record, from its audit history."""

    user = serializers.CharField(read_only=True, allow_null=True, help_text="Who made it; null for the seed data.")
    date = serializers.DateTimeField(read_only=True, help_text="When.")
    action = serializers.ChoiceField(list(ACTIONS.values()), read_only=True, help_text="What kind of change.")
    changes = FieldChangeSerializer(
        many=True, read_only=True, help_text="The fields whose values changed (relations to many records aside)."
    )


# Writes ----------------------------------------------------------------------------------------------------------


def model_errors(error: DjangoValidationError) -> dict:
    """A model's validation errors by field, in DRF's shape; errors about the whole record go under non_field_errors."""
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def storable(text: str) -> bool:
    """Whether every database can store the text: no NUL character, no lone UTF-16 surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string (DRF would turn a number into text) that any database can store."""

    default_error_messages = {"unstorable": "Text may not contain NUL characters or lone surrogates."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not storable(data):
            self.fail("unstorable")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class SlugList(serializers.ManyRelatedField):
    """Related records as a JSON list of slugs (DRF would take any iterable, such as an object's keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SlugOf(serializers.SlugRelatedField):
    """A related record by slug; null where there may be none, but never an empty string."""

    default_error_messages = {"empty": "Give a slug, or null."}

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("empty")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if isinstance(data, str) and not storable(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=repr(data))
        return super().to_internal_value(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs |= {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return SlugList(**list_kwargs)


class WriteSerializer(serializers.ModelSerializer):
    """What an editor sends to create or change a record: related records by slug.

    The serializer only converts types. Every rule (uniqueness, constraints, the domain rules in
    treaty.rules) is checked once, by the model's ``full_clean()``, exactly as the admin checks it.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
    }
    serializer_related_field = SlugOf

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        return field_class, {**kwargs, "slug_field": "slug"}

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.IntegerField) and "max_value" in kwargs:
            # The bounds every database accepts, so the contract is the same on all of them.
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            kwargs["min_value"], kwargs["max_value"] = max(kwargs.get("min_value", low), low), high
        # Uniqueness is the model's to check (full_clean), with the admin's wording.
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    def get_validators(self):
        return []  # unique together: the model checks it

    @classmethod
    def load(cls, queryset):
        return queryset

    def validate_slug(self, slug):
        if self.instance is not None and slug != self.instance.slug:
            raise serializers.ValidationError("A slug is a stable identifier: it cannot be changed.")
        return slug

    def create(self, validated_data):
        return self.save_record(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self.save_record(instance, validated_data)

    def save_record(self, record, data):
        many = {name: data.pop(name) for name in list(data) if record._meta.get_field(name).many_to_many}
        for name, value in data.items():
            setattr(record, name, value)
        try:
            record.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(model_errors(error)) from None
        record.save()
        for name, values in many.items():
            getattr(record, name).set(values)
        return record


def aliases_field():
    return serializers.ListField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="Other spellings and names: non-empty strings, none repeated.",
    )


class TopicWriteSerializer(WriteSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "pax_categories"]


class PartyWriteSerializer(WriteSerializer):
    aliases = aliases_field()

    class Meta:
        model = Party
        fields = ["slug", "name", "kind", "aliases", "description", "members"]


class PersonWriteSerializer(WriteSerializer):
    aliases = aliases_field()

    class Meta:
        model = Person
        fields = ["slug", "name", "title", "party", "aliases", "description", "citations"]


class SourceWriteSerializer(WriteSerializer):
    document_url = serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=500, help_text="Where the document is published."
    )

    class Meta:
        model = Source
        fields = ["slug", "kind", "outlet", "headline", "byline", "date", "date_precision", "document_url", "text"]
        fields += ["notes"]


class CitationWriteSerializer(WriteSerializer):
    class Meta:
        model = Citation
        fields = ["slug", "source", "quote", "start", "locator", "note"]
        extra_kwargs = {"start": {"help_text": "Which occurrence of the quote, when it occurs more than once."}}


class ProposalWriteSerializer(WriteSerializer):
    class Meta:
        model = Proposal
        fields = ["slug", "negotiation", "title", "kind", "status", "stage", "date", "date_precision", "authors"]
        fields += ["stated_point_count", "text_published", "supersedes", "summary", "citations"]


class ClauseWriteSerializer(WriteSerializer):
    class Meta:
        model = Clause
        fields = ["slug", "proposal", "number", "heading", "text", "text_is_verbatim", "state", "topics", "citations"]


class PositionWriteSerializer(WriteSerializer):
    class Meta:
        model = Position
        fields = ["slug", "party", "proposal", "clause", "stance", "date", "date_precision", "stated_by", "basis"]
        fields += ["summary", "citations"]


class EventWriteSerializer(WriteSerializer):
    class Meta:
        model = Event
        fields = ["slug", "negotiation", "kind", "title", "date", "date_precision", "end_date", "place", "people"]
        fields += ["parties", "proposals", "summary", "outcome", "citations"]
