"""Curation through GraphQL: the write service of the domain (treaty.curation), as REST uses it.

The inputs are built from the models and the fields the service lets editors write: a ``XInput``
to create (the model's required fields required) and a ``XChanges`` to update (only the fields
given change). Related records are given by slug. An update names the ``version`` it edits (the
REST ETag) and is refused if the record has moved on since. Permission is checked before any
record is looked up.
"""

from __future__ import annotations

import datetime
import enum

import strawberry
from django.db import models
from graphql import GraphQLError
from strawberry import UNSET

from api.graphql.enums import enum_for
from api.graphql.errors import bad_user_input
from api.graphql.types import AssessmentType, CitationType, ClauseType, EventType, PositionType, ProposalType
from treaty import curation
from treaty.choices import vocabulary_of
from treaty.models import Assessment, Citation, Clause, Event, Position, Proposal


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


def _invalid(errors: dict) -> GraphQLError:
    """A problem with the input, naming each bad field (in extensions.errors), as REST's 400 does."""
    error = bad_user_input("Invalid input: " + "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
    error.extensions["errors"] = errors
    return error


def write(info, model, given, slug: str | None = None, version: int | None = None):
    """Creates a ``model`` record from the input ``given`` or, given ``slug``, changes that record."""
    require_permission(info, model, "add" if slug is None else "change")
    data = {
        name: value.value if isinstance(value, enum.Enum) else value
        for name, value in vars(given).items()
        if value is not UNSET
    }
    try:
        if slug is None:
            return curation.create(model, data)
        record = model.objects.with_slug(slug).first()
        if record is None:
            raise bad_user_input(f"No {model._meta.verbose_name} has the slug “{slug}”.")
        return curation.update(record, data, version)
    except curation.Invalid as error:
        raise _invalid(error.errors) from None
    except curation.VersionConflict as error:
        raise _refused(f"{error} Read the record again.", "STALE_VERSION") from None
    except curation.Conflict as error:
        raise _refused(str(error), "CONFLICT") from None


def _python_type(field: models.Field):
    if field.many_to_many:
        return list[str]
    if field.is_relation:
        return str
    if field.choices:
        return enum_for(vocabulary_of(field))
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    if isinstance(field, models.DateField):
        return datetime.date
    if isinstance(field, models.JSONField):
        return list[str]
    return str


def _required(field: models.Field) -> bool:
    return not (field.many_to_many or field.null or field.blank or field.has_default())


def input_types(model, description: str) -> tuple[type, type]:
    """``XInput`` (to create: required fields first, as the model requires them) and ``XChanges`` (to update)."""
    fields = [model._meta.get_field(name) for name in curation.WRITABLE_FIELDS[model]]
    fields.sort(key=lambda field: not _required(field))  # stable: the service's order otherwise
    create = {"__annotations__": {}}
    for field in fields:
        kind = _python_type(field)
        create["__annotations__"][field.name] = kind if _required(field) else kind | None
        if not _required(field):
            create[field.name] = UNSET
    changes = {"__annotations__": {f.name: _python_type(f) | None for f in fields if f.name != "slug"}}
    changes |= dict.fromkeys(changes["__annotations__"], UNSET)
    name = model.__name__
    return (
        strawberry.input(type(f"{name}Input", (), create), description=description),
        strawberry.input(
            type(f"{name}Changes", (), changes), description=f"Changes to {_a(model)}: only the fields given change."
        ),
    )


def _a(model) -> str:
    noun = model._meta.verbose_name
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


ProposalInput, ProposalChanges = input_types(Proposal, "A new proposal; related records by slug.")
ClauseInput, ClauseChanges = input_types(Clause, "A new clause of a proposal; related records by slug.")
EventInput, EventChanges = input_types(Event, "A new event; related records by slug.")
PositionInput, _ = input_types(
    Position, "A party's stance on a clause, or on a whole proposal when clause is null: holder, speaker, basis."
)
AssessmentInput, _ = input_types(Assessment, "A third party's judgement about a party, proposal or clause.")
CitationInput, _ = input_types(
    Citation, "A verbatim passage of a source (or, for a source without stored text, a locator)."
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a proposal (editors).")
    def create_proposal(self, info: strawberry.Info, input: ProposalInput) -> ProposalType:
        return write(info, Proposal, input)

    @strawberry.mutation(description="Change a proposal (editors), at the version you read.")
    def update_proposal(self, info: strawberry.Info, slug: str, version: int, changes: ProposalChanges) -> ProposalType:
        return write(info, Proposal, changes, slug, version)

    @strawberry.mutation(description="Create a clause (editors).")
    def create_clause(self, info: strawberry.Info, input: ClauseInput) -> ClauseType:
        return write(info, Clause, input)

    @strawberry.mutation(description="Change a clause (editors), at the version you read.")
    def update_clause(self, info: strawberry.Info, slug: str, version: int, changes: ClauseChanges) -> ClauseType:
        return write(info, Clause, changes, slug, version)

    @strawberry.mutation(description="Create an event (editors).")
    def create_event(self, info: strawberry.Info, input: EventInput) -> EventType:
        return write(info, Event, input)

    @strawberry.mutation(description="Change an event (editors), at the version you read.")
    def update_event(self, info: strawberry.Info, slug: str, version: int, changes: EventChanges) -> EventType:
        return write(info, Event, changes, slug, version)

    @strawberry.mutation(
        description="Record a party's position (editors); a later one supersedes it only once this one has ended."
    )
    def record_position(self, info: strawberry.Info, input: PositionInput) -> PositionType:
        return write(info, Position, input)

    @strawberry.mutation(description="Record a third party's assessment (editors): never a stance.")
    def record_assessment(self, info: strawberry.Info, input: AssessmentInput) -> AssessmentType:
        return write(info, Assessment, input)

    @strawberry.mutation(description="Add a citation of a source (editors); the quote must occur in its text.")
    def add_citation(self, info: strawberry.Info, input: CitationInput) -> CitationType:
        return write(info, Citation, input)
