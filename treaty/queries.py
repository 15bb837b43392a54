"""What each filter means, written once for the REST FilterSets and the GraphQL filters.

Every ``<records>_by_<filter>`` function returns a ``Q`` for the model named by
its prefix. Arguments that name records take slugs; "one of" arguments take a
single value or any iterable of values (any of them matches). Filters through
many-to-many relations and positions use subqueries, so they never duplicate
rows. Free text goes through :func:`search`, which takes and returns a
queryset because ranking needs an annotation.

Dates: a dated record holds an interval (``date`` the earliest possible day,
``date_latest`` the latest). Date filters match on any overlap of that interval
with the range; undated records match no date filter.
"""

import operator
from collections.abc import Iterable
from datetime import date
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Exists, Expression, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import IsNull

from treaty.models import (
    Assessment,
    Citation,
    Clause,
    Conflict,
    Event,
    Negotiation,
    Party,
    PartyRole,
    Person,
    Position,
    Proposal,
    Source,
    Topic,
    is_slug,
)

Values = str | int | Iterable[str] | Iterable[int]


def _values(values: Values) -> list:
    if isinstance(values, str | int):
        return [values]
    return list(values)


def _named_by(field: str, model, slugs: Values) -> Q:
    """``field`` points to one of the records with these slugs. One slug reads as the one id it names (an
    InitPlan), so PostgreSQL can walk an index on (``field``, ordering) in order and stop at the page; a join
    on the slug hides that the id is fixed, and the first page would read every earlier record."""
    slugs = _values(slugs)
    if len(slugs) == 1:
        return Q(**{field: Subquery(model.objects.filter(slug=slugs[0]).order_by().values("pk"))})
    return Q(**{f"{field}__slug__in": slugs})


def dated_between(after: date | None = None, before: date | None = None) -> Q:
    """Records whose date interval overlaps the range: its latest day on or after ``after``, its earliest day on
    or before ``before`` (either may be omitted). A month-precise date matches a range inside that month."""
    q = Q()
    if after is not None:
        q &= Q(date_latest__gte=after)
    if before is not None:
        q &= Q(date__lte=before)
    return q


def by_name_or_alias(text: str) -> Q:
    """People or parties whose name or one of whose aliases contains ``text`` (case-insensitive)."""
    return Q(name__icontains=text) | Q(aliases__icontains=text)


# Positions -------------------------------------------------------------------------------------------------------


def positions_current() -> Q:
    """Positions that no later position of the same holder on the same subject supersedes.

    The SQL form of :func:`treaty.rules.current_positions`: a position is superseded only by one whose earliest
    day is after its latest day; undated positions are never superseded and never supersede.
    """
    later = (
        Position.objects.annotate(subject=Coalesce("clause_id", 0))
        .filter(holder=OuterRef("holder"), proposal=OuterRef("proposal"), subject=Coalesce(OuterRef("clause_id"), 0))
        .filter(date__gt=OuterRef("date_latest"))
    )
    return ~Q(Exists(later))


def positions_by_current(current: bool) -> Q:
    """``True``: the positions no later one supersedes; ``False``: only superseded ones."""
    return positions_current() if current else ~positions_current()


def positions_by_holder(parties: Values) -> Q:
    return _named_by("holder", Party, parties)


def positions_by_clause(clauses: Values) -> Q:
    return _named_by("clause", Clause, clauses)


def positions_by_proposal(proposals: Values) -> Q:
    """Positions on the proposal as a whole or on any of its clauses."""
    return _named_by("proposal", Proposal, proposals)


def positions_on_whole_proposal(whole: bool = True) -> Q:
    """Positions on a whole proposal (``True``) or on a single clause (``False``)."""
    return Q(clause__isnull=whole)


def positions_by_direction(directions: Values) -> Q:
    return Q(direction__in=_values(directions))


def positions_by_firmness(values: Values) -> Q:
    return Q(firmness__in=_values(values))


def positions_by_reported_by(parties: Values) -> Q:
    """Second-hand positions reported by these parties' officials."""
    return _named_by("reported_by", Party, parties)


def by_needs_review(needs_review: bool) -> Q:
    return Q(needs_review=needs_review)


def positions_by_basis(bases: Values) -> Q:
    return Q(basis__in=_values(bases))


def positions_by_speaker(people: Values) -> Q:
    """Positions stated by one of these people."""
    return _named_by("speaker", Person, people)


def positions_by_date(after: date | None = None, before: date | None = None) -> Q:
    return dated_between(after, before)


# Clauses ---------------------------------------------------------------------------------------------------------


def clauses_by_proposal(proposals: Values) -> Q:
    return _named_by("proposal", Proposal, proposals)


def clauses_by_topic(topics: Values) -> Q:
    """Clauses tagged with any of these topics."""
    tagged = Clause.topics.through.objects.filter(topic__slug__in=_values(topics)).values("clause_id")
    return Q(pk__in=tagged)


def clauses_by_number(numbers: Values) -> Q:
    return Q(number__in=_values(numbers))


def clauses_by_state(states: Values) -> Q:
    return Q(state__in=_values(states))


def clauses_by_direction(directions: Values | None = None, parties: Values | None = None) -> Q:
    """Clauses on which a holder's *current* position has one of ``directions``.

    With ``parties`` only: clauses on which one of these parties holds a position.
    With both: clauses on which one of these parties' current positions has one of ``directions``.
    """
    positions = Position.objects.filter(positions_current(), clause=OuterRef("pk"))
    if directions is not None:
        positions = positions.filter(positions_by_direction(directions))
    if parties is not None:
        positions = positions.filter(positions_by_holder(parties))
    return Q(Exists(positions))


def clauses_by_party(parties: Values) -> Q:
    """Clauses on which one of these parties holds a position (assessments do not count)."""
    return clauses_by_direction(parties=parties)


def citations_checked(path: str = "") -> Q:
    """Citations whose quote a machine checked: non-empty, in a stored text that is not an external one.
    ``path`` leads from another model to the citation (``citation__``)."""
    return (
        ~Q(**{f"{path}quote": ""}) & ~Q(**{f"{path}source__text": ""}) & ~Q(**{f"{path}source__tier": "external-text"})
    )


def clause_support_annotations() -> dict:
    """What :attr:`treaty.models.Clause.support` reads, as SQL annotations (no query per clause)."""
    cited = Clause.citations.through.objects.filter(clause_id=OuterRef("pk"))
    return {
        "has_checked_quote": _any(cited.filter(citations_checked("citation__"))),
        "has_citation": _any(cited),
        "has_stored_citation": _any(cited.exclude(citation__source__tier="external-text")),
    }


def _any(queryset: QuerySet) -> IsNull:
    """Whether the correlated queryset has a row, as ``(SELECT … LIMIT 1) IS NOT NULL`` rather than EXISTS:
    PostgreSQL may answer an EXISTS by hashing every row of the tables inside it (seconds at 10,000× the seed)
    when it expects many outer rows, even under a LIMIT; a scalar subquery runs for the rows returned only."""
    return IsNull(Subquery(queryset.values("pk")[:1]), False)


def clauses_by_confidence(values: Values) -> Q:
    return Q(confidence__in=_values(values))


def clauses_by_negotiation(negotiations: Values) -> Q:
    return Q(proposal__negotiation__slug__in=_values(negotiations))


# Proposals -------------------------------------------------------------------------------------------------------


def proposals_by_kind(kinds: Values) -> Q:
    return Q(kind__in=_values(kinds))


def proposals_by_status(statuses: Values) -> Q:
    return Q(status__in=_values(statuses))


def proposals_by_stage(stages: Values) -> Q:
    return Q(stage__in=_values(stages))


def proposals_by_author(parties: Values) -> Q:
    """Proposals authored (alone or jointly) by any of these parties."""
    authored = Proposal.authors.through.objects.filter(party__slug__in=_values(parties)).values("proposal_id")
    return Q(pk__in=authored)


def proposals_by_negotiation(negotiations: Values) -> Q:
    return Q(negotiation__slug__in=_values(negotiations))


def proposals_by_date(after: date | None = None, before: date | None = None) -> Q:
    return dated_between(after, before)


def proposals_by_text_published(published: bool) -> Q:
    return Q(text_published=published)


# Events ----------------------------------------------------------------------------------------------------------


def events_by_date(after: date | None = None, before: date | None = None) -> Q:
    """Events whose interval overlaps the range; a several-day event counts if any of its days may fall in it."""
    q = Q()
    if after is not None:
        q &= Q(date_latest__gte=after) | Q(end_date__gte=after)
    if before is not None:
        q &= Q(date__lte=before)
    return q


def events_by_kind(kinds: Values) -> Q:
    return Q(kind__in=_values(kinds))


def events_by_participant(participants: Values) -> Q:
    """Events with any of these participants, each a person's or a party's slug."""
    slugs = _values(participants)
    people = Event.people.through.objects.filter(person__slug__in=slugs).values("event_id")
    parties = Event.parties.through.objects.filter(party__slug__in=slugs).values("event_id")
    return Q(pk__in=people) | Q(pk__in=parties)


def events_by_proposal(proposals: Values) -> Q:
    related = Event.proposals.through.objects.filter(proposal__slug__in=_values(proposals)).values("event_id")
    return Q(pk__in=related)


def events_by_negotiation(negotiations: Values) -> Q:
    return Q(negotiation__slug__in=_values(negotiations))


# People, parties, negotiations -----------------------------------------------------------------------------------


def people_by_name(text: str) -> Q:
    return by_name_or_alias(text)


def people_by_party(parties: Values) -> Q:
    """People affiliated with any of these parties."""
    return Q(party__slug__in=_values(parties))


def parties_by_name(text: str) -> Q:
    return by_name_or_alias(text)


def parties_by_kind(kinds: Values) -> Q:
    return Q(kind__in=_values(kinds))


def parties_by_negotiation(negotiations: Values, roles: Values | None = None) -> Q:
    """Parties taking part in any of these negotiations, optionally in one of ``roles``."""
    taking_part = PartyRole.objects.filter(negotiation__slug__in=_values(negotiations))
    if roles is not None:
        taking_part = taking_part.filter(role__in=_values(roles))
    return Q(pk__in=taking_part.values("party_id"))


def parties_by_role(roles: Values) -> Q:
    """Parties with any of these roles in some negotiation: one probe of the (party, role) index per party, where
    a list of every such role's party grows with the negotiations."""
    return Q(Exists(PartyRole.objects.filter(party=OuterRef("pk"), role__in=_values(roles))))


def negotiations_by_party(parties: Values) -> Q:
    return Q(pk__in=PartyRole.objects.filter(party__slug__in=_values(parties)).values("negotiation_id"))


# Sources and citations -------------------------------------------------------------------------------------------


def sources_by_outlet(outlets: Values) -> Q:
    """Sources from any of these outlets (the outlet's name, case-insensitive)."""
    q = Q()
    for outlet in _values(outlets):
        q |= Q(outlet__iexact=outlet)
    return q


def sources_by_kind(kinds: Values) -> Q:
    return Q(kind__in=_values(kinds))


def sources_by_date(after: date | None = None, before: date | None = None) -> Q:
    return dated_between(after, before)


def sources_by_tier(tiers: Values) -> Q:
    return Q(tier__in=_values(tiers))


def sources_by_has_text(has_text: bool) -> Q:
    return ~Q(text="") if has_text else Q(text="")


def citations_by_source(sources: Values) -> Q:
    return Q(source__slug__in=_values(sources))


def passages_by_source(sources: Values) -> Q:
    return Q(source__slug__in=_values(sources))


# Assessments and conflicts --------------------------------------------------------------------------------------


def assessments_by_about(parties: Values) -> Q:
    return Q(about__slug__in=_values(parties))


def assessments_by_assessor(people: Values) -> Q:
    return Q(assessor__slug__in=_values(people))


def assessments_by_proposal(proposals: Values) -> Q:
    """Assessments of the proposal as a whole or of any of its clauses."""
    return Q(proposal__slug__in=_values(proposals))


def assessments_by_clause(clauses: Values) -> Q:
    return Q(clause__slug__in=_values(clauses))


def assessments_by_date(after: date | None = None, before: date | None = None) -> Q:
    return dated_between(after, before)


def conflicts_by_negotiation(negotiations: Values) -> Q:
    return Q(negotiation__slug__in=_values(negotiations))


def conflicts_by_proposal(proposals: Values) -> Q:
    return Q(
        pk__in=Conflict.proposals.through.objects.filter(proposal__slug__in=_values(proposals)).values("conflict_id")
    )


def conflict_claims_by_conflict(conflicts: Values) -> Q:
    return Q(conflict__slug__in=_values(conflicts))


# Records without a slug of their own -----------------------------------------------------------------------------


def party_roles_by_negotiation(negotiations: Values) -> Q:
    return Q(negotiation__slug__in=_values(negotiations))


def party_roles_by_party(parties: Values) -> Q:
    return Q(party__slug__in=_values(parties))


def party_roles_by_role(roles: Values) -> Q:
    return Q(role__in=_values(roles))


def lineage_by_clause(clauses: Values) -> Q:
    """Lineage links of these (later) clauses."""
    return Q(clause__slug__in=_values(clauses))


def lineage_by_derived_from(clauses: Values) -> Q:
    """Lineage links from these (earlier) clauses."""
    return Q(derived_from__slug__in=_values(clauses))


def quantities_by_clause(clauses: Values) -> Q:
    return Q(clause__slug__in=_values(clauses))


def quantities_by_position(positions: Values) -> Q:
    return Q(position__slug__in=_values(positions))


def quantities_by_assessment(assessments: Values) -> Q:
    return Q(assessment__slug__in=_values(assessments))


def quantities_by_event(events: Values) -> Q:
    return Q(event__slug__in=_values(events))


def quantities_by_measure(measures: Values) -> Q:
    """A measure is a slug: anything else (a NUL character, say) matches nothing."""
    return Q(measure__in=[measure for measure in _values(measures) if is_slug(measure)])


# Free text -------------------------------------------------------------------------------------------------------

SEARCH_FIELDS = {
    # model: (fields weighted A, fields weighted B)
    Negotiation: (["name"], ["summary"]),
    Party: (["name", "aliases"], ["description"]),
    Person: (["name", "aliases"], ["title", "description"]),
    Source: (["headline", "outlet"], ["byline", "text", "notes", "republished_from", "declared_interest"]),
    Citation: (["quote"], ["locator", "note"]),
    Proposal: (["title"], ["summary"]),
    Clause: (["heading"], ["text"]),
    Position: (["summary"], ["review_note"]),
    Assessment: (["summary"], ["assessor_description"]),
    Conflict: (["summary"], []),
    Event: (["title"], ["place", "summary", "outcome"]),
    Topic: (["name"], ["description", "pax_categories"]),
}
# The related records through whose names (and aliases) a record is found: positions?q=Zelenskiy finds what he said.
SEARCH_RELATED = {
    Negotiation: ["parties"],
    Person: ["party"],
    Proposal: ["authors"],
    Clause: ["topics", "proposal"],
    Position: ["holder", "speaker", "reported_by"],
    Assessment: ["assessor", "about"],
    Event: ["people", "parties"],
}
SEARCH_CONFIG = "english"
# How alike a misspelling must be to a name or alias (pg_trgm's word similarity, 0 to 1) to find it. Each
# PostgreSQL connection sets pg_trgm.word_similarity_threshold to it (config/settings.py), so the indexable %>
# operator applies the same bound.
SPELLING_SIMILARITY = settings.SEARCH_SPELLING_SIMILARITY  # "Kyslitsya" for Kyslytsya scores 0.54


def search(queryset: QuerySet, text: str, ranked: bool = True) -> QuerySet:
    """Records matching free ``text``: in their own text, in the names and aliases of the records they are tied
    to (a position's holder and speaker, an event's participants…), or in the quotes of their citations.

    On PostgreSQL: full-text search (web-search syntax: words, "quoted phrases", -exclusions); names and aliases
    also match a misspelling (trigram word similarity). ``ranked``: best-ranked first, with the rank in a
    ``search_rank`` annotation; otherwise the queryset's order is kept, for a caller that orders it. Elsewhere:
    every word must occur, case-insensitively, in one of those places; the queryset's order is kept.
    """
    model = queryset.model
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        document = StoredDocument()
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        own = model.objects.alias(document=document).filter(document=query).values("pk")
        elsewhere = [ids.order_by() for ids in _found_elsewhere(model, text, query)]
        if not ranked:
            # In a declared order, each way of being found is its own subquery, which PostgreSQL hashes once and
            # tests each row against as it reads them in that order's index, stopping at the page. Given their
            # union, it may instead join every row read to the whole union (10,000x the seed: over 120 s).
            return queryset.filter(reduce(operator.or_, (Q(pk__in=ids) for ids in [own, *elsewhere])))
        # Ranked, every match is read anyway: their ids united, so each way reads its own index. An OR of
        # subqueries would make PostgreSQL test every row of the table.
        found = own.order_by().union(*elsewhere)
        return (
            queryset.filter(pk__in=found)
            .annotate(search_rank=SearchRank(document, query))
            .order_by("-search_rank", "pk")
        )
    for word in text.split():
        elsewhere = Q()
        for ids in _found_elsewhere(model, word):
            elsewhere |= Q(pk__in=ids)
        queryset = queryset.filter(_own_text(model, word) | elsewhere)
    return queryset


class StoredDocument(Expression):
    """A document PostgreSQL stores in a generated column with a GIN index (migration 0017): search_document, a
    searched model's weighted document, or a citation's quote_document. Read, not rebuilt from the text, so
    ranking or rechecking many matches parses no text. Not a model field, so nothing but search reads it; it
    names the query's own table (U0 in a subquery)."""

    output_field = SearchVectorField()

    def __init__(self, column: str = "search_document"):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def search_document(model) -> SearchVector:
    """A searched model's weighted document, what its stored search_document is generated from (migration 0017
    holds the SQL this compiles to; tests/test_indexes.py checks the two agree)."""
    primary, secondary = SEARCH_FIELDS[model]
    document = SearchVector(*primary, weight="A", config=SEARCH_CONFIG)
    if secondary:
        document += SearchVector(*secondary, weight="B", config=SEARCH_CONFIG)
    return document


def quote_document() -> SearchVector:
    """A citation's quote alone, what its stored quote_document is generated from: the records citing it are
    found through it."""
    return SearchVector("quote", config=SEARCH_CONFIG)


def names_text(model) -> Func:
    """A named model's name and aliases as one text, as its trigram index holds it, for misspellings."""
    names = Cast(_name_field(model), TextField())
    if _has_aliases(model):
        names = Concat(names, Value(" "), Cast("aliases", TextField()), output_field=TextField())
    return names


def _name_field(model) -> str:
    return "name" if any(field.name == "name" for field in model._meta.fields) else "title"


def _has_aliases(model) -> bool:
    return any(field.name == "aliases" for field in model._meta.fields)


def _own_text(model, word: str) -> Q:
    primary, secondary = SEARCH_FIELDS[model]
    matches = Q()
    for field in primary + secondary:
        matches |= Q(**{f"{field}__icontains": word})
    return matches


def _found_elsewhere(model, text: str, query: SearchQuery | None = None) -> list[QuerySet]:
    """The ids of records found through names and aliases (their own, and their related records') and through
    citation quotes, one queryset per way."""
    found = []
    if model in (Party, Person):
        found.append(_named(model, text))
    for path in SEARCH_RELATED.get(model, []):
        related = model._meta.get_field(path).related_model
        found.append(model.objects.filter(**{f"{path}__in": _named(related, text)}).values("pk"))
    if any(field.name == "citations" for field in model._meta.many_to_many):
        through = model.citations.through
        quoting = through.objects.filter(citation__in=_quoting(text, query))
        found.append(quoting.values(f"{model._meta.model_name}_id"))
    return found


def _named(model, text: str) -> QuerySet:
    """Ids of records whose name (or alias) contains the text, or on PostgreSQL resembles it."""
    name_field = _name_field(model)
    matches = Q(**{f"{name_field}__icontains": text})
    if _has_aliases(model):
        matches |= Q(aliases__icontains=text)
    queryset = model.objects.all()
    if connection.vendor == "postgresql":
        # %> finds the candidates through the index (at the connection's threshold); the similarity decides.
        queryset = queryset.alias(names=names_text(model), spelling=TrigramWordSimilarity(text, names_text(model)))
        matches |= Q(names__trigram_word_similar=text, spelling__gte=SPELLING_SIMILARITY)
    return queryset.filter(matches).values("pk")


def _quoting(text: str, query: SearchQuery | None) -> QuerySet:
    """Citations whose quote matches: full-text on PostgreSQL (``query``), containing the word elsewhere."""
    if query is not None:
        return Citation.objects.alias(quoted=StoredDocument("quote_document")).filter(quoted=query)
    return Citation.objects.filter(quote__icontains=text)
