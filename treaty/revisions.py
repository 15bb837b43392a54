"""A record's audit history (django-simple-history), as plain data for the APIs: who changed it, when, how,
and each field's old and new value. Related records are named by slug; integer ids never show.

Relations held in many-to-many fields (topics, citations…) are recorded with each revision but not diffed here.
"""

import datetime
import decimal
from dataclasses import dataclass, field

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
UNTRACKED = {"id", "version"}


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class Revision:
    user: str | None
    date: datetime.datetime
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def _plain(value):
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    return value


def revisions(record) -> list[Revision]:
    """The record's revisions, newest first, in a fixed number of queries."""
    entries = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    fields = [f for f in type(record)._meta.concrete_fields if f.name not in UNTRACKED]
    slugs = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(entry, f.attname) for entry in entries} - {None}
            slugs[f.attname] = dict(f.related_model._default_manager.filter(pk__in=ids).values_list("pk", "slug"))

    def value(entry, f):
        raw = getattr(entry, f.attname)
        if f.is_relation and raw is not None:
            return slugs[f.attname].get(raw)
        return _plain(raw)

    result, previous = [], None
    for entry in entries:
        changes = [
            FieldChange(f.name, value(previous, f) if previous else None, value(entry, f))
            for f in fields
            if previous is None or value(previous, f) != value(entry, f)
        ]
        if entry.history_type == "-":
            changes = []
        user = entry.history_user.get_username() if entry.history_user else None
        result.append(Revision(user, entry.history_date, ACTIONS[entry.history_type], changes))
        previous = entry
    return result[::-1]
