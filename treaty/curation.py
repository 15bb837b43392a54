"""Curators' writes: the one path by which REST and GraphQL create, change and delete records.

It takes plain values (related records by slug), resolves the slugs, runs every rule of the model
(``full_clean``: constraints, uniqueness and treaty.rules, exactly as the admin does), saves with
compare-and-set on the record's version, sets many-to-many relations, and does all of it in one
transaction. It knows nothing of HTTP or GraphQL: it raises the domain errors below.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError

from treaty.models import (
    Assessment,
    Citation,
    Clause,
    Event,
    Party,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
    VersionConflict,
    is_slug,
)
from treaty.revisions import one_revision

# The fields editors write, in the order the APIs show them; the APIs build their inputs from this.
WRITABLE_FIELDS: dict[type[models.Model], list[str]] = {
    Topic: ["slug", "name", "description", "pax_categories"],
    Party: ["slug", "name", "kind", "aliases", "description", "members"],
    Person: ["slug", "name", "name_is_editorial", "title", "party", "aliases", "description", "citations"],
    Source: [
        *["slug", "kind", "tier", "republished_from", "declared_interest", "outlet", "headline", "byline"],
        *["date", "date_latest", "date_precision", "date_expression", "date_resolved_against", "date_note"],
        *["url", "text", "notes", "needs_review", "review_note"],
    ],
    Citation: ["slug", "source", "quote", "start", "locator", "note"],
    Proposal: [
        *[
            "slug",
            "negotiation",
            "title",
            "kind",
            "status",
            "stage",
            "date",
            "date_latest",
            "date_precision",
            "date_expression",
            "date_resolved_against",
            "date_note",
            "authors",
        ],
        *["stated_point_count", "text_published", "supersedes", "summary", "citations", "needs_review", "review_note"],
    ],
    Clause: [
        *["slug", "proposal", "number", "heading", "text", "text_is_verbatim", "state", "confidence", "topics"],
        *["citations", "needs_review", "review_note"],
    ],
    Position: [
        *["slug", "holder", "proposal", "clause", "direction", "firmness", "speaker", "basis", "reported_by"],
        *[
            "reported_by_person",
            "date",
            "date_latest",
            "date_precision",
            "date_expression",
            "date_resolved_against",
            "date_note",
        ],
        *["summary", "citations", "needs_review", "review_note"],
    ],
    Assessment: [
        *[
            "slug",
            "assessor",
            "assessor_description",
            "about",
            "proposal",
            "clause",
            "date",
            "date_latest",
            "date_precision",
            "date_expression",
            "date_resolved_against",
            "date_note",
        ],
        *["summary", "citations", "needs_review", "review_note"],
    ],
    Event: [
        *[
            "slug",
            "negotiation",
            "kind",
            "title",
            "date",
            "date_latest",
            "date_precision",
            "date_expression",
            "date_resolved_against",
            "date_note",
            "end_date",
            "place",
            "people",
        ],
        *["parties", "proposals", "summary", "outcome", "citations", "needs_review", "review_note"],
    ],
}

__all__ = ["WRITABLE_FIELDS", "Conflict", "Invalid", "StillReferenced", "VersionConflict", "create", "delete", "update"]


class Invalid(Exception):
    """The record breaks a rule; ``errors`` names each bad field (``__all__``: the record as a whole)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))
        self.errors = errors


class Conflict(Exception):
    """A concurrent write got in first (the same slug or clause number)."""


class StillReferenced(Exception):
    """Other records still refer to the one to delete; ``kinds`` names them."""

    def __init__(self, kinds: list[str]):
        super().__init__(f"Other records still refer to this one ({', '.join(kinds)}): change those first.")
        self.kinds = kinds


def create(model: type[models.Model], data: dict):
    """A new ``model`` record from ``data`` (field name → value; related records by slug)."""
    return _save(model(), data)


def update(record, data: dict, version: int):
    """``record`` changed by ``data``, if it is still at ``version`` (else VersionConflict)."""
    if record.version != version:
        raise VersionConflict(f"Version {version} is stale: the record is at version {record.version}.")
    if "slug" in data and data["slug"] != record.slug:
        raise Invalid({"slug": ["A slug is a stable identifier: it cannot be changed."]})
    return _save(record, data)


def delete(record, version: int) -> None:
    """Deletes ``record`` if it is still at ``version`` and nothing refers to it."""
    try:
        with transaction.atomic():
            # Claim the version read, as a save does, so a concurrent edit is not deleted unseen.
            manager = type(record)._default_manager
            if record.version != version or not manager.filter(pk=record.pk, version=version).update(
                version=version + 1
            ):
                raise VersionConflict(f"{record._meta.verbose_name} “{record}” was changed by someone else.")
            record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise StillReferenced(sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})) from None


def reference_problems(model: type[models.Model], data: dict) -> dict[str, list[str]]:
    """What is wrong with the related records ``data`` names (slugs that name none), by field; without saving."""
    return _resolve(model, data)[0]


def _resolve(model, data: dict) -> tuple[dict, dict, dict]:
    """``data`` as (problems by field, single-valued fields, many-to-many fields), related records resolved."""
    errors, single, many = {}, {}, {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        try:
            if field.many_to_many:
                many[name] = _records(field, value)
            elif field.is_relation:
                single[name] = None if value is None else _records(field, [value])[0]
            elif (
                value is None
                and field.blank
                and not field.null
                and isinstance(field, models.CharField | models.TextField)
            ):
                single[name] = ""  # unknown text is stored blank
            else:
                single[name] = value
        except Invalid as error:
            errors[name] = [message for messages in error.errors.values() for message in messages]
    return errors, single, many


def _save(record, data: dict):
    unknown = sorted(set(data) - set(WRITABLE_FIELDS[type(record)]))
    if unknown:
        raise Invalid({name: ["Not a field editors can write."] for name in unknown})
    errors, single, many = _resolve(type(record), data)
    if errors:
        raise Invalid(errors)
    for name, value in single.items():
        setattr(record, name, value)
    try:
        with transaction.atomic(), one_revision(record, created=record._state.adding):
            try:
                record.full_clean()
            except ValidationError as error:
                raise Invalid(_by_field(error)) from None
            record.save()
            for name, values in many.items():
                getattr(record, name).set(values)
    except IntegrityError:
        raise Conflict("Another change got in first (the same slug or number?): read the data again.") from None
    return record


def _records(field, slugs) -> list:
    """The related records the slugs name, in their order; Invalid naming any slug that names none."""
    if not isinstance(slugs, list | tuple) or not all(isinstance(slug, str) for slug in slugs):
        raise Invalid({field.name: ["Give related records by slug."]})
    related = field.related_model
    found = {
        record.slug: record for record in related.objects.filter(slug__in=[slug for slug in slugs if is_slug(slug)])
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        names = ", ".join(f"“{slug}”" for slug in missing)
        raise Invalid({field.name: [f"No {related._meta.verbose_name} has the slug {names}."]})
    return [found[slug] for slug in slugs]


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    return {
        ("__all__" if name == NON_FIELD_ERRORS else name): [str(message) for message in messages]
        for name, messages in error.message_dict.items()
    }
