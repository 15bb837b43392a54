"""What editors send: the serializers check the input's types strictly and nothing else. The slug lookups,
every rule and the saving belong to the write service (treaty.curation), which GraphQL calls too."""

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from api.rest.errors import Conflict, PreconditionFailed
from treaty import curation
from treaty.models import (
    SLUG_MAX_LENGTH,
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
)


def storable(text: str) -> bool:
    """Whether every database can store the text: no NUL character, no lone UTF-16 surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


class StrictCharField(serializers.CharField):
    """Text must be sent as a JSON string (DRF would turn a number into text) that any database can store."""

    default_error_messages = {"unstorable": "Text may not contain NUL characters or lone surrogates."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not storable(data):
            self.fail("unstorable")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false as JSON booleans (DRF would also take 0, 1, "yes", "on"…, which the schema does not allow)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictSlugField(StrictCharField, serializers.SlugField):
    """A slug (treaty.models.SLUG_PATTERN, which is Django's), sent as a JSON string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX_LENGTH)
        super().__init__(**kwargs)


class SlugList(serializers.ListField):
    """Related records as a JSON list of slugs (DRF would take any iterable, such as an object's keys)."""

    child = StrictSlugField()

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def problems(error: curation.Invalid) -> dict:
    """The write service's errors by field, in DRF's shape (the whole record under non_field_errors)."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name): messages
        for name, messages in error.errors.items()
    }


class WriteSerializer(serializers.ModelSerializer):
    """What an editor sends to create or change a record: related records by slug.

    The serializer only converts types. Every rule (uniqueness, constraints, the domain rules in
    treaty.rules) is checked once, by the model's ``full_clean()``, exactly as the admin checks it.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.BooleanField: StrictBooleanField,
    }

    def build_relational_field(self, field_name, relation_info):
        model_field = relation_info.model_field
        noun = relation_info.related_model._meta.verbose_name
        if relation_info.to_many:
            return SlugList, {"required": False, "help_text": model_field.help_text or f"Slugs of {noun} records."}
        optional = model_field.null or model_field.blank
        help_text = model_field.help_text or f"The {noun}'s slug."
        return StrictSlugField, {"required": not optional, "allow_null": optional, "help_text": help_text}

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.IntegerField) and "max_value" in kwargs:
            # The bounds every database accepts, so the contract is the same on all of them.
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            kwargs["min_value"], kwargs["max_value"] = max(kwargs.get("min_value", low), low), high
        if field_name == "slug":  # the rule curation.update enforces, stated where clients read it
            kwargs["help_text"] = (
                f"{kwargs.get('help_text', '')} Given when the record is created and never changed after: a PUT "
                "or PATCH may leave it out or repeat it; any other value is refused (400)."
            ).strip()
        # Uniqueness is the model's to check (full_clean), with the admin's wording.
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    def get_validators(self):
        return []  # unique together: the model checks it

    def is_valid(self, *, raise_exception=False):
        """Also names the related records that do not exist when other fields are wrong: every bad field at once."""
        valid = super().is_valid()
        if not valid and isinstance(self.initial_data, dict):  # a body that is no object is refused as it is
            related = {
                self.fields[name].source: value
                for name, value in self.initial_data.items()
                if name in self.fields
                and name not in self._errors
                and isinstance(self.fields[name], SlugList | StrictSlugField)
                and self.fields[name].source != "slug"
            }
            self._errors |= curation.reference_problems(self.Meta.model, related)
        if self._errors and raise_exception:
            raise serializers.ValidationError(self._errors)
        return not self._errors

    @classmethod
    def load(cls, queryset):
        return queryset  # a record to change needs nothing prefetched

    def _write(self, write, *args):
        data = dict(self.validated_data)  # keyed by model field (document_url arrives as url)
        try:
            return write(*args, data)
        except curation.Invalid as error:
            raise serializers.ValidationError(problems(error)) from None
        except curation.VersionConflict:
            raise PreconditionFailed() from None
        except curation.Conflict as error:
            raise Conflict(str(error)) from None

    def save(self, **kwargs):
        """Creates, or (given ``version``, the one the client read) changes the record through treaty.curation."""
        if self.instance is None:
            self.instance = self._write(curation.create, self.Meta.model)
        else:
            version = kwargs["version"]
            self.instance = self._write(lambda record, data: curation.update(record, data, version), self.instance)
        return self.instance


def aliases_field():
    return serializers.ListField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="Other spellings and names: non-empty strings, none repeated.",
    )


def write_serializer(model, extra_kwargs=None, **declared) -> type[WriteSerializer]:
    """``model``'s write serializer, with the fields treaty.curation lets editors write."""
    fields = [("document_url" if name == "url" else name) for name in curation.WRITABLE_FIELDS[model]]
    meta = type("Meta", (), {"model": model, "fields": fields, "extra_kwargs": extra_kwargs or {}})
    return type(f"{model.__name__}WriteSerializer", (WriteSerializer,), {**declared, "Meta": meta})


TopicWriteSerializer = write_serializer(Topic)
PartyWriteSerializer = write_serializer(Party, aliases=aliases_field())
PersonWriteSerializer = write_serializer(Person, aliases=aliases_field())
SourceWriteSerializer = write_serializer(
    Source,
    document_url=serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=500, help_text="Where the document is published."
    ),
)
CitationWriteSerializer = write_serializer(
    Citation, extra_kwargs={"start": {"help_text": "Which occurrence of the quote, when it occurs more than once."}}
)
ProposalWriteSerializer = write_serializer(Proposal)
ClauseWriteSerializer = write_serializer(Clause)
PositionWriteSerializer = write_serializer(Position)
AssessmentWriteSerializer = write_serializer(Assessment)
EventWriteSerializer = write_serializer(Event)
