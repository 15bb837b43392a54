"""How the REST API describes itself in OpenAPI (drf-spectacular)."""

import inspect

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from api.rest.errors import PROBLEM_MEDIA_TYPE, ProblemSerializer

ERROR_RESPONSES = {
    (400, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="A malformed or unknown query parameter: an unknown filter or choice, a bad date, "
        "an unknown ordering field, a page or page size out of range. `errors` names each bad parameter.",
        examples=[
            OpenApiExample(
                "Unknown parameter",
                value={
                    "type": "about:blank",
                    "title": "Bad Request",
                    "status": 400,
                    "detail": "Invalid request: colour: Unknown query parameter. This endpoint accepts: none.",
                    "errors": {"colour": ["Unknown query parameter. This endpoint accepts: none."]},
                },
            )
        ],
    ),
    (404, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="No record has the slug given in the path or a parameter, or the page is past the last one.",
        examples=[
            OpenApiExample(
                "Unknown slug",
                value={
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No clause has the slug “no-such-clause”.",
                },
            )
        ],
    ),
}


class TreatyAutoSchema(AutoSchema):
    """Every operation documents its problem-details answers for 400 and 404; list and detail get a summary."""

    def get_summary(self):
        meta = self.view.queryset.model._meta
        if self.view.action == "list":
            return f"List {meta.verbose_name_plural}"
        if self.view.action == "retrieve":
            return f"Get a {meta.verbose_name} by slug"
        return super().get_summary()

    def get_description(self):
        resource = inspect.getdoc(self.view.__class__)
        if self.view.action == "list":
            return (
                f"{resource}\n\nRelated records appear as slugs. Filters combine with AND; "
                "a filter given several values matches any of them."
            )
        if self.view.action == "retrieve":
            return f"{resource}\n\nRelated records appear in a compact expanded form."
        return super().get_description()

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if not isinstance(responses, dict):
            responses = {200: responses}
        return {**responses, **ERROR_RESPONSES}


def reference_enum_components(result, generator, request, public):
    """Point filter parameters at the named enums (StanceEnum…) so generated clients share one type per enum."""
    schemas = result["components"]["schemas"]
    named = {frozenset(schema["enum"]): name for name, schema in schemas.items() if "enum" in schema}
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                holder, key = (
                    (parameter["schema"], "items") if "items" in parameter["schema"] else (parameter, "schema")
                )
                name = named.get(frozenset(holder[key].get("enum", [])))
                if name:
                    holder[key] = {"$ref": f"#/components/schemas/{name}"}
    return result
