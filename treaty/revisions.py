"""A record's audit history (django-simple-history), as plain data for the APIs: who changed it, when, how,
and each field's old and new value. Related records are named by slug; integer ids never show. A related list
(topics, citations, authors, participants…) is a field whose value is the sorted slugs it holds, so a change
shows what was added and what removed. A revision that changed nothing shown here is left out.

The history outlives the record: a deleted record's revisions are found by the slug it had (``revisions_of``).

A write that saves a record and then sets its related lists is one revision (``one_revision``), not one per
list (django-simple-history would record the save, then each list's removals and additions apart).
"""

import datetime
import decimal
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models.signals import post_save

from treaty.models import is_slug

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


def _slugs(model, ids) -> dict:
    """id → slug for these records of ``model``: the live ones', else (deleted) the last slug their history has."""
    found = dict(model._default_manager.filter(pk__in=ids).values_list("pk", "slug"))
    gone = set(ids) - set(found)
    if gone and hasattr(model, "history"):
        for pk, slug in (
            model.history.filter(id__in=gone).order_by("history_date", "history_id").values_list("id", "slug")
        ):
            found[pk] = slug
    return found


def _lists(history_model, entries) -> dict:
    """For each related-list field: history_id → sorted slugs it held at that revision. Two queries a field."""
    result = {}
    for m2m in sorted(history_model._history_m2m_fields, key=lambda f: f.creation_counter):  # declared order
        rows = getattr(history_model, m2m.name).model.objects.filter(history__in=[e.history_id for e in entries])
        target = m2m.m2m_reverse_field_name()
        pairs = list(rows.values_list("history_id", f"{target}_id"))
        slugs = _slugs(m2m.related_model, {pk for _, pk in pairs})
        held = {entry.history_id: [] for entry in entries}
        for history_id, pk in pairs:
            held[history_id].append(slugs.get(pk, str(pk)))
        result[m2m.name] = {history_id: sorted(values) for history_id, values in held.items()}
    return result


def _entries(history):
    return list(history.select_related("history_user").order_by("history_date", "history_id"))


def revisions(record) -> list[Revision]:
    """The record's revisions, newest first, in a fixed number of queries."""
    return _revisions(type(record), _entries(record.history))


def revisions_of(model, slug: str) -> list[Revision] | None:
    """The revisions of the record of ``model`` with this slug, or of the last deleted one that had it; None if
    none ever had it."""
    if not is_slug(slug):
        return None
    record = model._default_manager.filter(slug=slug).only("pk").first()
    pk = record.pk if record else model.history.filter(slug=slug).order_by("-history_date").values("id")[:1]
    entries = _entries(model.history.filter(id__in=[pk] if record else pk))
    return _revisions(model, entries) if entries else None


def _revisions(model, entries) -> list[Revision]:
    fields = [f for f in model._meta.concrete_fields if f.name not in UNTRACKED]
    slugs = {}
    for f in fields:
        if f.is_relation:
            slugs[f.attname] = _slugs(f.related_model, {getattr(entry, f.attname) for entry in entries} - {None})
    lists = _lists(model.history.model, entries)

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
        for name, held in lists.items():
            old = held[previous.history_id] if previous else None
            if previous is None or old != held[entry.history_id]:
                changes.append(FieldChange(name, old, held[entry.history_id]))
        if entry.history_type == "-":
            changes = []
        elif entry.history_type == "~" and not changes:
            previous = entry
            continue  # a save that changed nothing (or only the version)
        user = entry.history_user.get_username() if entry.history_user else None
        result.append(Revision(user, entry.history_date, ACTIONS[entry.history_type], changes))
        previous = entry
    return result[::-1]


@contextmanager
def one_revision(record, created: bool):
    """Inside: the record's saves and related-list changes make no revisions. After (if nothing raised): one
    revision of the whole write (``record_revision``)."""
    record.skip_history_when_saving = True
    try:
        yield
    finally:
        del record.skip_history_when_saving
    record_revision(record, created)


def record_revision(record, created: bool) -> None:
    """A "created" or "changed" revision of the record with its related lists as they are now (each revision
    stores the lists it sees, so one made after they are set has them right). It sends what
    django-simple-history listens to, as the seed does for the same reason."""
    post_save.send(
        type(record), instance=record, created=created, update_fields=None, raw=False, using=record._state.db
    )
