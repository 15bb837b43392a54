"""The treaty negotiation domain.

Every model has a stable natural key (a slug, or the slugs of its parents), so
fixtures, URLs and the API never expose integer ids.
"""

import functools
import operator
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from simple_history.models import HistoricalRecords

from treaty import rules
from treaty.choices import (
    Basis,
    ChangeKind,
    ClauseState,
    Confidence,
    DatePrecision,
    Direction,
    EventKind,
    Firmness,
    PartyKind,
    PartyRoleKind,
    ProposalKind,
    ProposalStatus,
    QuantityQualifier,
    SourceKind,
    SourceTier,
    Stage,
    Support,
)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # the one slug pattern: URLs, filters, writes and the schema all use it
SLUG_MAX_LENGTH = 120


def is_slug(value) -> bool:
    """Whether ``value`` could be a slug; anything else (a number, a NUL character) names no record."""
    return isinstance(value, str) and len(value) <= SLUG_MAX_LENGTH and re.fullmatch(SLUG_PATTERN, value) is not None


class SlugQuerySet(models.QuerySet):
    def with_slug(self, slug):
        """The record with this slug, as a queryset (empty when ``slug`` cannot be one): the one slug lookup."""
        return self.filter(slug=slug) if is_slug(slug) else self.none()


class SlugManager(models.Manager.from_queryset(SlugQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class VersionConflict(Exception):
    """Someone else changed the record since it was read: saving would overwrite their edit."""


class VersionedModel(models.Model):
    """A record with a version number that every save increments, for optimistic concurrency."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Incremented by every change; the API gives it as the ETag."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # Compare-and-set: claim the version read; if another save claimed it first, refuse.
            read = self.version
            claimed = type(self)._default_manager.filter(pk=self.pk, version=read).update(version=read + 1)
            if not claimed:
                raise VersionConflict(f"{self._meta.verbose_name} “{self}” was changed by someone else.")
            self.version = read + 1
        super().save(*args, **kwargs)


class SluggedModel(VersionedModel):
    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH, unique=True, help_text="Stable identifier used in URLs and fixtures."
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


class DatedModel(models.Model):
    """A date known as an interval ("last week", "in April"): earliest and latest possible day, with a precision,
    the words the source used and the date they were resolved against (after Wikidata's earliest / latest date)."""

    date = models.DateField(null=True, blank=True, help_text="The earliest possible day; empty when unknown.")
    date_latest = models.DateField(
        null=True, blank=True, help_text="The latest possible day (the same day for a day-precise date)."
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        blank=True,
        help_text="How much of the date is known; empty when the date is unknown.",
    )
    date_expression = models.CharField(
        max_length=200, blank=True, help_text="The source's own words for the date: “last week”, “on Friday”."
    )
    date_resolved_against = models.DateField(
        null=True, blank=True, help_text="The date the expression was resolved against (the article's, usually)."
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the date is as it is, when that needs saying: a plan still ahead when the sources reported it.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_date_precision_valid",
                condition=rules.date_precision_condition(),
                violation_error_message=rules.DATE_PRECISION_MESSAGE,
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_date_interval_valid",
                condition=rules.date_interval_condition(),
                violation_error_message=rules.DATE_INTERVAL_MESSAGE,
            ),
        ]

    def save(self, *args, **kwargs):
        self.fill_date_latest()
        super().save(*args, **kwargs)

    @property
    def date_display(self):
        return rules.format_fuzzy_date(self.date, self.date_precision)

    def clean(self):
        super().clean()
        self.fill_date_latest()
        rules.check_date_interval(self)

    def fill_date_latest(self):
        """A date given without its latest day means the precision's whole period (a month: to its last day)."""
        if self.date is not None and self.date_latest is None:
            self.date_latest = rules.latest_day(self.date, self.date_precision)


class ReviewedModel(models.Model):
    """A record a curator must look at again: what the migration could not map, or a doubt."""

    needs_review = models.BooleanField(
        default=False, help_text="A curator must check this record; review_note says why (e.g. an unmapped old value)."
    )
    review_note = models.TextField(blank=True, help_text="Why the record needs review.")

    class Meta:
        abstract = True


class CitedModel(models.Model):
    """A fact-bearing record: it carries the citations that support it."""

    citations = models.ManyToManyField("treaty.Citation", blank=True, related_name="cited_by_%(class)s")

    class Meta:
        abstract = True


class AliasedModel(models.Model):
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings and names, as a list of strings (Zelenskyy, Zelenskiy).",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        rules.validate_aliases(self.aliases)


class Topic(SluggedModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    pax_categories = models.CharField(
        max_length=200,
        blank=True,
        help_text="The matching PA-X Peace Agreements Database categories, semicolon-separated.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Party(SluggedModel, AliasedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=PartyKind.choices)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="member_of", help_text="For blocs and alliances."
    )

    history = HistoricalRecords(m2m_fields=["members"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self):
        return self.name


class Person(SluggedModel, AliasedModel, CitedModel):
    name = models.CharField(max_length=200)
    name_is_editorial = models.BooleanField(
        default=False,
        help_text="The name is our normalised spelling, which no stored source uses; the aliases keep theirs.",
    )
    title = models.CharField(max_length=300, blank=True, help_text="Office or role as the sources give it.")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="people", help_text="Affiliation."
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["citations"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name


class Source(SluggedModel, DatedModel, ReviewedModel):
    """A document facts are taken from; ``text`` holds it byte for byte when we have it."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    tier = models.CharField(
        max_length=20, choices=SourceTier.choices, help_text="How close the source stands to the words it carries."
    )
    republished_from = models.CharField(
        max_length=200, blank=True, help_text="For a republication: the original outlet, where known."
    )
    declared_interest = models.TextField(
        blank=True, help_text="Verbatim from the source, where it states its informants' interest or motive."
    )
    outlet = models.CharField(max_length=200)
    headline = models.CharField(max_length=400, blank=True, help_text="Empty when the document gives none.")
    byline = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    text = models.TextField(blank=True, help_text="The stored text; citations are checked against it.")
    notes = models.TextField(blank=True, help_text="Caveats: uncertain dates, translation artefacts, etc.")

    history = HistoricalRecords()

    class Meta(DatedModel.Meta):
        ordering = ["date", "slug"]
        # Also the first keys of the citations' default order: PostgreSQL walks it and sorts one source at a time.
        indexes = [
            models.Index(fields=["date", "slug"], name="treaty_source_date_idx"),
            models.Index(fields=["date", "id"], name="treaty_source_date_pk_idx"),
            models.Index(fields=["outlet", "id"], name="treaty_source_outlet_pk_idx"),
            # A filter's value, then the default order: a first page is the start of one index range.
            models.Index(fields=["kind", "date", "slug"], name="treaty_source_kind_idx"),
            models.Index(fields=["tier", "date", "slug"], name="treaty_source_tier_idx"),
            models.Index(fields=["date_latest"], name="treaty_source_latest_idx"),
            # has_text, either way (a B-tree cannot hold the texts themselves).
            models.Index(fields=["date", "slug"], condition=~Q(text=""), name="treaty_source_with_text_idx"),
            models.Index(fields=["date", "slug"], condition=Q(text=""), name="treaty_source_textless_idx"),
        ]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                name="treaty_source_tier_given",
                condition=~Q(tier=""),
                violation_error_message="A source needs its provenance tier.",
            ),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.headline or self.slug}"

    @property
    def has_text(self):
        return bool(self.text)

    def clean(self):
        super().clean()
        if self.tier == SourceTier.EXTERNAL_TEXT and self.text:
            raise ValidationError(
                {"tier": "An external text is one we do not store: clear the text or change the tier."}
            )
        if self.tier != SourceTier.REPUBLICATION and self.republished_from:
            raise ValidationError({"republished_from": "Only a republication names the outlet it republishes."})
        if self.text and self.declared_interest and self.declared_interest not in self.text:
            raise ValidationError(
                {"declared_interest": "The declared interest must occur verbatim in the stored text."}
            )
        if self.pk:
            for passage in self.non_story_passages.all():
                rules.check_non_story_passage(self.text, passage.text)


class NonStoryPassage(SluggedModel):
    """Text in a source that is not part of the story (sign-up boxes, hashtags)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="non_story_passages")
    text = models.TextField(help_text="Verbatim; must occur in the source text.")
    reason = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "slug"]

    def __str__(self):
        return f"{self.source.slug}: {self.reason}"

    def clean(self):
        super().clean()
        if self.source_id:
            rules.check_non_story_passage(self.source.text, self.text)


def citation_source_has_text():
    """Whether a citation's source stores its text, in SQL: the citation's annotation ``source_has_text``, all
    that ``checked`` needs of the text (which is several KB, and would otherwise be read once per citation)."""
    return ExpressionWrapper(~Q(source__text=""), output_field=models.BooleanField())


class CitationQuerySet(SlugQuerySet):
    def with_sources(self):
        """Citations with their sources, but not the sources' stored texts."""
        return self.select_related("source").defer("source__text").annotate(source_has_text=citation_source_has_text())


class CitationManager(SlugManager.from_queryset(CitationQuerySet)):
    pass


class Citation(SluggedModel):
    """A verbatim passage of a source that supports a fact."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(
        blank=True, help_text="Verbatim, typographic punctuation kept. Empty only for sources without stored text."
    )
    start = models.PositiveIntegerField(null=True, blank=True, help_text="Character offset of the quote.")
    end = models.PositiveIntegerField(null=True, blank=True)
    locator = models.CharField(max_length=100, blank=True, help_text="Where in the source: 'point 6', 'para 3'.")
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    objects = CitationManager()

    class Meta:
        ordering = ["source", "start", "slug"]
        indexes = [
            models.Index(fields=["source", "start", "slug"], name="treaty_citation_order_idx"),
            models.Index(fields=["start", "id"], name="treaty_citation_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="treaty_citation_offsets_valid",
                condition=(Q(start__isnull=True) & Q(end__isnull=True)) | Q(end__gt=F("start")),
                violation_error_message="Give both offsets, with end after start, or neither.",
            )
        ]

    def __str__(self):
        """Where it is and what it says: "Axios, point 21", "The Washington Post — “Ukraine’s leader…”"."""
        where = ", ".join(part for part in (self.source.outlet, self.locator) if part)
        if not self.quote:
            return where
        quote = self.quote if len(self.quote) <= 80 else self.quote[:79] + "…"
        return f"{where} — “{quote}”"

    @property
    def checked(self):
        """Whether a machine checked the quote: it is non-empty and occurs verbatim in a stored (non-external) text."""
        has_text = getattr(self, "source_has_text", None)  # annotated by with_sources()
        if has_text is None:
            has_text = self.source.has_text
        return bool(self.quote) and has_text and self.source.tier != SourceTier.EXTERNAL_TEXT

    def clean(self):
        super().clean()
        if self.source_id:
            source = self.source
            excluded = [p.text for p in source.non_story_passages.all()] if source.pk else []
            self.start, self.end = rules.locate_quote(source.text, self.quote, excluded, self.start)


class Negotiation(SluggedModel, DatedModel, CitedModel):
    name = models.CharField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    parties = models.ManyToManyField(Party, through="PartyRole", related_name="negotiations")

    history = HistoricalRecords(m2m_fields=["citations"])

    class Meta(DatedModel.Meta):
        ordering = ["name"]
        indexes = [
            models.Index(fields=["date", "slug"], name="treaty_negotiation_date_idx"),
            # ?ordering=date is (date, id), and -date its reverse (treaty.filtering.ties_in_creation_order): one
            # index on (column, id) reads either's first page. So for every ordering of a list that grows.
            models.Index(fields=["date", "id"], name="treaty_negotiation_date_pk_idx"),
        ]

    def __str__(self):
        return self.name


class PartyRoleManager(models.Manager):
    def get_by_natural_key(self, negotiation, party, role):
        return self.get(negotiation__slug=negotiation, party__slug=party, role=role)


class PartyRole(CitedModel):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="party_roles")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=PartyRoleKind.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["citations"])

    objects = PartyRoleManager()

    class Meta:
        ordering = ["negotiation", "role", "party"]
        indexes = [
            models.Index(fields=["role", "id"], name="treaty_partyrole_role_idx"),
            models.Index(fields=["party", "role"], name="treaty_partyrole_party_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["negotiation", "party", "role"], name="treaty_partyrole_unique")]

    def __str__(self):
        return f"{self.party} — {self.get_role_display()}"

    def natural_key(self):
        return (self.negotiation.slug, self.party.slug, self.role)

    natural_key.dependencies = ["treaty.negotiation", "treaty.party"]


class Proposal(SluggedModel, DatedModel, CitedModel, ReviewedModel):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=ProposalKind.choices)
    authors = models.ManyToManyField(Party, blank=True, related_name="authored_proposals")
    status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    stage = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    stated_point_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The number of points as the sources state it, whether or not we know them."
    )
    text_published = models.BooleanField(default=False, help_text="Whether the full text is public.")
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    summary = models.TextField(blank=True, help_text="In our own words.")

    history = HistoricalRecords(m2m_fields=["authors", "citations"])

    class Meta(DatedModel.Meta):
        ordering = ["date", "slug"]
        indexes = [
            models.Index(fields=["date", "slug"], name="treaty_proposal_date_idx"),
            models.Index(fields=["date", "id"], name="treaty_proposal_date_pk_idx"),
            models.Index(fields=["title", "id"], name="treaty_proposal_title_idx"),
            # A filter's value, then the default order: a first page is the start of one index range.
            models.Index(fields=["kind", "date", "slug"], name="treaty_proposal_kind_idx"),
            models.Index(fields=["status", "date", "slug"], name="treaty_proposal_status_idx"),
            models.Index(fields=["stage", "date", "slug"], name="treaty_proposal_stage_idx"),
            models.Index(fields=["text_published", "date", "slug"], name="treaty_proposal_published_idx"),
            models.Index(fields=["date_latest"], name="treaty_proposal_latest_idx"),
            models.Index(fields=["needs_review"], name="treaty_proposal_review_idx"),
        ]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                name="treaty_proposal_not_self_superseding",
                condition=~Q(supersedes=F("pk")),
                violation_error_message="A proposal cannot supersede itself.",
            ),
        ]

    def __str__(self):
        return self.title


class Clause(SluggedModel, CitedModel, ReviewedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="clauses")
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Point number when the text gives one."
    )
    heading = models.CharField(max_length=200)
    text = models.TextField(help_text="In our own words unless text_is_verbatim.")
    text_is_verbatim = models.BooleanField(default=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="clauses")
    state = models.CharField(max_length=12, choices=ClauseState.choices, default=ClauseState.PROPOSED)
    confidence = models.CharField(
        max_length=8,
        choices=Confidence.choices,
        blank=True,
        help_text="How sure the sources let us be of the clause's content; empty when not assessed.",
    )
    derived_from = models.ManyToManyField(
        "self",
        through="ClauseLineage",
        through_fields=("clause", "derived_from"),
        symmetrical=False,
        blank=True,
        related_name="derivatives",
    )

    history = HistoricalRecords(m2m_fields=["topics", "citations"])

    class Meta:
        ordering = ["proposal", "number", "slug"]
        indexes = [
            models.Index(fields=["proposal", "number", "slug"], name="treaty_clause_order_idx"),
            # A filter's value, then the default order: a first page is the start of one index range.
            models.Index(fields=["number", "proposal", "slug"], name="treaty_clause_number_idx"),
            models.Index(fields=["state", "proposal", "number", "slug"], name="treaty_clause_state_idx"),
            models.Index(fields=["number", "id"], name="treaty_clause_number_pk_idx"),
            models.Index(fields=["heading", "id"], name="treaty_clause_heading_idx"),
            models.Index(fields=["confidence", "proposal", "number", "slug"], name="treaty_clause_confidence_idx"),
            models.Index(fields=["needs_review"], name="treaty_clause_review_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"],
                name="treaty_clause_number_unique_in_proposal",
                violation_error_message="This proposal already has a clause with this number.",
            ),
            models.CheckConstraint(
                name="treaty_clause_number_positive",
                condition=Q(number__isnull=True) | Q(number__gte=1),
            ),
        ]

    def __str__(self):
        prefix = f"{self.proposal.slug} §{self.number}" if self.number else self.proposal.slug
        return f"{prefix}: {self.heading}"

    @property
    def support(self) -> str:
        """What the clause's content rests on: a checked quote, only external texts, or nothing.

        The APIs annotate it in SQL (treaty.queries.clause_support_annotations); otherwise the clause reads its
        citations.
        """
        if hasattr(self, "has_checked_quote"):
            checked, cited, stored = self.has_checked_quote, self.has_citation, self.has_stored_citation
        else:
            citations = list(self.citations.with_sources())
            checked = any(citation.checked for citation in citations)
            cited = bool(citations)
            stored = any(citation.source.tier != SourceTier.EXTERNAL_TEXT for citation in citations)
        if checked:
            return Support.CHECKED_QUOTE.value
        if cited and not stored:
            return Support.EXTERNAL_ONLY.value
        return Support.NONE.value


class ClauseLineageManager(models.Manager):
    def get_by_natural_key(self, clause, derived_from):
        return self.get(clause__slug=clause, derived_from__slug=derived_from)


class ClauseLineage(CitedModel):
    """How ``clause`` derives from ``derived_from``, a clause of an earlier proposal."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="lineage")
    derived_from = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="descendant_lineage")
    change = models.CharField(max_length=12, choices=ChangeKind.choices)
    note = models.TextField(blank=True, help_text="What changed, in our own words.")

    history = HistoricalRecords(m2m_fields=["citations"])

    objects = ClauseLineageManager()

    class Meta:
        ordering = ["clause", "derived_from"]
        indexes = [models.Index(fields=["change", "id"], name="treaty_lineage_change_idx")]
        verbose_name_plural = "clause lineage"
        constraints = [
            models.UniqueConstraint(fields=["clause", "derived_from"], name="treaty_clauselineage_unique"),
            models.CheckConstraint(
                name="treaty_clauselineage_not_self",
                condition=~Q(clause=F("derived_from")),
                violation_error_message="A clause cannot derive from itself.",
            ),
        ]

    def __str__(self):
        return f"{self.clause.slug} ← {self.derived_from.slug} ({self.change})"

    def natural_key(self):
        return (self.clause.slug, self.derived_from.slug)

    natural_key.dependencies = ["treaty.clause"]

    def clean(self):
        super().clean()
        if self.clause_id and self.derived_from_id:
            rules.check_lineage(self.clause, self.derived_from)


QUANTITY_OWNERS = ("clause", "position", "assessment", "event")


class QuantityManager(models.Manager):
    def get_by_natural_key(self, owner, slug, measure):
        if owner not in QUANTITY_OWNERS:
            raise self.model.DoesNotExist(f"a quantity belongs to one of {', '.join(QUANTITY_OWNERS)}")
        return self.get(**{f"{owner}__slug": slug, "measure": measure})


def _one_owner() -> models.Q:
    """Exactly one of the owner fields is set."""
    return functools.reduce(
        operator.or_,
        (models.Q(**{f"{owner}__isnull": owner != chosen for owner in QUANTITY_OWNERS}) for chosen in QUANTITY_OWNERS),
    )


class Quantity(models.Model):
    """A number a record names: 600,000 personnel, 100 days, US$100bn.

    It belongs to exactly one record — a clause, a position, an assessment or an event — so a number
    is structured on whatever record carries the claim."""

    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="quantities")
    position = models.ForeignKey("Position", null=True, blank=True, on_delete=models.CASCADE, related_name="quantities")
    assessment = models.ForeignKey(
        "Assessment", null=True, blank=True, on_delete=models.CASCADE, related_name="quantities"
    )
    event = models.ForeignKey("Event", null=True, blank=True, on_delete=models.CASCADE, related_name="quantities")
    measure = models.SlugField(max_length=80, help_text="What is measured, comparable across drafts: armed-forces-cap.")
    qualifier = models.CharField(max_length=10, choices=QuantityQualifier.choices, default=QuantityQualifier.EXACT)
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(max_length=40, help_text="personnel, days, USD, percent…")
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    objects = QuantityManager()

    class Meta:
        ordering = ["clause", "position", "assessment", "event", "measure"]
        indexes = [
            models.Index(fields=["measure", "id"], name="treaty_quantity_measure_idx"),
            models.Index(fields=["value", "id"], name="treaty_quantity_value_idx"),
        ]
        verbose_name_plural = "quantities"
        constraints = [
            models.CheckConstraint(
                condition=_one_owner(),
                name="treaty_quantity_one_owner",
                violation_error_message="A quantity belongs to exactly one clause, position, assessment or event.",
            ),
            *(
                models.UniqueConstraint(
                    fields=[owner, "measure"],
                    condition=models.Q(**{f"{owner}__isnull": False}),
                    name=f"treaty_quantity_unique_per_{owner}",
                )
                for owner in QUANTITY_OWNERS
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.get_qualifier_display()} {Decimal(self.value).normalize():,f} {self.unit}"

    @property
    def owner_kind(self) -> str | None:
        return next((owner for owner in QUANTITY_OWNERS if getattr(self, f"{owner}_id")), None)

    @property
    def owner(self):
        kind = self.owner_kind
        return getattr(self, kind) if kind else None

    def natural_key(self):
        return (self.owner_kind, self.owner.slug, self.measure)

    natural_key.dependencies = ["treaty.clause", "treaty.position", "treaty.assessment", "treaty.event"]


class Position(SluggedModel, DatedModel, CitedModel, ReviewedModel):
    """A party's stance toward a clause, or toward a whole proposal when ``clause`` is empty.

    Who holds it (``holder``), who stated it (``speaker``), and how we know (``basis``; for ``second-hand``,
    whose officials reported it). Positions accumulate: a later one of the same holder on the same subject,
    beginning after this one ends, supersedes it; overlapping ones are all current.
    """

    holder = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="positions", help_text="The party whose stance it is."
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    clause = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
        help_text="Empty for a stance on the whole proposal. Must belong to the proposal.",
    )
    direction = models.CharField(
        max_length=12,
        choices=Direction.choices,
        blank=True,
        help_text="For or against; empty only while the record is marked needs_review.",
    )
    firmness = models.CharField(
        max_length=10,
        choices=Firmness.choices,
        default=Firmness.STATED,
        help_text="red-line when the holder calls it non-negotiable.",
    )
    speaker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        help_text="Who stated it, when known: a person of the holder (or of a member of the holder bloc).",
    )
    basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        blank=True,
        help_text="How we know; empty only while the record is marked needs_review.",
    )
    reported_by = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_positions",
        help_text="For a second-hand position: the party whose officials reported it (not the holder).",
    )
    reported_by_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_positions",
        help_text="For a second-hand position: who reported it, when named.",
    )
    summary = models.TextField(help_text="The stance in our own words.")

    history = HistoricalRecords(m2m_fields=["citations"])

    class Meta(DatedModel.Meta):
        ordering = ["date", "slug"]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                name="treaty_position_reported_by_iff_second_hand",
                condition=Q(basis="second-hand", reported_by__isnull=False)
                | (~Q(basis="second-hand") & Q(reported_by__isnull=True, reported_by_person__isnull=True)),
                violation_error_message="A second-hand position names who reported it; no other position does.",
            ),
            models.CheckConstraint(
                name="treaty_position_reported_by_not_holder",
                condition=~Q(reported_by=F("holder")),
                violation_error_message="The holder's own officials are own-officials, not second-hand.",
            ),
            models.CheckConstraint(
                name="treaty_position_direction_and_basis_given",
                condition=Q(needs_review=True) | (~Q(direction="") & ~Q(basis="")),
                violation_error_message="A position needs a direction and a basis unless it is marked needs_review.",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "slug"], name="treaty_position_date_idx"),
            models.Index(fields=["date", "id"], name="treaty_position_date_pk_idx"),
            models.Index(fields=["direction", "id"], name="treaty_position_dir_pk_idx"),
            # A filter's value, then the default order: a first page is the start of one index range.
            models.Index(fields=["direction", "date", "slug"], name="treaty_position_direction_idx"),
            models.Index(fields=["basis", "date", "slug"], name="treaty_position_basis_idx"),
            models.Index(fields=["holder", "date", "slug"], name="treaty_position_holder_idx"),
            models.Index(fields=["speaker", "date", "slug"], name="treaty_position_speaker_idx"),
            # Each holder's position on each subject (treaty.queries.positions_current).
            models.Index(fields=["holder", "proposal", "clause"], name="treaty_position_subject_idx"),
            models.Index(fields=["firmness", "date", "slug"], name="treaty_position_firmness_idx"),
            models.Index(fields=["date_latest"], name="treaty_position_latest_idx"),
            models.Index(fields=["needs_review"], name="treaty_position_review_idx"),
        ]

    def __str__(self):
        subject = self.clause or self.proposal
        return f"{self.holder} {self.direction or '(direction under review)'} {subject}"

    def clean(self):
        super().clean()
        if self.clause_id and self.proposal_id:
            rules.check_position_subject(self.proposal, self.clause)
        rules.check_position(self)


class Assessment(SluggedModel, DatedModel, CitedModel, ReviewedModel):
    """A third party's judgement (an analyst, a think tank, a former official, a leader speaking of another
    party's intentions) about a party, a proposal or a clause. Never a party's stance."""

    assessor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments", help_text="Who assesses."
    )
    assessor_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="An unnamed assessor as the source describes them: “a former Kremlin official”.",
    )
    about = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The party whose stance or intentions are assessed.",
    )
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments")
    clause = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text="Must belong to the proposal.",
    )
    summary = models.TextField(help_text="The judgement in our own words.")

    history = HistoricalRecords(m2m_fields=["citations"])

    class Meta(DatedModel.Meta):
        ordering = ["date", "slug"]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                name="treaty_assessment_clause_needs_proposal",
                condition=Q(clause__isnull=True) | Q(proposal__isnull=False),
                violation_error_message="An assessment of a clause names the clause's proposal too.",
            ),
        ]

    def __str__(self):
        who = self.assessor or self.assessor_description or "an assessor"
        return f"{who} on {self.clause or self.proposal or self.about}"

    def clean(self):
        super().clean()
        rules.check_assessment(self)


class Event(SluggedModel, DatedModel, CitedModel, ReviewedModel):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    title = models.CharField(max_length=300)
    end_date = models.DateField(null=True, blank=True, help_text="Last day, for events spanning several days.")
    place = models.CharField(max_length=200, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="events")
    parties = models.ManyToManyField(Party, blank=True, related_name="events")
    proposals = models.ManyToManyField(Proposal, blank=True, related_name="events")
    summary = models.TextField(blank=True, help_text="In our own words.")
    outcome = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["people", "parties", "proposals", "citations"])

    class Meta(DatedModel.Meta):
        ordering = ["date", "slug"]
        indexes = [
            models.Index(fields=["date", "slug"], name="treaty_event_date_idx"),
            models.Index(fields=["date", "id"], name="treaty_event_date_pk_idx"),
            models.Index(fields=["end_date"], name="treaty_event_end_date_idx"),
            models.Index(fields=["title", "id"], name="treaty_event_title_idx"),
            models.Index(fields=["kind", "date", "slug"], name="treaty_event_kind_idx"),
            models.Index(fields=["date_latest"], name="treaty_event_latest_idx"),
            models.Index(fields=["needs_review"], name="treaty_event_review_idx"),
        ]
        constraints = [
            *DatedModel.Meta.constraints,
            models.CheckConstraint(
                name="treaty_event_end_after_start",
                condition=Q(end_date__isnull=True) | Q(date__isnull=False, end_date__gte=F("date")),
                violation_error_message="The end date must be on or after the date.",
            ),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"


class Conflict(SluggedModel):
    """Sources disagreeing on a fact (who drafted the plan; whether Ukraine accepted it): each claim kept with its
    citations, linked to every record it touches. Nothing is resolved silently."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="conflicts")
    summary = models.TextField(help_text="What the sources disagree on, in our own words.")
    proposals = models.ManyToManyField(Proposal, blank=True, related_name="conflicts")
    clauses = models.ManyToManyField(Clause, blank=True, related_name="conflicts")
    events = models.ManyToManyField(Event, blank=True, related_name="conflicts")
    positions = models.ManyToManyField(Position, blank=True, related_name="conflicts")

    history = HistoricalRecords(m2m_fields=["proposals", "clauses", "events", "positions"])

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.summary if len(self.summary) <= 80 else self.summary[:77] + "…"


class ConflictClaim(SluggedModel, CitedModel):
    """One side of a conflict: what one source (or several) claims."""

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="claims")
    claim = models.TextField(help_text="The claim, in our own words.")
    note = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["citations"])

    class Meta:
        ordering = ["conflict", "slug"]

    def __str__(self):
        return self.claim
