"""Page-number pagination that refuses bad page parameters instead of quietly correcting them."""

import contextlib
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from api.caching import lookup

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far beyond any real page; keeps the number a 64-bit integer in the schema and in generated clients.
MAX_PAGE = 1_000_000


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
    """Counts a filtered list once per data version, not on every page: the count is kept in the shared cache
    under the data version read before counting, which any write replaces (api/caching.py)."""

    @cached_property
    def count(self):
        if settings.COUNT_CACHE_SECONDS <= 0:
            return super().count
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty IN)
            return 0
        identity = f"{self.object_list.db}\n{sql}\n{params!r}"
        key = f"count:{hashlib.sha256(identity.encode()).hexdigest()}"
        try:
            version, count = lookup(key)
        except Exception:  # the cache is down: count in the database
            logger.warning("count cache unavailable", exc_info=True)
            return super().count
        if count is None:
            count = super().count
            with contextlib.suppress(Exception):  # not kept: counted again next time
                cache.set(key, (version, count), timeout=settings.COUNT_CACHE_SECONDS)
        return count


class TreatyPagination(PageNumberPagination):
    django_paginator_class = CountOncePaginator

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = "Page number, from 1. A page past the last one is answered 404."
    page_size_query_description = (
        f"Results per page: {DEFAULT_PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE} (larger sizes are refused)."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(self.page_size_query_param, raw, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        return 1 if raw is None else _whole_number(self.page_query_param, raw, MAX_PAGE)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(f"Page {number} is past the last page, {paginator.num_pages}.") from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        limits = {self.page_query_param: MAX_PAGE, self.page_size_query_param: MAX_PAGE_SIZE}
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=limits[parameter["name"]])
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["default"] = DEFAULT_PAGE_SIZE
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        for link, page in (("next", 3), ("previous", 1)):
            response["properties"][link]["example"] = f"http://127.0.0.1:8000/api/v1/clauses/?page={page}"
        response["properties"]["next"]["description"] = "The next page, or null on the last page."
        response["properties"]["previous"]["description"] = "The previous page, or null on the first page."
        return response
