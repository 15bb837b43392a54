"""The field class of every GraphQL type and list here, and the page of a root list."""

import functools

import strawberry
import strawberry_django
from strawberry import UNSET
from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry_django import pagination
from strawberry_django.arguments import argument
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import is_optimized_by_prefetching
from strawberry_django.pagination import OffsetPaginationInput

from api.counts import KeptCount
from api.graphql.cost import NESTED_LIST_LIMIT
from treaty.filtering import ties_in_creation_order


class TreatyField(StrawberryDjangoField):
    """A field whose explicit ``ordering`` ends with the primary key, as in REST: ties come in creation order
    (newest first under a descending last key).

    A list of records nested in a record (``proposal { clauses }``) takes ``pagination: {offset, limit}`` and
    gives at most NESTED_LIST_LIMIT records unless asked for fewer, so no list is unbounded (api/graphql/cost.py
    prices a query by these limits before it runs).
    """

    def _has_pagination(self) -> bool:
        return self.is_paginated or (self.is_list and self.django_type is not None)

    def get_queryset(self, queryset, info, *, ordering=None, pagination=None, **kwargs):
        if self.is_list and not self.is_paginated and self.django_type is not None:
            if pagination in (None, UNSET):
                pagination = OffsetPaginationInput(offset=0, limit=NESTED_LIST_LIMIT)
            elif pagination.limit in (None, UNSET):
                pagination = OffsetPaginationInput(offset=pagination.offset, limit=NESTED_LIST_LIMIT)
        queryset = super().get_queryset(queryset, info, ordering=ordering, pagination=pagination, **kwargs)
        if ordering and queryset._result_cache is None and not is_optimized_by_prefetching(queryset):
            queryset = ties_in_creation_order(queryset)
        return queryset


def field(**kwargs):
    return strawberry_django.field(field_cls=TreatyField, **kwargs)


@strawberry.type
class OffsetPaginated(pagination.OffsetPaginated[pagination.NodeType]):
    """A root list's page (named as strawberry-django's, whose fields it has): its ``totalCount`` is kept per data
    version, as REST's ``count`` is (api/counts.py), and a search ranked by relevance counts its matches in the
    statement that reads the page."""

    def get_total_count(self) -> int:
        if self.queryset is None:
            return 0
        count = self.ranked_page[1] if self.ranked else None
        return count if count is not None else KeptCount(self.queryset).get()

    def get_paginated_queryset(self):
        if self.queryset is None or not self.ranked:
            return super().get_paginated_queryset()
        return self.ranked_page[0]

    @property
    def ranked(self) -> bool:
        return "search_rank" in self.queryset.query.annotations

    @functools.cached_property
    def ranked_page(self) -> tuple[list, int | None]:
        page = functools.partial(pagination.apply, self.pagination)
        return KeptCount(self.queryset).ranked(page, first=self.pagination.offset == 0)


class ListPagination(FieldExtension):
    """``pagination: {offset, limit}`` on a list the code computes (an analysis's parts, revisions): its slice,
    at most NESTED_LIST_LIMIT items unless asked for fewer, as for the lists of records."""

    def apply(self, field) -> None:
        if all(existing.python_name != "pagination" for existing in field.arguments):
            field.arguments = [*field.arguments, argument("pagination", OffsetPaginationInput, is_optional=True)]

    def resolve(self, next_, source, info, pagination=None, **kwargs):
        result = next_(source, info, **kwargs)
        if result is None:
            return None
        offset = pagination.offset if pagination else 0
        limit = NESTED_LIST_LIMIT if pagination is None or pagination.limit in (None, UNSET) else pagination.limit
        return list(result)[offset : offset + limit]


def _unwrap(type_):
    while isinstance(type_, StrawberryOptional | StrawberryList):
        type_ = type_.of_type
    return type_


def paginate_every_list(*root_types) -> None:
    """Gives ListPagination to every list of objects that is not a list of records (those are TreatyFields)."""
    seen, pending = set(), list(root_types)
    while pending:
        type_ = pending.pop()
        if type_ in seen or not has_object_definition(type_):
            continue
        page = isinstance(type_, type) and issubclass(type_, pagination.OffsetPaginated)
        if page:  # its results are the page
            pending.extend(_unwrap(node) for node in type_.__strawberry_definition__.type_var_map.values())
            continue
        seen.add(type_)
        for field_ in type_.__strawberry_definition__.fields:
            inner = _unwrap(field_.type)
            pending.append(inner)
            outer = field_.type.of_type if isinstance(field_.type, StrawberryOptional) else field_.type
            if (
                isinstance(outer, StrawberryList)
                and has_object_definition(inner)
                and not isinstance(field_, StrawberryDjangoField)
                and not any(isinstance(extension, ListPagination) for extension in field_.extensions)
            ):
                field_.extensions.append(ListPagination())
