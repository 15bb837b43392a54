"""Query-parameter filters for the REST API, built from the declarations of :mod:`treaty.filtering`.

Each filter parses its parameter, checks the value with its declaration and hands it to the function
of ``treaty.queries`` that says what the filter means, so REST and GraphQL share one meaning.
Malformed values are refused with 400; a slug that names no record, with 404 naming it. Filters
that name records or choices take several values by repeating the parameter (``?topic=a&topic=b``:
any of them).
"""

from django import forms
from django.core.validators import RegexValidator
from django_filters import rest_framework as django_filters
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import NotFound, ValidationError

from treaty import filtering, queries
from treaty.filtering import Kind
from treaty.models import SLUG_MAX_LENGTH, SLUG_PATTERN

SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}
validate_slug = RegexValidator(SLUG_PATTERN, "A slug has only letters, digits, hyphens and underscores.")


class DeclaredFilter(django_filters.Filter):
    """A filter built from a :class:`treaty.filtering.Filter`: parse (the field class), check, then its meaning."""

    schema: dict = {"type": "string"}

    def __init__(self, declared: filtering.Filter, **kwargs):
        self.declared = declared
        super().__init__(help_text=declared.help, **kwargs)
        set_override(self, "field", {**self.schema_for(), "description": declared.help})

    def schema_for(self) -> dict:
        return self.schema

    def filter(self, queryset, value):
        if value in (None, "", []):
            return queryset  # not given: not filtered
        try:
            value = self.declared.check(value)
        except filtering.UnknownRecords as error:
            raise NotFound(f"{error.message.removesuffix('.')} (parameter `{self.field_name}`).") from None
        except filtering.InvalidFilter as error:
            raise ValidationError({self.field_name: [error.message]}) from None
        if value == "":
            return queryset  # blank text: not filtered
        given = self.parent.form.cleaned_data.get(self.declared.given) or None if self.declared.given else None
        return queryset.filter(self.declared.q(value, given))


class SlugListField(forms.Field):
    """Every value of a repeated query parameter, each a slug."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(value or [])

    def validate(self, value):
        super().validate(value)
        for slug in value:
            validate_slug(slug)
            if len(slug) > SLUG_MAX_LENGTH:
                raise forms.ValidationError(f"A slug has at most {SLUG_MAX_LENGTH} characters.")


class SlugsFilter(DeclaredFilter):
    field_class = SlugListField
    schema = {"type": "array", "items": SLUG_SCHEMA}


class ChoicesFilter(DeclaredFilter, django_filters.MultipleChoiceFilter):
    """One or more values of a controlled vocabulary."""

    def __init__(self, declared, **kwargs):
        super().__init__(declared, choices=declared.choices.choices, **kwargs)

    def schema_for(self):
        return {"type": "string", "enum": list(self.declared.choices.values)}


class ISODateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]


class DateFilter(DeclaredFilter):
    """A date, YYYY-MM-DD."""

    field_class = ISODateField
    schema = {"type": "string", "format": "date"}


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        # Values go in params, never in the message itself: the message is a %-format string.
        raise forms.ValidationError("Must be true or false, not “%(value)s”.", params={"value": value})


class BooleanFilter(DeclaredFilter):
    field_class = StrictBooleanField
    schema = {"type": "boolean"}


class FreeTextField(forms.CharField):
    """Text whose NUL characters read as spaces (treaty.filtering.clean_text), not refused as Django would."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", " ")


class TextFilter(DeclaredFilter):
    field_class = FreeTextField


class IntegerFilter(DeclaredFilter):
    field_class = forms.IntegerField
    schema = {"type": "integer", "minimum": filtering.POINT_NUMBERS[0], "maximum": filtering.POINT_NUMBERS[-1]}

    def __init__(self, declared, **kwargs):
        super().__init__(declared, min_value=filtering.POINT_NUMBERS[0], max_value=filtering.POINT_NUMBERS[-1])


FILTER_CLASSES = {
    Kind.RECORDS: SlugsFilter,
    Kind.SLUGS: SlugsFilter,
    Kind.CHOICES: ChoicesFilter,
    Kind.TEXT: TextFilter,
    Kind.DATE: DateFilter,
    Kind.BOOLEAN: BooleanFilter,
    Kind.NUMBER: IntegerFilter,
}


class SearchFilter(django_filters.Filter):
    """``q``: free text through treaty.queries.search, which ranks (so it takes the queryset)."""

    field_class = FreeTextField

    def __init__(self):
        super().__init__(help_text=filtering.SEARCH_HELP)
        set_override(
            self,
            "field",
            {"type": "string", "maxLength": filtering.MAX_SEARCH_LENGTH, "description": filtering.SEARCH_HELP},
        )

    def filter(self, queryset, value):
        try:
            value = filtering.clean_text("q", value or "")
        except filtering.InvalidFilter as error:
            raise ValidationError({"q": [error.message]}) from None
        ranked = not self.parent.form.cleaned_data.get("ordering")  # an ordering given replaces relevance
        return queries.search(queryset, value, ranked=ranked) if value else queryset


class OrderingField(forms.Field):
    """Sort fields from a repeated parameter, each value possibly comma-separated; ``-`` for descending."""

    widget = forms.MultipleHiddenInput

    def __init__(self, fields, **kwargs):
        self.fields = fields
        super().__init__(**kwargs)

    def to_python(self, value):
        return [term.strip() for raw in value or [] for term in raw.split(",")]

    def validate(self, value):
        super().validate(value)
        for term in value:
            if term.removeprefix("-") not in self.fields:
                allowed = ", ".join(self.fields)
                raise forms.ValidationError(
                    "Cannot sort by “%(term)s”. Sort by %(allowed)s, each with - for descending.",
                    params={"term": term, "allowed": allowed},
                )


ORDERING_HELP = (
    "Sort by these fields (repeat the parameter or separate them by commas); a leading - "
    "sorts descending. Ties come in creation order, newest first after a descending last field, so `-x` is `x` "
    "reversed. Without it: the default order, or relevance for a `q` search on PostgreSQL."
)


class Ordering(django_filters.Filter):
    """``ordering``: sort fields, ``-`` for descending; ties broken by creation order (treaty.filtering)."""

    field_class = OrderingField

    def __init__(self, fields):
        self.fields = fields
        self.param_map = {field: field for field in fields}  # parameter value → model field, as django-filter's
        super().__init__(fields=fields, help_text=ORDERING_HELP)
        terms = [term for field in fields for term in (field, f"-{field}")]
        schema = {"type": "array", "items": {"type": "string", "enum": terms}}
        set_override(self, "field", {**schema, "description": ORDERING_HELP})

    def filter(self, queryset, value):
        return filtering.ties_in_creation_order(queryset.order_by(*value)) if value else queryset


class TreatyFilterSet(django_filters.FilterSet):
    """Base: ``ordering`` applies last so it overrides search relevance."""

    def is_valid(self):
        """Also refuse a parameter given with no value, unless it is free text (where empty means any)."""
        super().is_valid()
        for name, filter_ in self.filters.items():
            if not isinstance(filter_, TextFilter | SearchFilter) and "" in self.data.getlist(name):
                self.form.add_error(name, "A value is required; leave the parameter out not to filter by it.")
        return self.form.is_valid()

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "ordering"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset


def filterset_for(model) -> type[TreatyFilterSet]:
    """The FilterSet of ``model``'s list: ``q`` (if searchable), its declared filters, then ``ordering``."""
    listing = filtering.LISTINGS[model]
    attrs = {"q": SearchFilter()} if listing.searchable else {}
    attrs |= {declared.name: FILTER_CLASSES[declared.kind](declared) for declared in listing.filters}
    attrs["ordering"] = Ordering(listing.ordering)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (TreatyFilterSet,), attrs)
