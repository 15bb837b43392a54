"""Records: ``XSerializer`` as lists show them (related records as slugs), ``XDetailSerializer`` as detail
pages do (related records in their brief forms). Each names the relations it reads (``load``), so a list
of any length costs the same number of queries."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.rest.serializers.brief import (
    AssessmentBriefSerializer,
    CitationBriefSerializer,
    ClauseBriefSerializer,
    ConflictBriefSerializer,
    LineageSerializer,
    NegotiationBriefSerializer,
    PartyBriefSerializer,
    PersonBriefSerializer,
    ProposalBriefSerializer,
    QuantitySerializer,
    SourceBriefSerializer,
    StanceSerializer,
    TopicBriefSerializer,
    checked,
    citations_for_display,
    declared_interest,
    lineage_for_display,
    source_tier,
)
from api.rest.serializers.fields import (
    DATE_FIELDS,
    AnalysisLinkField,
    DatedSerializer,
    OptionalChoiceField,
    OptionalURLField,
    choice,
    link,
    slug_of,
    whole_number,
)
from api.rest.serializers.shared import represent
from treaty import queries, rules
from treaty.analyses import assessments_for_display, positions_for_display
from treaty.choices import (
    Basis,
    ClauseState,
    Confidence,
    Direction,
    EventKind,
    Firmness,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    SourceKind,
    SourceTier,
    Stage,
    Support,
)
from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Conflict,
    ConflictClaim,
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
        fields = ["slug", "url", "name", "name_is_editorial", "title", "party", "aliases", "description", "citations"]


class PersonDetailSerializer(PersonSerializer):
    """A person, with party and citations expanded."""

    party = PartyBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    prefetch_related = (Prefetch("citations", Citation.objects.with_sources()),)


class SourceSerializer(DatedSerializer, RecordSerializer):
    """A document facts are taken from."""

    url = link("source")
    kind = choice(SourceKind, "What kind of document.")
    tier = choice(SourceTier, "How close the source stands to the words it carries.")
    document_url = OptionalURLField(source="url", help_text="Where the document is published; null when unknown.")
    has_text = serializers.BooleanField(read_only=True, help_text="Whether we store its text to check quotes.")

    class Meta:
        model = Source
        fields = [
            "slug",
            "url",
            "kind",
            "tier",
            "republished_from",
            "declared_interest",
            "outlet",
            "headline",
            "byline",
            *DATE_FIELDS,
            "document_url",
            "has_text",
            "notes",
            "needs_review",
            "review_note",
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
    source_tier = source_tier()
    checked = checked()
    declared_interest = declared_interest()
    select_related = ("source",)

    class Meta:
        model = Citation
        fields = [
            *["slug", "url", "source", "source_tier", "checked", "declared_interest", "quote", "start", "end"],
            *["locator", "note"],
        ]


class CitedPartyRoleSerializer(serializers.ModelSerializer):
    negotiation = slug_of("The negotiation.")
    party = slug_of("The party.")

    class Meta:
        model = PartyRole
        fields = ["negotiation", "party", "role"]


class CitedLineageSerializer(serializers.ModelSerializer):
    clause = slug_of("The later clause.")
    derived_from = slug_of("The earlier clause.")

    class Meta:
        model = ClauseLineage
        fields = ["clause", "derived_from", "change"]


class SupportedRecordsSerializer(serializers.ModelSerializer):
    """Every record the citation supports, by kind (the reverse of each record's `citations`)."""

    negotiations = slug_of("Negotiations.", many=True, source="cited_by_negotiation")
    party_roles = CitedPartyRoleSerializer(many=True, read_only=True, source="cited_by_partyrole")
    people = slug_of("People.", many=True, source="cited_by_person")
    proposals = slug_of("Proposals.", many=True, source="cited_by_proposal")
    clauses = slug_of("Clauses.", many=True, source="cited_by_clause")
    clause_lineage = CitedLineageSerializer(many=True, read_only=True, source="cited_by_clauselineage")
    positions = slug_of("Positions.", many=True, source="cited_by_position")
    assessments = slug_of("Assessments.", many=True, source="cited_by_assessment")
    events = slug_of("Events.", many=True, source="cited_by_event")
    conflict_claims = slug_of("Claims of conflicts between sources.", many=True, source="cited_by_conflictclaim")

    class Meta:
        model = Citation
        fields = [
            *["negotiations", "party_roles", "people", "proposals", "clauses", "clause_lineage", "positions"],
            *["assessments", "events", "conflict_claims"],
        ]


class CitationDetailSerializer(CitationSerializer):
    """A citation with its source expanded and every record it supports."""

    source = SourceBriefSerializer(read_only=True)
    supports = SupportedRecordsSerializer(source="*", read_only=True)
    prefetch_related = (
        *["cited_by_negotiation", "cited_by_person", "cited_by_proposal", "cited_by_clause", "cited_by_position"],
        *["cited_by_assessment", "cited_by_event", "cited_by_conflictclaim"],
        Prefetch("cited_by_partyrole", PartyRole.objects.select_related("negotiation", "party")),
        Prefetch("cited_by_clauselineage", ClauseLineage.objects.select_related("clause", "derived_from")),
    )

    class Meta(CitationSerializer.Meta):
        fields = [*CitationSerializer.Meta.fields, "supports"]


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
        fields = ["slug", "url", "name", *DATE_FIELDS, "summary", "parties", "citations"]


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
        Prefetch("citations", Citation.objects.with_sources()),
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
            *DATE_FIELDS,
            "authors",
            "stated_point_count",
            "text_published",
            "supersedes",
            "superseded_by",
            "summary",
            "needs_review",
            "review_note",
            "citations",
        ]


class ProposalDetailSerializer(ProposalSerializer):
    """A proposal with its clauses, authors, whole-proposal stances and citations."""

    negotiation = NegotiationBriefSerializer(read_only=True)
    authors = PartyBriefSerializer(many=True, read_only=True)
    supersedes = ProposalBriefSerializer(read_only=True, allow_null=True)
    superseded_by = ProposalBriefSerializer(many=True, read_only=True)
    clauses = ClauseBriefSerializer(many=True, read_only=True)
    stances = serializers.SerializerMethodField(
        help_text="Each holder's current positions on the whole proposal (several when they overlap in time)."
    )
    assessments = AssessmentBriefSerializer(
        many=True, read_only=True, help_text="Third parties' judgements of the proposal: never stances."
    )
    conflicts = ConflictBriefSerializer(many=True, read_only=True, help_text="Disagreements between sources.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    stance_matrix = AnalysisLinkField("v1:proposal-stance-matrix", help_text="Parties by clauses, current stances.")
    diff = AnalysisLinkField("v1:proposal-diff", help_text="Compare with another proposal (add ?against=slug).")
    prefetch_related = (
        "authors",
        "superseded_by",
        "clauses__proposal",
        Prefetch("positions", positions_for_display().filter(clause=None), to_attr="whole_positions"),
        Prefetch("assessments", assessments_for_display().filter(clause=None)),
        "conflicts",
        Prefetch("citations", Citation.objects.with_sources()),
    )

    class Meta(ProposalSerializer.Meta):
        fields = [
            *ProposalSerializer.Meta.fields,
            *["clauses", "stances", "assessments", "conflicts", "stance_matrix", "diff"],
        ]

    @extend_schema_field(StanceSerializer(many=True))
    def get_stances(self, proposal):
        current = rules.current_positions(proposal.whole_positions)
        return represent(StanceSerializer, current, self.context, many=True)


class ClauseSerializer(RecordSerializer):
    """A provision of a proposal."""

    url = link("clause")
    proposal = slug_of("The proposal the clause belongs to.")
    number = whole_number("Point number in its proposal, when the text gives one.")
    state = choice(ClauseState, "Where the clause stands in the negotiation.")
    confidence = OptionalChoiceField(
        Confidence.choices, help_text="How sure the sources let us be of its content; null when not assessed."
    )
    support = choice(
        Support,
        "What its content rests on: checked-quote (a citation whose quote a machine checked against a stored text), "
        "external-only (only texts we do not store), or none.",
    )
    topics = slug_of("Topics.", many=True)
    quantities = QuantitySerializer(many=True, read_only=True, help_text="Numbers the clause names.")
    derived_from = slug_of("Clauses of earlier proposals this one comes from.", many=True)
    citations = slug_of("Citations.", many=True)
    select_related = ("proposal",)
    prefetch_related = ("topics", "quantities", "derived_from", "citations")

    @classmethod
    def load(cls, queryset):
        return super().load(queryset).annotate(**queries.clause_support_annotations())

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
            "confidence",
            "support",
            "needs_review",
            "review_note",
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
    stances = serializers.SerializerMethodField(
        help_text="Each holder's current positions on the clause (several when they overlap in time)."
    )
    assessments = AssessmentBriefSerializer(
        many=True, read_only=True, help_text="Third parties' judgements of the clause: never stances."
    )
    conflicts = ConflictBriefSerializer(many=True, read_only=True, help_text="Disagreements between sources.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    history = AnalysisLinkField("v1:clause-history", help_text="Lineage across drafts and stance timelines.")
    prefetch_related = (
        "topics",
        "quantities",
        Prefetch("lineage", lineage_for_display()),
        Prefetch("descendant_lineage", lineage_for_display()),
        Prefetch("positions", positions_for_display()),
        Prefetch("assessments", assessments_for_display()),
        "conflicts",
        Prefetch("citations", Citation.objects.with_sources()),
    )

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "derivatives", "stances", "assessments", "conflicts", "history"]

    @extend_schema_field(StanceSerializer(many=True))
    def get_stances(self, clause):
        current = rules.current_positions(clause.positions.all())
        return represent(StanceSerializer, current, self.context, many=True)


class PositionSerializer(DatedSerializer, RecordSerializer):
    """A party's stance toward a clause, or toward a whole proposal when `clause` is null: who holds it, which way
    and how firmly, who stated it, and how we know."""

    url = link("position")
    holder = slug_of("The party whose stance it is.")
    proposal = slug_of("The proposal the position is about (directly or through a clause).")
    clause = slug_of("The clause, or null for a stance on the whole proposal.", allow_null=True)
    direction = OptionalChoiceField(Direction.choices, help_text="For or against; null while under review.")
    firmness = choice(Firmness, "stated, or red-line when the holder calls it non-negotiable.")
    basis = OptionalChoiceField(Basis.choices, help_text="How we know; null while under review.")
    speaker = slug_of("Who stated it, when known (a person of the holder).", allow_null=True)
    reported_by = slug_of("For second-hand: the party whose officials reported it.", allow_null=True)
    reported_by_person = slug_of("For second-hand: who reported it, when named.", allow_null=True)
    quantities = QuantitySerializer(many=True, read_only=True, help_text="Numbers the position names.")
    citations = slug_of("Citations.", many=True)
    current = serializers.BooleanField(
        read_only=True,
        help_text="Whether no later position of the same holder on the same subject supersedes it (a later one "
        "supersedes only when it begins after this one ends; several may be current).",
    )
    select_related = ("holder", "proposal", "clause", "speaker", "reported_by", "reported_by_person")
    prefetch_related = ("quantities", "citations")

    @classmethod
    def load(cls, queryset):
        current = ExpressionWrapper(queries.positions_current(), output_field=BooleanField())
        return super().load(queryset).annotate(current=current)

    class Meta:
        model = Position
        fields = [
            "slug",
            "url",
            "holder",
            "proposal",
            "clause",
            "direction",
            "firmness",
            "current",
            *DATE_FIELDS,
            "speaker",
            "basis",
            "reported_by",
            "reported_by_person",
            "summary",
            "quantities",
            "needs_review",
            "review_note",
            "citations",
        ]


class PositionDetailSerializer(PositionSerializer):
    """A position with its holder, subject, speaker, reporter, conflicts and citations (with quotes) expanded."""

    holder = PartyBriefSerializer(read_only=True)
    proposal = ProposalBriefSerializer(read_only=True)
    clause = ClauseBriefSerializer(read_only=True, allow_null=True)
    speaker = PersonBriefSerializer(read_only=True, allow_null=True)
    reported_by = PartyBriefSerializer(read_only=True, allow_null=True)
    reported_by_person = PersonBriefSerializer(read_only=True, allow_null=True)
    conflicts = ConflictBriefSerializer(many=True, read_only=True, help_text="Disagreements between sources.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    select_related = ("holder", "proposal", "clause__proposal", "speaker", "reported_by", "reported_by_person")
    prefetch_related = ("quantities", "conflicts", Prefetch("citations", Citation.objects.with_sources()))

    class Meta(PositionSerializer.Meta):
        fields = [*PositionSerializer.Meta.fields, "conflicts"]


class AssessmentSerializer(DatedSerializer, RecordSerializer):
    """A third party's judgement (an analyst, a former official, a leader speaking of another party) about a
    party, proposal or clause. Never a party's stance: no stance matrix, clause history or current stance counts it."""

    url = link("assessment")
    assessor = slug_of("Who assesses, when named.", allow_null=True)
    about = slug_of("The party assessed.", allow_null=True)
    proposal = slug_of("The proposal assessed (directly or through a clause).", allow_null=True)
    clause = slug_of("The clause assessed.", allow_null=True)
    quantities = QuantitySerializer(many=True, read_only=True, help_text="Numbers the assessment names.")
    citations = slug_of("Citations.", many=True)
    select_related = ("assessor", "about", "proposal", "clause")
    prefetch_related = ("quantities", "citations")

    class Meta:
        model = Assessment
        fields = [
            "slug",
            "url",
            "assessor",
            "assessor_description",
            "about",
            "proposal",
            "clause",
            *DATE_FIELDS,
            "summary",
            "quantities",
            "needs_review",
            "review_note",
            "citations",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    """An assessment with its assessor, subject and citations expanded."""

    assessor = PersonBriefSerializer(read_only=True, allow_null=True)
    about = PartyBriefSerializer(read_only=True, allow_null=True)
    proposal = ProposalBriefSerializer(read_only=True, allow_null=True)
    clause = ClauseBriefSerializer(read_only=True, allow_null=True)
    citations = CitationBriefSerializer(many=True, read_only=True)
    select_related = ("assessor", "about", "proposal", "clause__proposal")
    prefetch_related = ("quantities", Prefetch("citations", Citation.objects.with_sources()))


class ConflictClaimSerializer(serializers.ModelSerializer):
    citations = CitationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = ConflictClaim
        fields = ["slug", "claim", "note", "citations"]


class ConflictSerializer(RecordSerializer):
    """Sources disagreeing on a fact: every claim with its citations, and the records it touches."""

    url = link("conflict")
    negotiation = slug_of("The negotiation.")
    claims = ConflictClaimSerializer(many=True, read_only=True, help_text="Each side, with its citations.")
    proposals = slug_of("Proposals it touches.", many=True)
    clauses = slug_of("Clauses it touches.", many=True)
    events = slug_of("Events it touches.", many=True)
    positions = slug_of("Positions it touches.", many=True)
    select_related = ("negotiation",)
    prefetch_related = (
        Prefetch("claims", ConflictClaim.objects.prefetch_related(citations_for_display())),
        "proposals",
        "clauses",
        "events",
        "positions",
    )

    class Meta:
        model = Conflict
        fields = ["slug", "url", "negotiation", "summary", "claims", "proposals", "clauses", "events", "positions"]


class EventSerializer(DatedSerializer, RecordSerializer):
    """A summit, talks, call, statement, deadline, leak or other event."""

    url = link("event")
    negotiation = slug_of("The negotiation.")
    kind = choice(EventKind, "What kind of event.")
    people = slug_of("People taking part.", many=True)
    parties = slug_of("Parties taking part.", many=True)
    proposals = slug_of("Proposals the event concerns.", many=True)
    quantities = QuantitySerializer(many=True, read_only=True, help_text="Numbers the event names.")
    citations = slug_of("Citations.", many=True)
    select_related = ("negotiation",)
    prefetch_related = ("people", "parties", "proposals", "quantities", "citations")

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "negotiation",
            "kind",
            "title",
            *DATE_FIELDS,
            "end_date",
            "place",
            "people",
            "parties",
            "proposals",
            "summary",
            "outcome",
            "quantities",
            "needs_review",
            "review_note",
            "citations",
        ]
        extra_kwargs = {"end_date": {"help_text": "Last day, for events spanning several days."}}


class EventDetailSerializer(EventSerializer):
    """An event with its participants, proposals and citations expanded."""

    negotiation = NegotiationBriefSerializer(read_only=True)
    people = PersonBriefSerializer(many=True, read_only=True)
    parties = PartyBriefSerializer(many=True, read_only=True)
    proposals = ProposalBriefSerializer(many=True, read_only=True)
    conflicts = ConflictBriefSerializer(many=True, read_only=True, help_text="Disagreements between sources.")
    citations = CitationBriefSerializer(many=True, read_only=True)
    prefetch_related = (
        "people",
        "parties",
        "proposals",
        "quantities",
        "conflicts",
        Prefetch("citations", Citation.objects.with_sources()),
    )

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "conflicts"]
