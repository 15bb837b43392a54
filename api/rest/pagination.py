"""Page-number pagination that refuses bad page parameters instead of quietly correcting them."""

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

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


class TreatyPagination(PageNumberPagination):
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
