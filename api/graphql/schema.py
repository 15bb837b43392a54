"""The GraphQL schema: queries in pairs (``proposal(slug:)`` and ``proposalList(filters:, ordering:, pagination:)``)
for every model, the four analyses, records' revisions, the curation mutations (api/graphql/mutations.py), and the
limits that keep hostile queries cheap.

Export the SDL after changing anything here:
    .venv/bin/python manage.py export_schema api.graphql.schema:schema --path openapi/schema.graphql
"""

import datetime
import enum

import strawberry
import strawberry_django
from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.scalars import JSON
from strawberry_django.optimizer import DjangoOptimizerExtension

from api.graphql import analyses
from api.graphql.cost import DeadlineExecutionContext, QueryCost
from api.graphql.enums import PartyRoleKind
from api.graphql.fields import OffsetPaginated, TreatyField, field, paginate_every_list
from api.graphql.mutations import Mutation
from api.graphql.types import (
    AssessmentType,
    CitationType,
    ClauseLineageType,
    ClauseType,
    ConflictClaimType,
    ConflictType,
    EventType,
    NegotiationType,
    NonStoryPassageType,
    PartyRoleType,
    PartyType,
    PersonType,
    PositionType,
    ProposalType,
    QuantityType,
    SourceType,
    TopicType,
)
from api.graphql.views import note_faults
from api.privacy import may_see_curators
from treaty import models, revisions
from treaty.models import is_slug

SLUGGED_MODELS = [
    models.Topic,
    models.Party,
    models.Person,
    models.Source,
    models.NonStoryPassage,
    models.Citation,
    models.Negotiation,
    models.Proposal,
    models.Clause,
    models.Position,
    models.Assessment,
    models.Conflict,
    models.Event,
]

MAX_DEPTH = 10
MAX_ALIASES = 20
MAX_TOKENS = 2000


def page_of(description: str):
    """A root list, a page of records (api/graphql/cost.py checks its pagination before the query runs)."""
    return strawberry_django.offset_paginated(field_cls=TreatyField, description=description)


def one(model, type_):
    """A root field returning the ``model`` record with this slug, or null."""

    def resolve(slug: str):
        return model.objects.with_slug(slug)

    resolve.__annotations__["return"] = type_ | None
    return field(resolver=resolve, description=f"The {model._meta.verbose_name}, or null.")


RESOURCE_MODELS = {model.__name__: model for model in SLUGGED_MODELS}
Resource = strawberry.enum(
    enum.Enum("Resource", {model.__name__.upper(): model.__name__ for model in SLUGGED_MODELS}),
    description="A kind of record with a slug.",
)


@strawberry.type(description="A field's value before and after a change; related records by slug.")
class FieldChange:
    field: str
    old: JSON | None
    new: JSON | None


@strawberry.type(description="One change to a record, from its audit history.")
class Revision:
    @strawberry.field(description="Who made it, to editors and administrators only; null for the seed data and others.")
    def user(self, info: strawberry.Info) -> str | None:
        return self.user if may_see_curators(info.context.request.user) else None

    date: datetime.datetime
    action: str = strawberry.field(description="created, changed or deleted.")
    changes: list[FieldChange] = strawberry.field(
        description="The fields whose values changed; a related list (topics, citations…) as the sorted slugs it holds."
    )


@strawberry.type
class Query:
    negotiation: NegotiationType | None = one(models.Negotiation, NegotiationType)
    negotiation_list: OffsetPaginated[NegotiationType] = page_of("Negotiations, by name.")
    party: PartyType | None = one(models.Party, PartyType)
    party_list: OffsetPaginated[PartyType] = page_of("Parties, by name.")
    person: PersonType | None = one(models.Person, PersonType)
    person_list: OffsetPaginated[PersonType] = page_of("People, by name.")
    source: SourceType | None = one(models.Source, SourceType)
    source_list: OffsetPaginated[SourceType] = page_of("Sources, by date.")
    non_story_passage: NonStoryPassageType | None = one(models.NonStoryPassage, NonStoryPassageType)
    non_story_passage_list: OffsetPaginated[NonStoryPassageType] = page_of("Non-story passages, by source.")
    citation: CitationType | None = one(models.Citation, CitationType)
    citation_list: OffsetPaginated[CitationType] = page_of("Citations, by source and offset.")
    proposal: ProposalType | None = one(models.Proposal, ProposalType)
    proposal_list: OffsetPaginated[ProposalType] = page_of("Proposals, by date.")
    clause: ClauseType | None = one(models.Clause, ClauseType)
    clause_list: OffsetPaginated[ClauseType] = page_of("Clauses, by proposal and number.")
    position: PositionType | None = one(models.Position, PositionType)
    position_list: OffsetPaginated[PositionType] = page_of("Positions, by date.")
    assessment: AssessmentType | None = one(models.Assessment, AssessmentType)
    assessment_list: OffsetPaginated[AssessmentType] = page_of("Assessments (never stances), by date.")
    conflict: ConflictType | None = one(models.Conflict, ConflictType)
    conflict_list: OffsetPaginated[ConflictType] = page_of("Conflicts between sources, by slug.")
    conflict_claim_list: OffsetPaginated[ConflictClaimType] = page_of("The claims of conflicts, by conflict.")
    event: EventType | None = one(models.Event, EventType)
    event_list: OffsetPaginated[EventType] = page_of("Events, by date.")
    topic: TopicType | None = one(models.Topic, TopicType)
    topic_list: OffsetPaginated[TopicType] = page_of("Topics, by name.")
    party_role_list: OffsetPaginated[PartyRoleType] = page_of("Parties' roles in negotiations.")
    clause_lineage_list: OffsetPaginated[ClauseLineageType] = page_of("Lineage links between clauses.")
    quantity_list: OffsetPaginated[QuantityType] = page_of("Quantities named by clauses.")

    # Records without a slug are found by their natural key.
    @field(description="A party's role in a negotiation, or null.")
    def party_role(self, negotiation: str, party: str, role: PartyRoleKind) -> PartyRoleType | None:
        return models.PartyRole.objects.filter(
            negotiation__in=models.Negotiation.objects.with_slug(negotiation),
            party__in=models.Party.objects.with_slug(party),
            role=role.value,
        )

    @field(description="The lineage link from clause derivedFrom to clause, or null.")
    def clause_lineage(self, clause: str, derived_from: str) -> ClauseLineageType | None:
        return models.ClauseLineage.objects.filter(
            clause__in=models.Clause.objects.with_slug(clause),
            derived_from__in=models.Clause.objects.with_slug(derived_from),
        )

    @field(description="The quantity a clause names for a measure, or null.")
    def quantity(self, clause: str, measure: str) -> QuantityType | None:
        return models.Quantity.objects.filter(
            clause__in=models.Clause.objects.with_slug(clause), measure__in=[measure] if is_slug(measure) else []
        )

    @strawberry.field(
        description="Who changed a record, when and how: its audit history, newest first (a deleted record's too, "
        "at the slug it had); null if no record ever had the slug."
    )
    def revisions(self, resource: Resource, slug: str) -> list[Revision] | None:
        return revisions.revisions_of(RESOURCE_MODELS[resource.value], slug)

    proposal_diff: analyses.ProposalDiff | None = strawberry.field(
        resolver=analyses.proposal_diff,
        description="How the clauses of one proposal became those of another, following clause lineage.",
    )
    clause_history: analyses.ClauseHistory | None = strawberry.field(
        resolver=analyses.clause_history,
        description="A clause's lineage chain across drafts, every holder's stance timeline, and assessments apart.",
    )
    negotiation_timeline: analyses.NegotiationTimeline | None = strawberry.field(
        resolver=analyses.negotiation_timeline,
        description="A negotiation's events and proposals ordered by their date intervals, overlaps concurrent.",
    )
    stance_matrix: analyses.StanceMatrix | None = strawberry.field(
        resolver=analyses.stance_matrix,
        description="Holders by clauses of a proposal: each holder's current positions (with disagreement), "
        "and assessments apart.",
    )


def _is_internal(error: GraphQLError) -> bool:
    """An error raised by the code rather than for the client: its text may leak internals."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


def _is_introspection(context) -> bool:
    return context.node.name.value in {"__schema", "__type"}


# The depth and alias limits' validation rules, made once: the validation cache keys on the rules,
# so rules made anew for each request (as the limiter extensions do) would defeat it.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH, should_ignore=_is_introspection).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class TreatySchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        # Log the server's faults (with their tracebacks), not the clients' mistakes: those are answered.
        faults = [error for error in errors if _is_internal(error)]
        note_faults(getattr(getattr(execution_context, "context", None), "request", None), faults)
        super().process_errors(faults, execution_context)


def build_schema(debug: bool) -> strawberry.Schema:
    """The schema; with ``debug`` off, introspection is off and unexpected errors are masked."""
    extensions = [
        DjangoOptimizerExtension,
        ParserCache,
        ValidationCache,
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        QueryCost,
    ]
    if not debug:
        extensions += [
            DisableIntrospection,
            lambda: MaskErrors(should_mask_error=_is_internal, error_message="Internal error."),
        ]
    paginate_every_list(Query, Mutation)
    return TreatySchema(
        query=Query, mutation=Mutation, extensions=extensions, execution_context_class=DeadlineExecutionContext
    )


schema = build_schema(debug=settings.DEBUG)  # the one the app serves (config/urls.py) and the SDL export prints
