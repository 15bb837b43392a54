"""Field types shared by the representations: links, slugs, optional choices and dates with their precision."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse

from treaty.choices import (
    DatePrecision,
)

SLUG_MARK = "slug-mark"  # stands for the slug in a URL reversed once per request (slugs need no quoting)


def url_for_slug(view_name: str, slug: str, request, format=None) -> str:
    """reverse(view_name, slug=slug) made absolute: resolved once per request and view, then filled in, so a page
    of records does not run URL resolution once per record and link."""
    if request is None or format:
        return reverse(view_name, kwargs={"slug": slug}, request=request, format=format)
    templates = request.__dict__.setdefault("_url_templates", {})
    template = templates.get(view_name)
    if template is None:
        url = reverse(view_name, kwargs={"slug": SLUG_MARK}, request=request)
        template = templates[view_name] = url.rpartition(SLUG_MARK)[::2]
    return slug.join(template)


class SlugLinkField(serializers.HyperlinkedIdentityField):
    def get_url(self, obj, view_name, request, format):
        if obj.pk in (None, ""):  # as DRF's: an unsaved record has no URL
            return None
        return url_for_slug(view_name, obj.slug, request, format)


def link(model_name: str):
    return SlugLinkField(view_name=f"v1:{model_name}-detail", lookup_field="slug", help_text="This record in the API.")


def prefetched(instance, name: str):
    """The records of a many-to-many or reverse relation loaded by prefetch_related, or None when not prefetched:
    reading the prefetch cache directly skips building a related manager and a queryset per record."""
    cache = getattr(instance, "_prefetched_objects_cache", None)
    return cache.get(name) if cache else None


class PrefetchedSlugsField(serializers.ManyRelatedField):
    def get_attribute(self, instance):
        if len(self.source_attrs) == 1:
            records = prefetched(instance, self.source_attrs[0])
            if records is not None:
                return records
        return super().get_attribute(instance)

    def to_representation(self, iterable):
        return [record.slug for record in iterable]


class SlugField(serializers.SlugRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):  # as DRF's, with the field above
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return PrefetchedSlugsField(child_relation=cls(*args, **kwargs), **list_kwargs)


class SlugOf(SlugField):
    """A related record (or list of them) as its slug; null wherever the model's field may be null, so the schema
    says so (drf-spectacular reads ``allow_null``, which a read-only field does not take from the model)."""

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        model = getattr(getattr(parent, "Meta", None), "model", None)
        if model is not None and "." not in self.source:
            field = model._meta.get_field(self.source)
            self.allow_null = self.allow_null or bool(getattr(field, "null", False) and not field.many_to_many)


def slug_of(help_text: str, **kwargs):
    return SlugOf(slug_field="slug", read_only=True, help_text=help_text, **kwargs)


class OptionalChoiceField(serializers.ChoiceField):
    """A choice stored as an empty string when unknown, shown as null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalURLField(serializers.URLField):
    """A URL stored as an empty string when unknown, shown as null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


def whole_number(help_text: str):
    """An integer field with no database-specific bounds, so the schema is the same on every database."""
    return serializers.IntegerField(read_only=True, allow_null=True, help_text=help_text)


def choice(choices, help_text: str):
    return serializers.ChoiceField(choices.choices, read_only=True, help_text=help_text)


DATE_FIELDS = [
    *["date", "date_latest", "date_precision", "date_display", "date_expression", "date_resolved_against"],
    "date_note",
]


class DatedSerializer(serializers.Serializer):
    """Dates as intervals: ``date`` the earliest possible day, ``date_latest`` the latest, with the precision, the
    source's own words and the date they were resolved against."""

    date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The earliest possible day; null when unknown."
    )
    date_latest = serializers.DateField(
        read_only=True, allow_null=True, help_text="The latest possible day (the same day when day-precise)."
    )
    date_expression = serializers.CharField(read_only=True, help_text="The source's words: “last week”, “on Friday”.")
    date_resolved_against = serializers.DateField(
        read_only=True, allow_null=True, help_text="The date the expression was resolved against."
    )
    date_precision = OptionalChoiceField(
        DatePrecision.choices, help_text="How much of the date is known; null when the date is unknown."
    )
    date_display = serializers.CharField(read_only=True, help_text="The date as precisely as it is known.")


@extend_schema_field(OpenApiTypes.URI)
class AnalysisLinkField(serializers.Field):
    """A link to one of the analyses of a record."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return url_for_slug(self.view_name, slug, self.context.get("request"))
