"""Page-number pagination that refuses bad page parameters instead of quietly correcting them, and whose
``next`` and ``previous`` links seek (keyset pagination) rather than count rows off.

A page asked for by number (``?page=N``) is read with OFFSET, whose cost grows with N. The ``next`` and
``previous`` links also carry a ``cursor``: the position of the current page's last (or first) row in the list's
order, which always ends with a unique key. Following the link reads the rows just past that position, so a deep
page costs what a first page costs. The cursor is signed and names the list, ordering and filters it was made
for: another list's, an edited or a malformed cursor is refused with 400. A record inserted or deleted between
two requests neither shifts nor repeats the rows that follow (the page number in the links is then a label).
"""

import datetime
import decimal
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import F, Field, Q, prefetch_related_objects
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.counts import KeptCount

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far beyond any real page; keeps the number a 64-bit integer in the schema and in generated clients.
MAX_PAGE = 1_000_000
CURSOR_SALT = "api.rest.pagination.cursor"
MAX_CURSOR_LENGTH = 2000
CURSOR_EXAMPLE = "cursor=eyJ2IjpbIjIwMjUtMTEtMTgiLDQyXX0%3A1xYbuK%3AyJl4Ry2oYaVRs"


def _whole_number(name: str, raw: str, maximum: int) -> int:
    # ASCII digits only: int() also takes "+2", " 1", "1_0" and other scripts' digits.
    digits = raw.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(maximum)):
        raise ValidationError({name: [f"A whole number is required, not “{raw}”."]}) from None
    value = int(raw)
    if not 1 <= value <= maximum:
        raise ValidationError({name: [f"Must be between 1 and {maximum}, not {value}."]})
    return value


class CountOncePaginator(Paginator):
    """Counts a filtered list once per data version, not on every page (api/counts.py).

    ``counted`` is the list as filtered, without the columns added to read a page (the keyset): resolving
    ``proposal__date`` joins the proposals, a count keeps the join, and PostgreSQL cannot drop an inner join, so
    counting 400,000 clauses would also read their 40,000 proposals."""

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counter = KeptCount(object_list if counted is None else counted)

    @cached_property
    def count(self):
        return self.counter.get()


@dataclass(frozen=True)
class Term:
    """One key of a list's order: a lookup (``date``, ``proposal__slug``, ``pk``) or an annotation's name."""

    path: str
    descending: bool
    field: Field | None  # None: an annotation (search relevance)
    nullable: bool

    @property
    def unique(self) -> bool:
        """Orders the rows totally on its own: a unique, non-null column of the listed table itself."""
        return self.field is not None and "__" not in self.path and not self.nullable and self.field.unique

    def order_name(self, reverse=False) -> str:
        return f"{'-' if self.descending != reverse else ''}{self.path}"


def order_terms(queryset) -> list[Term]:
    """The queryset's order as Django reads it (a relation stands for its model's own ordering), cut after the
    first unique key, or ended with the primary key when it has none."""
    query = queryset.query
    names = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    terms = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            raise TypeError(f"No seek past an order by {name!r}.")
        terms.extend(_expand(queryset, query.model, name.removeprefix("-"), name.startswith("-"), "", False))
    for index, term in enumerate(terms):
        if term.unique:
            return terms[: index + 1]
    return [*terms, Term("pk", False, query.model._meta.pk, False)]


def _expand(queryset, model, name, descending, prefix, nullable) -> list[Term]:
    if not prefix and name in queryset.query.annotations:
        return [Term(name, descending, None, True)]
    *through, last = name.split("__")
    for part in through:
        relation = model._meta.get_field(part)
        nullable = nullable or relation.null
        model = relation.related_model
    field = model._meta.pk if last == "pk" else model._meta.get_field(last)
    nullable = nullable or field.null
    path = f"{prefix}{name}"
    if field.is_relation and last != field.attname and field.related_model._meta.ordering:
        related = field.related_model
        return [
            term
            for inner in related._meta.ordering
            for term in _expand(
                queryset, related, inner.removeprefix("-"), descending != inner.startswith("-"), f"{path}__", nullable
            )
        ]
    return [Term(path, descending, field, nullable)]


def seek(terms: list[Term], values: list, nulls_largest: bool, reverse=False) -> list[Q]:
    """Conditions whose rows, read one after the other in the order of ``terms`` (``reverse``: backwards), are
    the rows past the row with these values. Each reads one range of an index led by the first term's column:
    two of them when the rows past it hold both values and NULLs of that column, which sort apart.

    NULLs sort where the database puts them (PostgreSQL: as the largest value, SQLite: as the smallest), as
    the lists' OFFSET pages have always had them."""
    (first, *rest), (value, *rest_values) = terms, values
    after_rest = _after(rest, rest_values, nulls_largest, reverse)
    descending = first.descending != reverse
    nulls_after = first.nullable and nulls_largest != descending
    is_null = Q(**{f"{first.path}__isnull": True})
    if value is None:
        parts = [is_null & after_rest] if after_rest is not None else []
        return parts if nulls_after else [*parts, ~is_null]
    parts = [_past(first, value, descending, after_rest)]
    return [*parts, is_null] if nulls_after else parts


def _past(term: Term, value, descending: bool, after_rest: Q | None) -> Q:
    """Non-null values past ``value``, or equal to it and past the rest; bounded, so an index range serves it."""
    beyond = Q(**{f"{term.path}__{'lt' if descending else 'gt'}": value})
    if after_rest is None:
        return beyond
    bound = Q(**{f"{term.path}__{'lte' if descending else 'gte'}": value})
    return bound & (beyond | (Q(**{term.path: value}) & after_rest))


def _after(terms: list[Term], values: list, nulls_largest: bool, reverse: bool) -> Q | None:
    """The rows past these values in one condition (None for no terms)."""
    condition = None
    for term, value in reversed(list(zip(terms, values, strict=True))):
        descending = term.descending != reverse
        nulls_after = term.nullable and nulls_largest != descending
        is_null = Q(**{f"{term.path}__isnull": True})
        if value is None:
            if condition is None:  # a last term is unique and not null: never
                condition = ~is_null if not nulls_after else Q(pk__in=[])
            else:
                condition = is_null & condition if nulls_after else ~is_null | (is_null & condition)
        elif nulls_after:
            condition = _past(term, value, descending, condition) | is_null
        else:
            condition = _past(term, value, descending, condition)
    return condition


def _encode(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return value


def _decode(term: Term, raw):
    return raw if raw is None or term.field is None else term.field.to_python(raw)


def _bad_cursor(message: str):
    return ValidationError({TreatyPagination.cursor_query_param: [message]})


class TreatyPagination(PageNumberPagination):
    django_paginator_class = CountOncePaginator

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = (
        "Page number, from 1. A page past the last one is answered 404. A page asked for by its number is read "
        "by counting rows off, slower deep in a large list: follow the `next` and `previous` links instead."
    )
    page_size_query_description = (
        f"Results per page: {DEFAULT_PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE} (larger sizes are refused)."
    )
    cursor_query_description = (
        "Opaque: where the page starts, as the `next` and `previous` links give it (with their `page`). Following "
        "the links costs the same at any depth, and a record added or removed meanwhile neither shifts nor "
        "repeats the rows that follow. A cursor is valid only with the ordering, filters and page size it was "
        "made for; a changed, malformed or other list's cursor is refused with 400. A search ranked by relevance "
        "(`q` without `ordering`, on PostgreSQL) ranks every match for any page: its links have no cursor."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(self.page_size_query_param, raw, self.max_page_size)

    def get_page_number(self, request, paginator=None):
        raw = request.query_params.get(self.page_query_param)
        return 1 if raw is None else _whole_number(self.page_query_param, raw, MAX_PAGE)

    def fingerprint(self, request) -> str:
        """The list, filters, ordering and page size a cursor is made for."""
        params = request.query_params
        kept = sorted(
            (name, params.getlist(name))
            for name in params
            if name not in (self.page_query_param, self.cursor_query_param)
        )
        order = ",".join(term.order_name() for term in self.terms)
        identity = f"{request.path}\n{kept!r}\n{order}"
        return hashlib.sha256(identity.encode()).hexdigest()[:16]

    def read_cursor(self, request, number: int):
        """(values, backwards) of the request's cursor, or None without one; 400 for a cursor not made here."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            if len(raw) > MAX_CURSOR_LENGTH:
                raise signing.BadSignature
            cursor = signing.loads(raw, salt=CURSOR_SALT)
            values, backwards, page, fingerprint = cursor["v"], cursor["b"], cursor["p"], cursor["f"]
        except (signing.BadSignature, TypeError, KeyError, ValueError):
            raise _bad_cursor(
                "Not a cursor this API made, or one that was changed: follow the `next` and `previous` links "
                "as they are given."
            ) from None
        if fingerprint != self.fingerprint(request):
            raise _bad_cursor(
                "This cursor was made for another list, ordering, filter set or page size: follow the links of "
                "this answer, or start again without `cursor`."
            )
        if page != number:
            raise _bad_cursor(f"This cursor is for page {page}, not {number}: keep the `page` of the link.")
        try:
            return [_decode(term, value) for term, value in zip(self.terms, values, strict=True)], backwards
        except (DjangoValidationError, ValueError, TypeError):
            raise _bad_cursor("A malformed cursor: follow the `next` and `previous` links as they are given.") from None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.number = self.get_page_number(request)
        self.terms = order_terms(queryset)
        # Relevance (an annotation) is computed for every match whatever the page: pages by number alone.
        self.seekable = all(term.field is not None for term in self.terms)
        queryset = queryset.order_by(*(term.order_name() for term in self.terms))
        cursor = self.read_cursor(request, self.number)
        listed = queryset
        if self.seekable:
            listed = queryset.annotate(**{f"keyset_{i}": F(term.path) for i, term in enumerate(self.terms)})
        # Ranked by relevance, which is computed for every match: the page's ids come from the matches alone, and
        # only the page's records are then joined to what they show (a position's holder, its clause…).
        ids_first = not self.seekable and cursor is None and view is not None
        paginator = self.django_paginator_class(listed, size, counted=queryset)
        if ids_first:
            ids = self.ranked_page(paginator, size)
            found = view.get_queryset().in_bulk(ids)
            self.rows = [found[pk] for pk in ids if pk in found]
        elif cursor is None:
            try:
                page = paginator.page(self.number)
            except InvalidPage:
                raise NotFound(f"Page {self.number} is past the last page, {paginator.num_pages}.") from None
            self.rows, self.has_next = list(page), page.has_next()
        else:
            values, backwards = cursor
            nulls_largest = connections[queryset.db].features.nulls_order_largest
            # Each part read apart (an index range each), the related records then fetched once for the page.
            plain = listed.prefetch_related(None).order_by(*(term.order_name(backwards) for term in self.terms))
            rows = []
            for part in seek(self.terms, values, nulls_largest, reverse=backwards):
                rows += plain.filter(part)[: size + 1 - len(rows)]
                if len(rows) > size:
                    break
            self.has_next = backwards or len(rows) > size
            self.rows = rows[:size][::-1] if backwards else rows[:size]
            prefetch_related_objects(self.rows, *listed._prefetch_related_lookups)
        self.count = paginator.count
        self.has_previous = self.number > 1
        return self.rows

    def ranked_page(self, paginator, size: int) -> list:
        """The ids of a page ranked by relevance (read alone), counted as they are ranked unless the count is kept."""
        offset = (self.number - 1) * size

        def page(ranked):
            return ranked.prefetch_related(None)[offset : offset + size]

        ids, count = paginator.counter.ranked(page, first=self.number == 1, ids=True)
        if count is not None:
            paginator.count = count
        if self.number > paginator.num_pages:  # counted apart: a page past the end has no rows to count on
            raise NotFound(f"Page {self.number} is past the last page, {paginator.num_pages}.")
        self.has_next = self.number < paginator.num_pages
        return ids

    def numbered(self, number: int) -> str:
        """The link to page ``number`` by its number alone."""
        url = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def link(self, row, number: int, backwards: bool) -> str:
        """The link to page ``number``, seeking past (``backwards``: before) ``row`` where that is worth it."""
        if row is None or not self.seekable or (backwards and number == 1):  # the first page is cheap by number
            return self.numbered(number)
        values = [_encode(getattr(row, f"keyset_{i}")) for i in range(len(self.terms))]
        cursor = {"v": values, "b": backwards, "p": number, "f": self.fingerprint(self.request)}
        token = signing.dumps(cursor, salt=CURSOR_SALT, compress=True)
        return replace_query_param(self.numbered(number), self.cursor_query_param, token)

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        return self.link(self.rows[-1], self.number + 1, backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        return self.link(self.rows[0] if self.rows else None, self.number - 1, backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        limits = {self.page_query_param: MAX_PAGE, self.page_size_query_param: MAX_PAGE_SIZE}
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=limits[parameter["name"]])
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["default"] = DEFAULT_PAGE_SIZE
        cursor = {"type": "string", "maxLength": MAX_CURSOR_LENGTH}
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": cursor,
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        for link, page in (("next", 3), ("previous", 2)):
            response["properties"][link]["example"] = (
                f"http://127.0.0.1:8000/api/v1/clauses/?{CURSOR_EXAMPLE}&page={page}"
            )
        response["properties"]["next"]["description"] = (
            "The next page, or null on the last page. Follow it: its `cursor` seeks, so a deep page costs what "
            "a first page costs."
        )
        response["properties"]["previous"]["description"] = (
            "The previous page (with a `cursor` as `next` has, but for the first page), or null on the first page."
        )
        return response
