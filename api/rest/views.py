"""REST resources and the analyses, under /api/v1/: anyone reads, editors write."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.caching import if_match_allows
from api.rest import serializers
from api.rest.errors import Conflict, PreconditionFailed, PreconditionRequired
from api.rest.filters import filterset_for, validate_slug
from api.rest.schema import ERROR_RESPONSES
from api.rest.serializers.shared import represent
from treaty import analyses, curation, models, revisions
from treaty.models import (
    SLUG_PATTERN,
    Assessment,
    Citation,
    Clause,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
)

CACHE_SECONDS = 60


def etag(record) -> str:
    """The record's version as a strong entity tag: it changes whenever the record is saved."""
    return f'"{record.version}"'


def get_by_slug(queryset, slug: str, parameter: str | None = None):
    """The record with this slug, or a 404 that names the slug (and the parameter that gave it)."""
    record = queryset.with_slug(slug).first()
    if record is None:
        where = f" (parameter `{parameter}`)" if parameter else ""
        raise NotFound(f"No {queryset.model._meta.verbose_name} has the slug “{slug}”{where}.")
    return record


class TreatyViewSet(viewsets.ReadOnlyModelViewSet):
    """Base for the resources: lookup by slug, list and detail representations, strict query parameters.

    A resource sets ``queryset``, ``serializer_class`` (lists), ``detail_serializer_class`` and ``filterset_class``.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN.strip("^$")
    detail_serializer_class = None
    query_parameters: tuple[str, ...] = ()  # those an analysis action accepts

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_queryset(self):
        # Built once a request (the permission check, the list and its page each ask), then cloned.
        if getattr(self, "_loaded", None) is None:
            self._loaded = self.get_serializer_class().load(super().get_queryset())
        return self._loaded.all()

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        return get_by_slug(self.get_queryset(), self.kwargs["slug"])

    def allowed_query_parameters(self) -> set[str]:
        if self.action == "list":
            paginator = self.paginator
            return {
                *self.filterset_class.base_filters,
                paginator.page_query_param,
                paginator.page_size_query_param,
                paginator.cursor_query_param,
            }
        return set(self.query_parameters)

    def check_permissions(self, request):
        if hasattr(self, request.method.lower()):  # a method the endpoint lacks is a 405, whoever asks
            super().check_permissions(request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            allowed = self.allowed_query_parameters()
            unknown = sorted(set(request.query_params) - allowed)
            if unknown:
                accepted = ", ".join(sorted(allowed)) or "none"
                message = f"Unknown query parameter. This endpoint accepts: {accepted}."
                raise ValidationError({name: [message] for name in unknown})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    def represent(self, instance, serializer_class=None, many=False):
        """The representation of ``instance`` (records when ``many``), from the shared read serializers."""
        serializer_class = serializer_class or self.get_serializer_class()
        return represent(serializer_class, instance, self.get_serializer_context(), many=many)

    def list(self, request, *args, **kwargs):
        records = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(records)
        if page is None:
            return Response(self.represent(records, many=True))
        return self.get_paginated_response(self.represent(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        return Response(self.represent(record), headers={"ETag": etag(record)})

    @extend_schema(
        summary="Who changed the record, when and how",
        description="The record's audit history, newest first: each change with its user, date, kind "
        "(created, changed, deleted) and the fields it changed, old and new value; a related list's value is the "
        "sorted slugs it holds. A deleted record's history stays readable at its slug.",
        responses={200: serializers.RevisionSerializer(many=True), **ERROR_RESPONSES},
    )
    @action(detail=True, pagination_class=None)  # the whole history, as a bare list (its size is bounded by edits)
    def revisions(self, request, slug=None):
        model = self.queryset.model
        found = revisions.revisions_of(model, slug)  # a deleted record's too
        if found is None:
            raise NotFound(f"No {model._meta.verbose_name} has ever had the slug “{slug}”.")
        return self.analysis(serializers.RevisionSerializer, found, many=True)

    def analysis(self, serializer_class, result, many=False):
        return Response(self.represent(result, serializer_class, many=many))


class CuratedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, TreatyViewSet):
    """A resource editors write: POST creates (201 + Location), PUT/PATCH change and DELETE removes a record,
    given its ETag in If-Match. Each write is one transaction: a failure leaves nothing behind, and a record
    changed by someone else after the If-Match check is not overwritten (the save compares and sets the version).

    A resource also sets ``write_serializer_class``; the writing itself is treaty.curation's. Every answer to a
    write shows the record as its GET does.
    """

    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return super().get_serializer_class()

    def check_if_match(self, record) -> int:
        """The version the client read, from If-Match (428 without it, 412 when it is not the current one)."""
        header = self.request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        if not if_match_allows(parse_etags(header), record.version):  # the version part of the ETag (api/caching.py)
            raise PreconditionFailed()
        return record.version

    def written(self, record, status_code):
        """The record as its GET shows it, with its new ETag (and, when created, where it is)."""
        reader = self.detail_serializer_class or self.serializer_class
        record = reader.load(self.queryset.model._default_manager.all()).get(pk=record.pk)
        data = self.represent(record, reader)
        headers = {"ETag": etag(record)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = str(data["url"])
        return Response(data, status=status_code, headers=headers)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.written(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        version = self.check_if_match(record)
        serializer = self.get_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.written(serializer.save(version=version), status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        try:
            curation.delete(record, self.check_if_match(record))
        except curation.VersionConflict:
            raise PreconditionFailed() from None
        except curation.StillReferenced as error:
            raise Conflict(str(error)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class TopicViewSet(CuratedViewSet):
    """Topics: a small taxonomy of what clauses are about, with a crosswalk to PA-X categories."""

    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    write_serializer_class = serializers.TopicWriteSerializer
    filterset_class = filterset_for(Topic)


class PartyViewSet(CuratedViewSet):
    """Parties: states, blocs, alliances and organisations, with their aliases and roles in negotiations."""

    queryset = Party.objects.all()
    serializer_class = serializers.PartySerializer
    write_serializer_class = serializers.PartyWriteSerializer
    detail_serializer_class = serializers.PartyDetailSerializer
    filterset_class = filterset_for(Party)


class PersonViewSet(CuratedViewSet):
    """People: officials and commentators, with their titles, affiliations and aliases."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    write_serializer_class = serializers.PersonWriteSerializer
    detail_serializer_class = serializers.PersonDetailSerializer
    filterset_class = filterset_for(Person)


class SourceViewSet(CuratedViewSet):
    """Sources: the documents facts are taken from, with their stored text when we have it."""

    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer
    write_serializer_class = serializers.SourceWriteSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
    filterset_class = filterset_for(Source)


class CitationViewSet(CuratedViewSet):
    """Citations: a source and a verbatim quote from its stored text (or a locator when we have no text)."""

    queryset = Citation.objects.all()
    serializer_class = serializers.CitationSerializer
    write_serializer_class = serializers.CitationWriteSerializer
    detail_serializer_class = serializers.CitationDetailSerializer
    filterset_class = filterset_for(Citation)


class NegotiationViewSet(TreatyViewSet):
    """Negotiations: peace processes grouping proposals, events and parties."""

    queryset = Negotiation.objects.all()
    serializer_class = serializers.NegotiationSerializer
    detail_serializer_class = serializers.NegotiationDetailSerializer
    filterset_class = filterset_for(Negotiation)

    @extend_schema(
        summary="A negotiation's timeline",
        description="Its events and proposals ordered by their date intervals: an entry never comes before one "
        "whose latest day is before its earliest; entries whose intervals overlap list each other in "
        "`concurrent_with` (their relative order is not known).",
        responses={200: serializers.NegotiationTimelineSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True)
    def timeline(self, request, slug=None):
        negotiation = get_by_slug(Negotiation.objects.all(), slug)
        return self.analysis(serializers.NegotiationTimelineSerializer, analyses.negotiation_timeline(negotiation))


class ProposalViewSet(CuratedViewSet):
    """Proposals: plans, drafts, frameworks, counterproposals and demands, with their status and stage."""

    queryset = Proposal.objects.all()
    serializer_class = serializers.ProposalSerializer
    write_serializer_class = serializers.ProposalWriteSerializer
    detail_serializer_class = serializers.ProposalDetailSerializer
    filterset_class = filterset_for(Proposal)

    @extend_schema(
        summary="Compare two proposals clause by clause",
        description="How the clauses of the earlier proposal became those of the later one, following clause "
        "lineage through any intermediate drafts: carried, amended (with the quantities that changed), merged, "
        "split, renumbered, dropped, deferred, new, or `unknown` when the sources do not report a clause's fate.",
        parameters=[
            OpenApiParameter(
                "against",
                str,
                required=True,
                pattern=SLUG_PATTERN,
                description="The slug of the proposal to compare with.",
            )
        ],
        responses={200: serializers.ProposalDiffSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, query_parameters=("against",))
    def diff(self, request, slug=None):
        proposal = get_by_slug(Proposal.objects.all(), slug)
        against_slug = request.query_params.get("against")
        if not against_slug:
            raise ValidationError({"against": ["Give the slug of the proposal to compare with."]})
        try:
            validate_slug(against_slug)
        except DjangoValidationError as error:
            raise ValidationError({"against": [str(message) for message in error.messages]}) from None
        against = get_by_slug(Proposal.objects.all(), against_slug, "against")
        if against.pk == proposal.pk:
            raise ValidationError({"against": ["Compare the proposal with another one, not with itself."]})
        return self.analysis(serializers.ProposalDiffSerializer, analyses.diff_proposals(proposal, against))

    @extend_schema(
        summary="A proposal's stance matrix",
        description="Holders by clauses: each party's current positions on each clause and on the whole proposal "
        "(several when they overlap in time, with `disagreement` when they differ), each with its dates, basis and "
        "citations; and, apart, the third parties' assessments, which never count as stances.",
        responses={200: serializers.StanceMatrixSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, url_path="stance-matrix")
    def stance_matrix(self, request, slug=None):
        proposal = get_by_slug(Proposal.objects.all(), slug)
        return self.analysis(serializers.StanceMatrixSerializer, analyses.stance_matrix(proposal))


class ClauseViewSet(CuratedViewSet):
    """Clauses: the provisions of proposals, with topics, quantities, state and lineage across drafts."""

    queryset = Clause.objects.all()
    serializer_class = serializers.ClauseSerializer
    write_serializer_class = serializers.ClauseWriteSerializer
    detail_serializer_class = serializers.ClauseDetailSerializer
    filterset_class = filterset_for(Clause)

    @extend_schema(
        summary="A clause's history",
        description="The clause's versions across drafts with the lineage links between them, and every "
        "party's positions on them over time, each flagged when it is the party's latest on its clause.",
        responses={200: serializers.ClauseHistorySerializer, **ERROR_RESPONSES},
    )
    @action(detail=True)
    def history(self, request, slug=None):
        clause = get_by_slug(Clause.objects.select_related("proposal"), slug)
        return self.analysis(serializers.ClauseHistorySerializer, analyses.clause_history(clause))


class PositionViewSet(CuratedViewSet):
    """Positions: a party's stance on a clause or a whole proposal: who holds it, which way and how firmly, who
    stated it, how we know (on the record, own officials, second-hand with who reported it…), when."""

    queryset = Position.objects.all()
    serializer_class = serializers.PositionSerializer
    write_serializer_class = serializers.PositionWriteSerializer
    detail_serializer_class = serializers.PositionDetailSerializer
    filterset_class = filterset_for(Position)


class AssessmentViewSet(CuratedViewSet):
    """Assessments: third parties' judgements (analysts, former officials, a leader speaking of another party)
    about a party, proposal or clause. Never a party's stance."""

    queryset = Assessment.objects.all()
    serializer_class = serializers.AssessmentSerializer
    write_serializer_class = serializers.AssessmentWriteSerializer
    detail_serializer_class = serializers.AssessmentDetailSerializer
    filterset_class = filterset_for(Assessment)


class ConflictViewSet(TreatyViewSet):
    """Conflicts: sources disagreeing on a fact, each claim with its citations, linked to the records it touches."""

    queryset = models.Conflict.objects.all()
    serializer_class = serializers.ConflictSerializer
    filterset_class = filterset_for(models.Conflict)


class EventViewSet(CuratedViewSet):
    """Events: summits, talks, calls, statements, deadlines and leaks, with participants and proposals."""

    queryset = Event.objects.all()
    serializer_class = serializers.EventSerializer
    write_serializer_class = serializers.EventWriteSerializer
    detail_serializer_class = serializers.EventDetailSerializer
    filterset_class = filterset_for(Event)
