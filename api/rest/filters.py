"""Query-parameter filters for the REST API.

Each filter validates its parameter and hands the value to the function of
``treaty.queries`` that says what the filter means (its ``query``), so REST and
GraphQL share one meaning. Malformed values are refused with 400; a slug that
names no record, with 404 naming it. Filters that name records or choices take
several values by repeating the parameter (``?topic=a&topic=b``: any of them).
"""

from django import forms
from django.core.validators import RegexValidator
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import NotFound

from treaty import queries
from treaty.choices import (
    Basis,
    ClauseState,
    EventKind,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    SourceKind,
    Stage,
    Stance,
)
from treaty.models import (
    Citation,
    Clause,
    Event,
    Negotiation,
    Party,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 120}
validate_slug = RegexValidator(SLUG_PATTERN, "A slug has only letters, digits, hyphens and underscores.")


class QueryFilterMixin:
    """A filter whose meaning is ``query(value)``, a Q-builder of treaty.queries, and whose schema it states."""

    schema: dict = {"type": "string"}

    def __init__(self, query, *, help_text: str, **kwargs):
        self.query = query
        super().__init__(help_text=help_text, **kwargs)
        set_override(self, "field", {**self.schema_for(), "description": help_text})

    def schema_for(self) -> dict:
        return self.schema

    def filter(self, queryset, value):
        return queryset.filter(self.query(value)) if value else queryset  # no value: not filtered


class SlugListField(forms.Field):
    """Every value of a repeated query parameter, each a slug."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(value or [])

    def validate(self, value):
        super().validate(value)
        for slug in value:
            validate_slug(slug)
            if len(slug) > SLUG_SCHEMA["maxLength"]:
                raise forms.ValidationError(f"A slug has at most {SLUG_SCHEMA['maxLength']} characters.")


class RecordsFilter(QueryFilterMixin, filters.Filter):
    """Records named by slug (of ``model``, or of any of a tuple of models); an unknown slug is answered 404."""

    field_class = SlugListField
    schema = {"type": "array", "items": SLUG_SCHEMA}

    def __init__(self, model, query, **kwargs):
        self.models = model if isinstance(model, tuple) else (model,)
        super().__init__(query, **kwargs)

    def filter(self, queryset, value):
        if value:
            known = set()
            for model in self.models:
                known.update(model.objects.filter(slug__in=value).values_list("slug", flat=True))
            unknown = [slug for slug in value if slug not in known]
            if unknown:
                kinds = " or ".join(str(model._meta.verbose_name) for model in self.models)
                slugs = ", ".join(f"“{slug}”" for slug in unknown)
                raise NotFound(f"No {kinds} has the slug {slugs} (parameter `{self.field_name}`).")
        return super().filter(queryset, value)


class ChoicesFilter(QueryFilterMixin, filters.MultipleChoiceFilter):
    """One or more values of a controlled vocabulary."""

    def __init__(self, choices, query, **kwargs):
        super().__init__(query, choices=choices.choices, **kwargs)

    def schema_for(self):
        return {"type": "string", "enum": [value for value, _ in self.extra["choices"]]}


class ISODateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]


class DateFilter(QueryFilterMixin, filters.Filter):
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


class BooleanFilter(QueryFilterMixin, filters.Filter):
    field_class = StrictBooleanField
    schema = {"type": "boolean"}

    def filter(self, queryset, value):
        return queryset if value is None else queryset.filter(self.query(value))


class FreeTextField(forms.CharField):
    """Text whose NUL characters read as spaces: stored text cannot contain one, so they match nothing anyway."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", " ").strip()


class TextFilter(QueryFilterMixin, filters.Filter):
    field_class = FreeTextField


class SearchFilter(TextFilter):
    def filter(self, queryset, value):
        return self.query(queryset, value) if value else queryset


class IntegerFilter(QueryFilterMixin, filters.Filter):
    field_class = forms.IntegerField
    schema = {"type": "integer", "minimum": 1, "maximum": 32767}

    def __init__(self, query, **kwargs):
        super().__init__(query, min_value=1, max_value=32767, **kwargs)


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


class Ordering(QueryFilterMixin, filters.Filter):
    """``ordering``: sort fields, ``-`` for descending; ties broken by creation order."""

    field_class = OrderingField

    def __init__(self, *fields):
        self.fields = fields
        self.param_map = {field: field for field in fields}  # parameter value → model field, as django-filter's
        super().__init__(
            None,
            fields=fields,
            help_text="Sort by these fields (repeat the parameter or separate them by commas); a leading - "
            "sorts descending. Without it: the default order, or relevance for a `q` search on PostgreSQL.",
        )

    def schema_for(self):
        terms = [term for field in self.fields for term in (field, f"-{field}")]
        return {"type": "array", "items": {"type": "string", "enum": terms}}

    def filter(self, queryset, value):
        return queryset.order_by(*value, "pk") if value else queryset


class TreatyFilterSet(filters.FilterSet):
    """Base: free-text ``q`` on every resource; ``ordering`` applies last so it overrides search relevance."""

    q = SearchFilter(
        queries.search,
        help_text="Free-text search, names and aliases included. On PostgreSQL: full-text search ranked by "
        'relevance (web-search syntax: words, "quoted phrases", -excluded).',
    )

    def is_valid(self):
        """Also refuse a parameter given with no value, unless it is free text (where empty means any)."""
        super().is_valid()
        for name, filter_ in self.filters.items():
            if not isinstance(filter_, TextFilter) and "" in self.data.getlist(name):
                self.form.add_error(name, "A value is required; leave the parameter out not to filter by it.")
        return self.form.is_valid()

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "ordering"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset


def date_filters(query, noun: str):
    after = DateFilter(lambda value: query(after=value), help_text=f"{noun} on or after this date (YYYY-MM-DD).")
    before = DateFilter(lambda value: query(before=value), help_text=f"{noun} on or before this date (YYYY-MM-DD).")
    return after, before


class TopicFilterSet(TreatyFilterSet):
    ordering = Ordering("name", "slug")

    class Meta:
        model = Topic
        fields = []


class PartyFilterSet(TreatyFilterSet):
    name = TextFilter(queries.parties_by_name, help_text="Name or alias contains this text (case-insensitive).")
    kind = ChoicesFilter(PartyKind, queries.parties_by_kind, help_text="Kind of party.")
    negotiation = RecordsFilter(
        Negotiation, queries.parties_by_negotiation, help_text="Taking part in this negotiation (slug)."
    )
    role = ChoicesFilter(PartyRoleKind, queries.parties_by_role, help_text="Having this role in a negotiation.")
    ordering = Ordering("name", "slug", "kind")

    class Meta:
        model = Party
        fields = []


class PersonFilterSet(TreatyFilterSet):
    name = TextFilter(queries.people_by_name, help_text="Name or alias contains this text (case-insensitive).")
    party = RecordsFilter(Party, queries.people_by_party, help_text="Affiliated with this party (slug).")
    ordering = Ordering("name", "slug")

    class Meta:
        model = Person
        fields = []


class NegotiationFilterSet(TreatyFilterSet):
    party = RecordsFilter(Party, queries.negotiations_by_party, help_text="With this party taking part (slug).")
    ordering = Ordering("name", "slug", "date")

    class Meta:
        model = Negotiation
        fields = []


class SourceFilterSet(TreatyFilterSet):
    outlet = TextFilter(queries.sources_by_outlet, help_text="Published by this outlet (exact name, any case).")
    kind = ChoicesFilter(SourceKind, queries.sources_by_kind, help_text="Kind of document.")
    date_after, date_before = date_filters(queries.sources_by_date, "Published")
    has_text = BooleanFilter(queries.sources_by_has_text, help_text="Whether we store the text.")
    ordering = Ordering("date", "slug", "outlet")

    class Meta:
        model = Source
        fields = []


class CitationFilterSet(TreatyFilterSet):
    source = RecordsFilter(Source, queries.citations_by_source, help_text="Citing this source (slug).")
    ordering = Ordering("slug", "start")

    class Meta:
        model = Citation
        fields = []


class ProposalFilterSet(TreatyFilterSet):
    negotiation = RecordsFilter(Negotiation, queries.proposals_by_negotiation, help_text="In this negotiation.")
    kind = ChoicesFilter(ProposalKind, queries.proposals_by_kind, help_text="Kind of proposal.")
    status = ChoicesFilter(ProposalStatus, queries.proposals_by_status, help_text="Lifecycle status.")
    stage = ChoicesFilter(Stage, queries.proposals_by_stage, help_text="PA-X agreement stage.")
    author = RecordsFilter(Party, queries.proposals_by_author, help_text="Authored (alone or jointly) by this party.")
    date_after, date_before = date_filters(queries.proposals_by_date, "Presented")
    text_published = BooleanFilter(queries.proposals_by_text_published, help_text="Whether the full text is public.")
    ordering = Ordering("date", "slug", "title")

    class Meta:
        model = Proposal
        fields = []


class ClauseStanceFilter(ChoicesFilter):
    """Stances on clauses; with ``party`` given, the stance must be that party's."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        parties = self.parent.form.cleaned_data.get("party") or None
        return queryset.filter(queries.clauses_by_stance(stances=value, parties=parties))


class ClauseFilterSet(TreatyFilterSet):
    proposal = RecordsFilter(Proposal, queries.clauses_by_proposal, help_text="Clauses of this proposal (slug).")
    negotiation = RecordsFilter(
        Negotiation, queries.clauses_by_negotiation, help_text="Clauses of the proposals of this negotiation."
    )
    topic = RecordsFilter(Topic, queries.clauses_by_topic, help_text="Tagged with this topic (slug).")
    number = IntegerFilter(queries.clauses_by_number, help_text="Point number in its proposal.")
    state = ChoicesFilter(ClauseState, queries.clauses_by_state, help_text="Negotiation state.")
    party = RecordsFilter(
        Party,
        lambda parties: queries.clauses_by_stance(parties=parties),
        help_text="Clauses on which this party has taken a position (slug).",
    )
    stance = ClauseStanceFilter(
        Stance,
        queries.clauses_by_stance,
        help_text="Clauses on which a party's current stance is this; with `party`, that party's.",
    )
    ordering = Ordering("number", "slug", "heading")

    class Meta:
        model = Clause
        fields = []


class PositionFilterSet(TreatyFilterSet):
    party = RecordsFilter(Party, queries.positions_by_party, help_text="Taken by this party (slug).")
    proposal = RecordsFilter(
        Proposal, queries.positions_by_proposal, help_text="On this proposal or one of its clauses (slug)."
    )
    clause = RecordsFilter(Clause, queries.positions_by_clause, help_text="On this clause (slug).")
    whole_proposal = BooleanFilter(
        queries.positions_on_whole_proposal, help_text="true: stances on whole proposals; false: on clauses."
    )
    stance = ChoicesFilter(Stance, queries.positions_by_stance, help_text="The stance.")
    basis = ChoicesFilter(Basis, queries.positions_by_basis, help_text="On what the attribution rests.")
    speaker = RecordsFilter(Person, queries.positions_by_speaker, help_text="Stated by this person (slug).")
    current = BooleanFilter(
        lambda current: queries.positions_current() if current else ~queries.positions_current(),
        help_text="true: only each party's latest position on each subject; false: only superseded ones.",
    )
    date_after, date_before = date_filters(queries.positions_by_date, "Taken")
    ordering = Ordering("date", "slug", "stance")

    class Meta:
        model = Position
        fields = []


class EventFilterSet(TreatyFilterSet):
    negotiation = RecordsFilter(Negotiation, queries.events_by_negotiation, help_text="In this negotiation.")
    kind = ChoicesFilter(EventKind, queries.events_by_kind, help_text="Kind of event.")
    participant = RecordsFilter(
        (Person, Party), queries.events_by_participant, help_text="With this person or party taking part (slug)."
    )
    proposal = RecordsFilter(Proposal, queries.events_by_proposal, help_text="Concerning this proposal (slug).")
    date_after = DateFilter(
        lambda value: queries.events_by_date(after=value),
        help_text="Happening on or after this date (YYYY-MM-DD); an event of several days counts if it ends then.",
    )
    date_before = DateFilter(
        lambda value: queries.events_by_date(before=value), help_text="Starting on or before this date (YYYY-MM-DD)."
    )
    ordering = Ordering("date", "slug", "title")

    class Meta:
        model = Event
        fields = []
