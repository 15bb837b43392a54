"""The analyses' answers (treaty.analyses) and records' revisions."""

from rest_framework import serializers

from api.privacy import may_see_curators
from api.rest.serializers.brief import (
    AssessmentBriefSerializer,
    ClauseBriefSerializer,
    EventBriefSerializer,
    LineageSerializer,
    NegotiationBriefSerializer,
    PartyBriefSerializer,
    ProposalBriefSerializer,
    QuantitySerializer,
    StanceSerializer,
)
from api.rest.serializers.fields import OptionalChoiceField
from treaty.analyses import DiffChange
from treaty.choices import (
    DatePrecision,
)
from treaty.revisions import ACTIONS


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
    current = serializers.BooleanField(
        read_only=True, help_text="Whether no later position of its holder on its clause supersedes it."
    )

    class Meta(StanceSerializer.Meta):
        fields = [*StanceSerializer.Meta.fields, "current"]

    def to_representation(self, entry):
        return {**super().to_representation(entry.position), "current": entry.current}


class PartyStancesSerializer(serializers.Serializer):
    party = PartyBriefSerializer(read_only=True)
    current = StanceSerializer(
        many=True,
        read_only=True,
        help_text="The holder's current positions on this clause (not its versions): several when they overlap.",
    )
    disagreement = serializers.BooleanField(
        read_only=True, help_text="Whether the current positions differ in direction or firmness."
    )
    timeline = StanceEntrySerializer(source="entries", many=True, read_only=True, help_text="Oldest first.")


class ClauseHistorySerializer(serializers.Serializer):
    clause = ClauseBriefSerializer(read_only=True)
    versions = ClauseBriefSerializer(
        many=True, read_only=True, help_text="The clause and its versions in other drafts, oldest proposal first."
    )
    lineage = LineageSerializer(many=True, read_only=True, help_text="The links between the versions.")
    stances = PartyStancesSerializer(
        many=True, read_only=True, help_text="Each holder's positions on the clause and its versions."
    )
    assessments = AssessmentBriefSerializer(
        many=True, read_only=True, help_text="Third parties' judgements of the clause and its versions: never stances."
    )


class TimelineEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        ["event", "proposal"], source="entry_type", read_only=True, help_text="Which of event/proposal is set."
    )
    date = serializers.DateField(read_only=True, allow_null=True, help_text="The earliest possible day.")
    date_latest = serializers.DateField(read_only=True, allow_null=True, help_text="The latest possible day.")
    date_precision = OptionalChoiceField(DatePrecision.choices)
    date_display = serializers.CharField(read_only=True)
    date_expression = serializers.CharField(read_only=True, help_text="The source's words for the date.")
    end_date = serializers.DateField(read_only=True, allow_null=True)
    concurrent_with = serializers.ListField(
        child=serializers.SlugField(),
        read_only=True,
        help_text="Slugs of the entries whose date intervals overlap this one's: their order is not known.",
    )
    event = EventBriefSerializer(read_only=True, allow_null=True)
    proposal = ProposalBriefSerializer(read_only=True, allow_null=True, help_text="A proposal, on its date.")


class NegotiationTimelineSerializer(serializers.Serializer):
    negotiation = NegotiationBriefSerializer(read_only=True)
    entries = TimelineEntrySerializer(
        many=True,
        read_only=True,
        help_text="By earliest day, then latest day: never before an entry whose latest day is before its earliest; "
        "overlapping entries are marked concurrent; undated last.",
    )


class StanceCellSerializer(serializers.Serializer):
    clause = serializers.SlugField(
        source="clause.slug", read_only=True, allow_null=True, help_text="The clause (a column); null: whole proposal."
    )
    positions = StanceSerializer(
        many=True, read_only=True, help_text="The holder's current positions: empty when none is recorded."
    )
    disagreement = serializers.BooleanField(
        read_only=True, help_text="Whether the current positions differ in direction or firmness."
    )


class StanceRowSerializer(serializers.Serializer):
    party = PartyBriefSerializer(read_only=True, help_text="The holder.")
    whole_proposal = StanceCellSerializer(read_only=True, help_text="Its current positions on the whole proposal.")
    cells = StanceCellSerializer(many=True, read_only=True, help_text="One per clause, in the order of `clauses`.")


class StanceMatrixSerializer(serializers.Serializer):
    proposal = ProposalBriefSerializer(read_only=True)
    clauses = ClauseBriefSerializer(many=True, read_only=True, help_text="The columns.")
    rows = StanceRowSerializer(many=True, read_only=True, help_text="One per party holding a recorded position.")
    assessments = AssessmentBriefSerializer(
        many=True, read_only=True, help_text="Third parties' judgements of the proposal or its clauses: never stances."
    )


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, help_text="The field's name.")
    old = serializers.JSONField(read_only=True, help_text="Its value before (null on creation); records by slug.")
    new = serializers.JSONField(read_only=True, help_text="Its value after; related records by slug.")


class RevisionSerializer(serializers.Serializer):
    """One change to a record, from its audit history."""

    user = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Who made it, shown to editors and administrators only; null for the seed data and for others.",
    )
    date = serializers.DateTimeField(read_only=True, help_text="When.")
    action = serializers.ChoiceField(list(ACTIONS.values()), read_only=True, help_text="What kind of change.")
    changes = FieldChangeSerializer(
        many=True,
        read_only=True,
        help_text="The fields whose values changed; a related list (topics, citations…) as the sorted slugs it holds.",
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not may_see_curators(getattr(request, "user", None)):
            data["user"] = None
        return data
