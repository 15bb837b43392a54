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


DatePrecision = choices_enum(choices.DatePrecision)
PartyKind = choices_enum(choices.PartyKind)
PartyRoleKind = choices_enum(choices.PartyRoleKind)
SourceKind = choices_enum(choices.SourceKind)
ProposalKind = choices_enum(choices.ProposalKind)
ProposalStatus = choices_enum(choices.ProposalStatus)
Stage = choices_enum(choices.Stage)
ClauseState = choices_enum(choices.ClauseState)
ChangeKind = choices_enum(choices.ChangeKind)
Stance = choices_enum(choices.Stance)
Basis = choices_enum(choices.Basis)
EventKind = choices_enum(choices.EventKind)
QuantityQualifier = choices_enum(choices.QuantityQualifier)
