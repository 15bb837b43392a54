"""Controlled vocabularies. Values are stable API enums; labels are for people."""

from django.db import models


class DatePrecision(models.TextChoices):
    """How much of a stored date is known.

    A month-precise date is stored as the first of the month, a week-precise
    one as the Monday of that week, a year-precise one as 1 January.
    """

    DAY = "day", "day"
    WEEK = "week", "week"
    MONTH = "month", "month"
    YEAR = "year", "year"


class PartyKind(models.TextChoices):
    STATE = "state", "state"
    BLOC = "bloc", "bloc or group of states"
    ALLIANCE = "alliance", "military alliance"
    ORGANISATION = "organisation", "international organisation"


class PartyRoleKind(models.TextChoices):
    BELLIGERENT = "belligerent", "belligerent"
    MEDIATOR = "mediator", "mediator"
    GUARANTOR = "guarantor", "guarantor"
    HOST = "host", "host"
    INTERMEDIARY = "intermediary", "intermediary"
    STAKEHOLDER = "stakeholder", "stakeholder"
    OBSERVER = "observer", "observer"


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news-report", "news report"
    ANALYSIS = "analysis", "news analysis"
    OPINION = "opinion", "opinion column"
    PUBLISHED_TEXT = "published-text", "published text of a document"
    OFFICIAL_DOCUMENT = "official-document", "official document"
    COMPILATION = "compilation", "secondary compilation of other reporting"


class ProposalKind(models.TextChoices):
    PLAN = "plan", "peace plan"
    DRAFT = "draft", "draft"
    FRAMEWORK = "framework", "framework"
    COUNTERPROPOSAL = "counterproposal", "counterproposal"
    DEMANDS = "demands", "list of demands"
    CEASEFIRE_PROPOSAL = "ceasefire-proposal", "ceasefire proposal"
    SUMMIT_UNDERSTANDING = "summit-understanding", "summit understanding"
    ANCILLARY_AGREEMENT = "ancillary-agreement", "ancillary agreement"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    LEAKED = "leaked", "leaked"
    PRESENTED = "presented", "presented"
    UNDER_NEGOTIATION = "under-negotiation", "under negotiation"
    SUPERSEDED = "superseded", "superseded"
    ENDORSED = "endorsed", "endorsed"
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "rejected"
    WITHDRAWN = "withdrawn", "withdrawn"
    ABANDONED = "abandoned", "abandoned"


class Stage(models.TextChoices):
    """PA-X agreement stages."""

    PRE_NEGOTIATION = "pre-negotiation", "pre-negotiation / process"
    CEASEFIRE = "ceasefire", "ceasefire / related"
    FRAMEWORK_PARTIAL = "framework-partial", "framework: substantive, partial"
    FRAMEWORK_COMPREHENSIVE = "framework-comprehensive", "framework: substantive, comprehensive"
    IMPLEMENTATION = "implementation", "implementation / renegotiation"


class ClauseState(models.TextChoices):
    PROPOSED = "proposed", "proposed"
    AGREED = "agreed", "agreed"
    CONTESTED = "contested", "contested"
    DROPPED = "dropped", "dropped"
    DEFERRED = "deferred", "deferred"


class ChangeKind(models.TextChoices):
    """How a clause came from an earlier one (after Akoma Ntoso's vocabulary)."""

    CARRIED = "carried", "carried over unchanged"
    AMENDED = "amended", "amended"
    MERGED = "merged", "merged with others"
    SPLIT = "split", "split from a larger clause"
    RENUMBERED = "renumbered", "renumbered"
    DROPPED = "dropped", "dropped"
    DEFERRED = "deferred", "deferred to a later decision"
    NEW = "new", "new"


class Stance(models.TextChoices):
    PROPOSES = "proposes", "proposes"
    SUPPORTS = "supports", "supports"
    ACCEPTS = "accepts", "accepts"
    CONDITIONAL = "conditional", "open to / conditional"
    UNDECIDED = "undecided", "undecided"
    OPPOSES = "opposes", "opposes"
    REJECTS = "rejects", "rejects"
    RED_LINE = "red-line", "red line"
    DENIES = "denies", "denies the report"


class Basis(models.TextChoices):
    """On what the attribution of a position rests."""

    OFFICIAL_STATEMENT = "official-statement", "official statement on the record"
    OFFICIAL_DOCUMENT = "official-document", "official document"
    ANONYMOUS_OFFICIALS = "anonymous-officials", "anonymous officials"
    MEDIA_REPORT = "media-report", "media report"
    ANALYST_ASSESSMENT = "analyst-assessment", "analyst assessment"


class EventKind(models.TextChoices):
    SUMMIT = "summit", "summit"
    TALKS = "talks", "talks"
    MEETING = "meeting", "meeting"
    CALL = "call", "phone call"
    VISIT = "visit", "visit"
    STATEMENT = "statement", "statement"
    DEADLINE = "deadline", "deadline"
    STRIKE = "strike", "military strike"
    SANCTIONS = "sanctions", "sanctions"
    LEAK = "leak", "leak or report"
    PUBLICATION = "publication", "publication"


class QuantityQualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    AT_MOST = "at-most", "at most"
    AT_LEAST = "at-least", "at least"
    WITHIN = "within", "within"


def vocabulary_of(field) -> type[models.TextChoices]:
    """The vocabulary whose choices a model field takes (a field keeps only the choices, not their class)."""
    return next(
        vocabulary
        for vocabulary in models.TextChoices.__subclasses__()
        if vocabulary.__module__ == __name__ and list(vocabulary.choices) == list(field.choices)
    )
