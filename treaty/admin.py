from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import CSV, JSON
from simple_history.admin import SimpleHistoryAdmin

from treaty.models import (
    Assessment,
    Citation,
    Clause,
    ClauseLineage,
    Conflict,
    ConflictClaim,
    Event,
    Negotiation,
    NonStoryPassage,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Quantity,
    Source,
    Topic,
    VersionConflict,
)
from treaty.resources import resource_for
from treaty.revisions import record_revision


class CurationAdmin(ExportMixin, SimpleHistoryAdmin):
    """Every changelist exports to CSV and JSON (related records by slug); every record has a History with
    who changed what, and a revert."""

    export_formats = [CSV, JSON]
    import_formats = [CSV]

    def get_resource_classes(self, request):
        return [resource_for(self.model)]


# Clauses, positions and citations also import from CSV (ImportExportMixin): a dry-run preview lists each row's
# changes and errors, and the import then saves all rows or none.


class VersionedForm(forms.ModelForm):
    """Carries the version the curator read, so saving over someone else's newer edit is refused."""

    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version


class CuratedAdmin(CurationAdmin):
    """Slugs are prefilled from the name; citations are picked by autocomplete; every change is in the record's
    History (with who made it, and a revert)."""

    prepopulate_from = "name"
    list_per_page = 50
    form = VersionedForm

    class Media:
        css = {"all": ["treaty/admin.css"]}  # whole citations in the autocomplete chips; compact inlines

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # Another curator saved this record while the form was open: nothing was saved, say so.
            messages.error(
                request,
                "Someone else changed this record while you edited it; nothing was saved. "
                "Here is the current version: make your change again.",
            )
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "reverting", False):
            # A revert saves an old revision on top of the current one, as its next version.
            obj.version = type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True).get()
        elif change and form.cleaned_data.get("read_version") is not None:
            obj.version = form.cleaned_data["read_version"]
        if not getattr(request, "reverting", False):  # a revert sets no related lists through save_related
            obj.skip_history_when_saving = True  # recorded once, in save_related, with the lists as saved
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if hasattr(form.instance, "skip_history_when_saving"):
            del form.instance.skip_history_when_saving
            record_revision(form.instance, created=not change)

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": (self.prepopulate_from,)} if obj is None else {}

    def get_autocomplete_fields(self, request):
        names = {f.name for f in self.model._meta.get_fields()}
        return [*self.autocomplete_fields, *(["citations"] if "citations" in names else [])]


class PartyRoleInline(admin.TabularInline):
    model = PartyRole
    extra = 0
    autocomplete_fields = ["party", "citations"]


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0
    fields = ["number", "slug", "heading", "state"]
    show_change_link = True


class QuantityInline(admin.TabularInline):
    model = Quantity
    extra = 0
    fields = ["measure", "qualifier", "value", "unit", "note"]  # the owner is the page's record


class LineageInline(admin.TabularInline):
    model = ClauseLineage
    fk_name = "clause"
    extra = 0
    autocomplete_fields = ["derived_from", "citations"]
    verbose_name = "earlier version"
    verbose_name_plural = "derived from (earlier versions)"


class DescendantLineageInline(admin.TabularInline):
    """The later versions derived from this clause: edited on their own clause's page, where the link lives."""

    model = ClauseLineage
    fk_name = "derived_from"
    extra = 0
    fields = ["clause", "change", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name = "later version"
    verbose_name_plural = "later versions (derived from this clause)"

    def has_add_permission(self, request, obj=None):
        return False


class PositionInline(admin.TabularInline):
    """One compact row per position, read-only: each is edited on its own page (the link on the row)."""

    model = Position
    extra = 0
    fields = ["holder", "direction", "firmness", "when", "speaker", "basis", "reported_by", "short_summary"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    classes = ["compact-positions"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("holder", "speaker", "reported_by")
        return queryset.order_by("date", "holder__name")

    @admin.display(description="date")
    def when(self, obj):
        return obj.date_display

    @admin.display(description="summary")
    def short_summary(self, obj):
        return format_html('<span title="{}">{}</span>', obj.summary, Truncator(obj.summary).chars(110))


class ClauseCitationInline(admin.TabularInline):
    model = Clause.citations.through
    extra = 0
    autocomplete_fields = ["citation"]
    verbose_name = "citation"
    verbose_name_plural = "citations"


class EventPeopleInline(admin.TabularInline):
    model = Event.people.through
    extra = 0
    autocomplete_fields = ["person"]
    verbose_name = "participant (person)"
    verbose_name_plural = "participants (people)"


class EventPartiesInline(admin.TabularInline):
    model = Event.parties.through
    extra = 0
    autocomplete_fields = ["party"]
    verbose_name = "participant (party)"
    verbose_name_plural = "participants (parties)"


class NonStoryPassageInline(admin.StackedInline):
    model = NonStoryPassage
    extra = 0


# Rows of the many-to-many inlines read as the record they link to ("Axios, point 21 — “…”"), not as
# "Clause_citations object (27)".
Clause.citations.through.__str__ = lambda link: str(link.citation)
Event.people.through.__str__ = lambda link: str(link.person)
Event.parties.through.__str__ = lambda link: str(link.party)


@admin.register(Topic)
class TopicAdmin(CuratedAdmin):
    list_display = ["name", "slug", "pax_categories"]
    search_fields = ["name", "slug", "description", "pax_categories"]


@admin.register(Party)
class PartyAdmin(CuratedAdmin):
    list_display = ["name", "slug", "kind", "aliases"]
    list_filter = ["kind", "roles__role"]
    search_fields = ["name", "slug", "aliases"]
    filter_horizontal = ["members"]


@admin.register(Person)
class PersonAdmin(CuratedAdmin):
    list_display = ["name", "title", "party", "aliases"]
    list_filter = ["party"]
    list_select_related = ["party"]
    search_fields = ["name", "slug", "aliases", "title"]
    autocomplete_fields = ["party"]


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    prepopulate_from = "headline"
    list_display = ["slug", "outlet", "headline", "kind", "tier", "date", "date_precision", "has_text"]
    list_filter = ["tier", "kind", "outlet", "date_precision", "needs_review"]
    search_fields = ["slug", "outlet", "headline", "byline"]
    date_hierarchy = "date"
    inlines = [NonStoryPassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(boolean=True, description="stored text")
    def has_text(self, obj):
        return obj.has_text


@admin.register(NonStoryPassage)
class NonStoryPassageAdmin(CuratedAdmin):
    prepopulate_from = "reason"
    list_display = ["slug", "source", "reason"]
    list_select_related = ["source"]
    search_fields = ["slug", "reason", "text"]
    autocomplete_fields = ["source"]


@admin.register(Citation)
class CitationAdmin(ImportExportMixin, CuratedAdmin):
    prepopulate_from = "quote"
    list_display = ["slug", "source", "short_quote", "locator", "start", "end"]
    list_filter = ["source"]
    list_select_related = ["source"]
    search_fields = ["slug", "quote", "locator", "source__slug"]
    autocomplete_fields = ["source"]
    readonly_fields = ["end"]

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 80 else obj.quote[:77] + "…"


@admin.register(Negotiation)
class NegotiationAdmin(CuratedAdmin):
    list_display = ["name", "slug", "date", "date_precision"]
    search_fields = ["name", "slug", "summary"]
    inlines = [PartyRoleInline]


@admin.register(PartyRole)
class PartyRoleAdmin(CurationAdmin):
    list_display = ["party", "role", "negotiation"]
    list_filter = ["role", "negotiation"]
    list_select_related = ["party", "negotiation"]
    search_fields = ["party__name", "party__aliases", "note"]
    autocomplete_fields = ["negotiation", "party", "citations"]


@admin.register(Proposal)
class ProposalAdmin(CuratedAdmin):
    prepopulate_from = "title"
    list_display = ["title", "slug", "kind", "status", "stage", "date", "date_precision", "stated_point_count"]
    list_filter = ["kind", "status", "stage", "negotiation", "authors", "text_published"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "date"
    autocomplete_fields = ["negotiation", "authors", "supersedes"]
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(ImportExportMixin, CuratedAdmin):
    prepopulate_from = "heading"
    list_display = ["__str__", "proposal", "number", "state", "confidence", "needs_review"]
    list_filter = ["proposal", "state", "confidence", "needs_review", "topics"]
    list_select_related = ["proposal"]
    search_fields = ["slug", "heading", "text"]
    autocomplete_fields = ["proposal", "topics"]
    exclude = ["citations"]
    readonly_fields = ["add_position"]
    inlines = [QuantityInline, LineageInline, DescendantLineageInline, ClauseCitationInline, PositionInline]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields

    @admin.display(description="positions")
    def add_position(self, obj):
        if not obj.pk:
            return "Save the clause first."
        url = reverse("admin:treaty_position_add") + f"?proposal={obj.proposal_id}&clause={obj.pk}"
        return format_html('<a class="addlink" href="{}">Add a position on this clause</a> (listed below)', url)


@admin.register(ClauseLineage)
class ClauseLineageAdmin(CurationAdmin):
    list_display = ["clause", "derived_from", "change"]
    list_filter = ["change"]
    list_select_related = ["clause__proposal", "derived_from__proposal"]
    search_fields = ["clause__slug", "derived_from__slug", "note"]
    autocomplete_fields = ["clause", "derived_from", "citations"]


@admin.register(Quantity)
class QuantityAdmin(CurationAdmin):
    list_display = ["measure", "qualifier", "value", "unit", "clause", "position", "assessment", "event"]
    list_filter = ["measure", "unit", "qualifier"]
    list_select_related = ["clause__proposal", "position", "assessment", "event"]
    search_fields = ["measure", "clause__slug", "position__slug", "assessment__slug", "event__slug", "note"]
    autocomplete_fields = ["clause", "position", "assessment", "event"]


@admin.register(Position)
class PositionAdmin(ImportExportMixin, CuratedAdmin):
    prepopulate_from = "summary"
    list_display = [
        *["slug", "holder", "direction", "firmness", "proposal", "clause", "date", "date_precision", "speaker"],
        *["basis", "reported_by", "needs_review"],
    ]
    list_filter = ["needs_review", "direction", "firmness", "basis", "holder", "proposal", "date_precision"]
    list_select_related = ["holder", "proposal", "clause__proposal", "speaker", "reported_by"]
    search_fields = ["slug", "summary", "holder__name", "speaker__name", "speaker__aliases", "review_note"]
    date_hierarchy = "date"
    autocomplete_fields = ["holder", "proposal", "clause", "speaker", "reported_by", "reported_by_person"]
    inlines = [QuantityInline]
    first_fields = ["holder", "proposal", "clause", "direction", "firmness"]  # who, on what, which way; then the rest

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in self.first_fields if f in fields] + [f for f in fields if f not in self.first_fields]


@admin.register(Assessment)
class AssessmentAdmin(ImportExportMixin, CuratedAdmin):
    """Third parties' judgements: never a party's stance."""

    prepopulate_from = "summary"
    list_display = ["slug", "assessor", "assessor_description", "about", "proposal", "clause", "date", "needs_review"]
    list_filter = ["needs_review", "about", "proposal", "date_precision"]
    list_select_related = ["assessor", "about", "proposal", "clause__proposal"]
    search_fields = ["slug", "summary", "assessor__name", "assessor_description", "review_note"]
    date_hierarchy = "date"
    autocomplete_fields = ["assessor", "about", "proposal", "clause"]
    inlines = [QuantityInline]


class ConflictClaimInline(admin.StackedInline):
    model = ConflictClaim
    extra = 0
    autocomplete_fields = ["citations"]


@admin.register(Conflict)
class ConflictAdmin(CuratedAdmin):
    """Sources disagreeing on a fact: each claim with its citations, linked to what it touches."""

    prepopulate_from = "summary"
    list_display = ["slug", "summary", "negotiation"]
    search_fields = ["slug", "summary"]
    autocomplete_fields = ["negotiation", "proposals", "clauses", "events", "positions"]
    inlines = [ConflictClaimInline]


@admin.register(ConflictClaim)
class ConflictClaimAdmin(CuratedAdmin):
    prepopulate_from = "claim"
    list_display = ["slug", "conflict", "claim"]
    list_select_related = ["conflict"]
    search_fields = ["slug", "claim", "note"]
    autocomplete_fields = ["conflict"]


@admin.register(Event)
class EventAdmin(CuratedAdmin):
    prepopulate_from = "title"
    list_display = ["title", "kind", "date", "date_precision", "place"]
    list_filter = ["kind", "negotiation", "date_precision"]
    search_fields = ["title", "slug", "place", "summary", "outcome"]
    date_hierarchy = "date"
    autocomplete_fields = ["negotiation", "proposals"]
    exclude = ["people", "parties"]
    inlines = [EventPeopleInline, EventPartiesInline, QuantityInline]
