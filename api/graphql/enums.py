"""GraphQL enums for the controlled vocabularies of treaty.choices.

A value's GraphQL name is its choice's Python name (``RED_LINE`` for ``"red-line"``), so
names are stable; the human label becomes the value's description.
"""

import enum
import inspect

import strawberry
from django.db import models

from treaty import choices


def choices_enum(choices_class: type[models.TextChoices]):
    members = {
        member.name: strawberry.enum_value(member.value, description=str(member.label)) for member in choices_class
    }
    description = inspect.cleandoc(choices_class.__doc__) if choices_class.__doc__ else None
    return strawberry.enum(enum.Enum(choices_class.__name__, members), description=description)


_ENUMS = {
    choices_class: choices_enum(choices_class)
    for choices_class in (
        choices.DatePrecision,
        choices.PartyKind,
        choices.PartyRoleKind,
        choices.SourceKind,
        choices.ProposalKind,
        choices.ProposalStatus,
        choices.Stage,
        choices.ClauseState,
        choices.ChangeKind,
        choices.SourceTier,
        choices.Direction,
        choices.Firmness,
        choices.Basis,
        choices.Confidence,
        choices.Support,
        choices.EventKind,
        choices.QuantityQualifier,
    )
}


def enum_for(choices_class: type[models.TextChoices]):
    """The GraphQL enum of a vocabulary."""
    return _ENUMS[choices_class]


DatePrecision = enum_for(choices.DatePrecision)
PartyKind = enum_for(choices.PartyKind)
PartyRoleKind = enum_for(choices.PartyRoleKind)
SourceKind = enum_for(choices.SourceKind)
ProposalKind = enum_for(choices.ProposalKind)
ProposalStatus = enum_for(choices.ProposalStatus)
Stage = enum_for(choices.Stage)
ClauseState = enum_for(choices.ClauseState)
ChangeKind = enum_for(choices.ChangeKind)
SourceTier = enum_for(choices.SourceTier)
Direction = enum_for(choices.Direction)
Firmness = enum_for(choices.Firmness)
Confidence = enum_for(choices.Confidence)
Support = enum_for(choices.Support)
Basis = enum_for(choices.Basis)
EventKind = enum_for(choices.EventKind)
QuantityQualifier = enum_for(choices.QuantityQualifier)
