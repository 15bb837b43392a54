"""GraphQL filters (``XFilter``) and orderings (``XOrder``), built from the declarations of
:mod:`treaty.filtering` — the same names as REST (camel-cased), the same checks, the same meaning.

A slug that names no record is refused (REST: 404), and so are point numbers out of range (REST:
400). Filters that name records or choices take a list (any of them matches; a single value is
accepted too, as GraphQL coerces it to a list). The filters of one input combine with AND;
``AND``, ``OR`` and ``NOT`` combine inputs. ``ordering: [{date: DESC}, {slug: ASC}]`` orders by
date, then slug, then (as in REST) creation order, newest first after a descending last key; without it a list
keeps the model's default order.
"""

import datetime

import strawberry_django
from django.db.models import Q, QuerySet
from strawberry import UNSET, Info, auto

from api.graphql.enums import enum_for
from api.graphql.errors import bad_user_input
from treaty import filtering, queries
from treaty.filtering import Kind


def _checked(declared: filtering.Filter, value):
    try:
        return declared.check(value)
    except filtering.InvalidFilter as error:
        raise bad_user_input(error.message) from None


def value_type(declared: filtering.Filter):
    if declared.kind is Kind.CHOICES:
        return list[enum_for(declared.choices)]
    return {
        Kind.RECORDS: list[str],
        Kind.SLUGS: list[str],
        Kind.TEXT: str,
        Kind.DATE: datetime.date,
        Kind.BOOLEAN: bool,
        Kind.NUMBER: int,
    }[declared.kind]


def filter_field(declared: filtering.Filter):
    def resolve(self, value, prefix: str) -> Q:
        value = _checked(declared, value)
        if value == "":
            return Q()  # blank text filters nothing, as in REST
        given = getattr(self, declared.given, None) if declared.given else None
        return declared.q(value, None if given is UNSET else given)

    resolve.__annotations__["value"] = value_type(declared)
    return strawberry_django.filter_field(resolve, resolve_value=True, description=declared.help)


def _search(self, queryset: QuerySet, info: Info, value: str, prefix: str) -> tuple[QuerySet, Q]:
    try:
        value = filtering.clean_text("q", value)
    except filtering.InvalidFilter as error:
        raise bad_user_input(error.message) from None
    ranked = not info.selected_fields[0].arguments.get("ordering")  # the list's ordering replaces relevance
    return (queries.search(queryset, value, ranked=ranked) if value else queryset), Q()


def _filter_type(listing: filtering.Listing):
    attrs = (
        {"q": strawberry_django.filter_field(_search, description=filtering.SEARCH_HELP)} if listing.searchable else {}
    )
    attrs |= {declared.name: filter_field(declared) for declared in listing.filters}
    return strawberry_django.filter_type(listing.model)(type(f"{listing.model.__name__}Filter", (), attrs))


ORDER_HELP = (
    "One key of a list's order; give several in a list. Ties come in creation order, newest first after a "
    "descending last key, so DESC is ASC reversed."
)


def _order_type(listing: filtering.Listing):
    cls = type(f"{listing.model.__name__}Order", (), {"__annotations__": dict.fromkeys(listing.ordering, auto)})
    return strawberry_django.order_type(listing.model, description=ORDER_HELP)(cls)


FILTERS = {model: _filter_type(listing) for model, listing in filtering.LISTINGS.items()}
ORDERS = {model: _order_type(listing) for model, listing in filtering.LISTINGS.items()}
