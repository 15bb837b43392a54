"""Curation through GraphQL: the same write serializers, permissions and version checks as REST.

A mutation's input goes through the REST write serializer of its model, which converts slugs to records and
leaves every rule to the model's ``full_clean()``: one validation path for the admin, REST and GraphQL.
An update names the ``version`` it edits (the REST ETag) and is refused if the record has moved on since.
"""

from __future__ import annotations

import datetime
import enum

import strawberry
from django.db import IntegrityError, transaction
from graphql import GraphQLError
from rest_framework.exceptions import ValidationError
from strawberry import UNSET

from api.graphql.enums import Basis, ClauseState, DatePrecision, EventKind, ProposalKind, ProposalStatus, Stage, Stance
from api.graphql.errors import bad_user_input
from api.graphql.types import CitationType, ClauseType, EventType, PositionType, ProposalType
from api.rest import serializers
from treaty.models import Clause, Event, Proposal, VersionConflict


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _refused(message: str, reason: str) -> GraphQLError:
    """A write refused for the state of the data (REST's 412 and 409): the client's input, so BAD_USER_INPUT."""
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "reason": reason})


def require_permission(info, model, action: str) -> None:
    """Anonymous: UNAUTHENTICATED (REST's 401); a user without the role: FORBIDDEN (REST's 403)."""
    user = info.context.request.user
    if not user.is_authenticated:
        raise _error("Authentication required: send `Authorization: Token <token>`.", "UNAUTHENTICATED")
    if not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        raise _error(f"Your role may not {action} {model._meta.verbose_name_plural}.", "FORBIDDEN")


def _data(given) -> dict:
    """The fields an input gives, as the write serializer takes them."""
    data = {}
    for name, value in vars(given).items():
        if value is UNSET:
            continue
        data[name] = value.value if isinstance(value, enum.Enum) else value
    return data


def _invalid(errors: dict) -> GraphQLError:
    """A problem with the input, naming each bad field (in extensions.errors), as REST's 400 does."""
    error = bad_user_input("Invalid input: " + "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
    error.extensions["errors"] = errors
    return error


# Text fields stored blank when unknown also take null.
BLANK_WHEN_NULL = {"stage", "date_precision", "summary", "place", "outcome", "quote", "locator", "note"}


def write(info, serializer_class, given, record=None, version: int | None = None):
    model = serializer_class.Meta.model
    require_permission(info, model, "add" if record is None else "change")
    if record is not None and record.version != version:
        raise _refused(f"Version {version} is stale: the record is at version {record.version}.", "STALE_VERSION")
    data = {name: "" if value is None and name in BLANK_WHEN_NULL else value for name, value in _data(given).items()}
    serializer = serializer_class(record, data=data, partial=record is not None)
    if not serializer.is_valid():
        raise _invalid(serializer.errors)
    try:
        with transaction.atomic():
            return serializer.save()
    except ValidationError as error:  # the model's full_clean()
        raise _invalid(error.detail) from None
    except VersionConflict:
        raise _refused("The record was changed by someone else meanwhile: read it again.", "STALE_VERSION") from None
    except IntegrityError:
        raise _refused("Another change got in first (the same slug or number?): read again.", "CONFLICT") from None


def get(info, model, slug: str):
    """The record to change; the permission is checked first, so no one learns which records exist without it."""
    require_permission(info, model, "change")
    record = model._default_manager.filter(slug=slug).first()
    if record is None:
        raise bad_user_input(f"No {model._meta.verbose_name} has the slug “{slug}”.")
    return record


@strawberry.input(description="A new proposal; related records by slug.")
class ProposalInput:
    slug: str
    negotiation: str
    title: str
    kind: ProposalKind
    status: ProposalStatus
    stage: Stage | None = UNSET
    date: datetime.date | None = UNSET
    date_precision: DatePrecision | None = UNSET
    authors: list[str] | None = UNSET
    stated_point_count: int | None = UNSET
    text_published: bool | None = UNSET
    supersedes: str | None = UNSET
    summary: str | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="Changes to a proposal: only the fields given change.")
class ProposalChanges:
    negotiation: str | None = UNSET
    title: str | None = UNSET
    kind: ProposalKind | None = UNSET
    status: ProposalStatus | None = UNSET
    stage: Stage | None = UNSET
    date: datetime.date | None = UNSET
    date_precision: DatePrecision | None = UNSET
    authors: list[str] | None = UNSET
    stated_point_count: int | None = UNSET
    text_published: bool | None = UNSET
    supersedes: str | None = UNSET
    summary: str | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="A new clause of a proposal; related records by slug.")
class ClauseInput:
    slug: str
    proposal: str
    heading: str
    text: str
    number: int | None = UNSET
    text_is_verbatim: bool | None = UNSET
    state: ClauseState | None = UNSET
    topics: list[str] | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="Changes to a clause: only the fields given change.")
class ClauseChanges:
    proposal: str | None = UNSET
    heading: str | None = UNSET
    text: str | None = UNSET
    number: int | None = UNSET
    text_is_verbatim: bool | None = UNSET
    state: ClauseState | None = UNSET
    topics: list[str] | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="A new event; related records by slug.")
class EventInput:
    slug: str
    negotiation: str
    kind: EventKind
    title: str
    date: datetime.date | None = UNSET
    date_precision: DatePrecision | None = UNSET
    end_date: datetime.date | None = UNSET
    place: str | None = UNSET
    people: list[str] | None = UNSET
    parties: list[str] | None = UNSET
    proposals: list[str] | None = UNSET
    summary: str | None = UNSET
    outcome: str | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="Changes to an event: only the fields given change.")
class EventChanges:
    negotiation: str | None = UNSET
    kind: EventKind | None = UNSET
    title: str | None = UNSET
    date: datetime.date | None = UNSET
    date_precision: DatePrecision | None = UNSET
    end_date: datetime.date | None = UNSET
    place: str | None = UNSET
    people: list[str] | None = UNSET
    parties: list[str] | None = UNSET
    proposals: list[str] | None = UNSET
    summary: str | None = UNSET
    outcome: str | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="A party's stance on a clause, or on a whole proposal when clause is null.")
class PositionInput:
    slug: str
    party: str
    proposal: str
    stance: Stance
    basis: Basis
    summary: str
    clause: str | None = UNSET
    date: datetime.date | None = UNSET
    date_precision: DatePrecision | None = UNSET
    stated_by: str | None = UNSET
    citations: list[str] | None = UNSET


@strawberry.input(description="A verbatim passage of a source (or, for a source without stored text, a locator).")
class CitationInput:
    slug: str
    source: str
    quote: str | None = UNSET
    start: int | None = UNSET
    locator: str | None = UNSET
    note: str | None = UNSET


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a proposal (editors).")
    def create_proposal(self, info: strawberry.Info, input: ProposalInput) -> ProposalType:
        return write(info, serializers.ProposalWriteSerializer, input)

    @strawberry.mutation(description="Change a proposal (editors), at the version you read.")
    def update_proposal(self, info: strawberry.Info, slug: str, version: int, changes: ProposalChanges) -> ProposalType:
        record = get(info, Proposal, slug)
        return write(info, serializers.ProposalWriteSerializer, changes, record, version)

    @strawberry.mutation(description="Create a clause (editors).")
    def create_clause(self, info: strawberry.Info, input: ClauseInput) -> ClauseType:
        return write(info, serializers.ClauseWriteSerializer, input)

    @strawberry.mutation(description="Change a clause (editors), at the version you read.")
    def update_clause(self, info: strawberry.Info, slug: str, version: int, changes: ClauseChanges) -> ClauseType:
        record = get(info, Clause, slug)
        return write(info, serializers.ClauseWriteSerializer, changes, record, version)

    @strawberry.mutation(description="Create an event (editors).")
    def create_event(self, info: strawberry.Info, input: EventInput) -> EventType:
        return write(info, serializers.EventWriteSerializer, input)

    @strawberry.mutation(description="Change an event (editors), at the version you read.")
    def update_event(self, info: strawberry.Info, slug: str, version: int, changes: EventChanges) -> EventType:
        record = get(info, Event, slug)
        return write(info, serializers.EventWriteSerializer, changes, record, version)

    @strawberry.mutation(description="Record a party's position (editors); the latest per subject is the current one.")
    def record_position(self, info: strawberry.Info, input: PositionInput) -> PositionType:
        return write(info, serializers.PositionWriteSerializer, input)

    @strawberry.mutation(description="Add a citation of a source (editors); the quote must occur in its text.")
    def add_citation(self, info: strawberry.Info, input: CitationInput) -> CitationType:
        return write(info, serializers.CitationWriteSerializer, input)
