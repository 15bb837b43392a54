"""Controlled vocabularies. Values are stable API enums; labels are for people."""

from django.db import models


class DatePrecision(models.TextChoices):
    """How much of a stored date is known.

    A dated record holds an interval: ``date`` is the earliest possible day and ``date_latest`` the latest.
    A day-precise date is one day; a week-precise one runs Monday to Sunday (``date`` a Monday, latest +6);
    a month-precise one from the 1st to the month's last day; a year-precise one from 1 January to 31 December.
    A month-precise date is not a day: it is ordered by its interval, never as the 1st.
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


class SourceTier(models.TextChoices):
    """How close a source stands to the words and facts it carries (its provenance).

    Our own notes are never a source: a fact they summarise cites the original publication they name.
    """

    PRIMARY_DOCUMENT = "primary-document", "primary document: an official text in its own words"
    ORIGINAL_REPORTING = "original-reporting", "original reporting by the outlet"
    REPUBLICATION = "republication", "republication of another outlet's reporting (see republished_from)"
    MACHINE_TRANSLATION = (
        "machine-translation",
        "machine translation or back-translation: quotes are checked, but the words are a translation",
    )
    OPINION_ANALYSIS = "opinion-analysis", "opinion or analysis column"
    EXTERNAL_TEXT = "external-text", "external text we do not store: its citations carry a locator, no quote"


class ProposalKind(models.TextChoices):
    PLAN = "plan", "peace plan"
    DRAFT = "draft", "draft"
    FRAMEWORK = "framework", "framework"
    COUNTERPROPOSAL = "counterproposal", "counterproposal"
    DEMANDS = "demands", "list of demands"
    CEASEFIRE_PROPOSAL = "ceasefire-proposal", "ceasefire proposal"
    SUMMIT_UNDERSTANDING = "summit-understanding", "summit understanding"
    ANCILLARY_AGREEMENT = "ancillary-agreement", "ancillary agreement"
    OPTIONS = "options", "options under discussion (tabled by no party)"


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


class Direction(models.TextChoices):
    """Which way a holder's position points (after PLOVER/CAMEO's directed stance verbs).

    Not knowing a party's stance is the absence of a position, never a direction; whether the holder
    calls it non-negotiable is its :class:`Firmness`, apart.
    """

    PROPOSES = "proposes", "proposes: puts it forward"
    SUPPORTS = "supports", "supports: is for it"
    ACCEPTS = "accepts", "accepts: agrees to it, perhaps reluctantly"
    OPEN_TO = "open-to", "open to / conditional: would agree on conditions, or might"
    OPPOSES = "opposes", "opposes: is against it"
    REJECTS = "rejects", "rejects: refuses it outright"


class Firmness(models.TextChoices):
    """Whether the holder calls its position non-negotiable."""

    STATED = "stated", "stated"
    RED_LINE = "red-line", "red line: the holder calls it non-negotiable"


class Basis(models.TextChoices):
    """How we know the holder's position (after Wikidata's "sourcing circumstances")."""

    ON_RECORD = "on-record", "on the record: the holder's speaker, named"
    OWN_OFFICIALS = "own-officials", "the holder's own officials, unnamed"
    SECOND_HAND = "second-hand", "second-hand: another party's officials report what the holder said or wants"
    LEAKED_DOCUMENT = "leaked-document", "a leaked document"
    OFFICIAL_DOCUMENT = "official-document", "the holder's own published text"
    OUTLET_INFERENCE = "outlet-inference", "the outlet's own reading"


class Confidence(models.TextChoices):
    """How sure the sources let us be of a clause's content."""

    HIGH = "high", "high: printed identically by several independent outlets"
    MEDIUM = "medium", "medium: reported, wording or detail not fully confirmed"
    LOW = "low", "low: a single unconfirmed report"


class Support(models.TextChoices):
    """What a clause's content rests on (computed from its citations)."""

    CHECKED_QUOTE = "checked-quote", "a quote checked by machine against a stored text"
    EXTERNAL_ONLY = "external-only", "only external texts we do not store"
    NONE = "none", "no citation"


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
    DOMESTIC_POLITICS = "politics", "domestic political development (a scandal, a resignation, an election)"


class QuantityQualifier(models.TextChoices):
    """How the value bounds the quantity ("up to" is at-most; "about", "some", "roughly" are roughly)."""

    EXACT = "exact", "exactly"
    AT_MOST = "at-most", "at most (up to)"
    AT_LEAST = "at-least", "at least"
    WITHIN = "within", "within"
    ROUGHLY = "roughly", "roughly (about)"


def vocabulary_of(field) -> type[models.TextChoices]:
    """The vocabulary whose choices a model field takes (a field keeps only the choices, not their class)."""
    return next(
        vocabulary
        for vocabulary in models.TextChoices.__subclasses__()
        if vocabulary.__module__ == __name__ and list(vocabulary.choices) == list(field.choices)
    )
