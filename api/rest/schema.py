"""How the REST API describes itself in OpenAPI (drf-spectacular)."""

import inspect

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import permissions

from api.problems import PROBLEM_MEDIA_TYPE
from api.rest.errors import ProblemSerializer


class TokenScheme(KnoxTokenScheme):
    """Documents api.authentication's token authentication as knox's own, which it is."""

    target_class = "api.authentication.TokenAuthentication"


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


def problem_answer(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


WRITE_ERRORS = {
    (400, PROBLEM_MEDIA_TYPE): problem_answer(
        "The record is invalid: `errors` names each bad field (`non_field_errors` for the record as a whole). "
        "The rules are the admin's: a quote must occur verbatim in its source, a clause number is unique in its "
        "proposal, a position's clause belongs to its proposal, a date agrees with its precision…"
    ),
    (401, PROBLEM_MEDIA_TYPE): problem_answer("No valid API token: send `Authorization: Token <token>`."),
    (403, PROBLEM_MEDIA_TYPE): problem_answer(
        "The token's user lacks the role: editors add and change records; only administrators delete."
    ),
}
NOT_FOUND = {(404, PROBLEM_MEDIA_TYPE): ERROR_RESPONSES[(404, PROBLEM_MEDIA_TYPE)]}
PRECONDITION_ERRORS = {
    (412, PROBLEM_MEDIA_TYPE): problem_answer(
        "The If-Match ETag is not the record's current one: someone changed it since you read it. "
        "GET it again, reapply your change and send the new ETag."
    ),
    (428, PROBLEM_MEDIA_TYPE): problem_answer("No If-Match header: send the ETag from the record's GET."),
}
WRITING = (
    "Needs an API token (`Authorization: Token <token>`) of an editor; deleting needs an administrator. "
    "Related records are given by slug. Changing or deleting needs the record's ETag in `If-Match`. "
    "The answer shows the record as its GET does."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The record's ETag, from its GET or the answer to the last write: the change is refused (412) "
    "if the record has changed since.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description=(
        'Names the representation sent, as "<version>.<digest>": send it in If-None-Match to get a 304 while '
        "nothing shown changed, and in If-Match to change or delete the record (its version part is compared)."
    ),
)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new record's URL."
)


class TreatyAutoSchema(AutoSchema):
    """Every operation documents its answers, errors as problem details; list and detail get a summary."""

    def get_summary(self):
        meta = self.view.queryset.model._meta
        if self.view.action == "list":
            return f"List {meta.verbose_name_plural}"
        if self.view.action == "retrieve":
            return f"Get a {meta.verbose_name} by slug"
        writes = {
            "create": "Create a",
            "update": "Replace a",
            "partial_update": "Change some fields of a",
            "destroy": "Delete a",
        }
        if self.view.action in writes:
            return f"{writes[self.view.action]} {meta.verbose_name} (editors; deleting: administrators)"
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
        if self.view.action in ("create", "update", "partial_update", "destroy"):
            return f"{resource}\n\n{WRITING}"
        return super().get_description()

    def get_auth(self):
        auths = super().get_auth()
        return [*auths, {}] if self.method in permissions.SAFE_METHODS else auths  # anyone reads

    def get_override_parameters(self):
        parameters = {
            "retrieve": [ETAG],
            "create": [ETAG, LOCATION],
            "update": [IF_MATCH, ETAG],
            "partial_update": [IF_MATCH, ETAG],
            "destroy": [IF_MATCH],
        }
        return [*super().get_override_parameters(), *parameters.get(self.view.action, [])]

    def get_response_serializers(self):
        action = self.view.action
        record = getattr(self.view, "detail_serializer_class", None) or self.view.serializer_class
        if action == "create":
            created = OpenApiResponse(record, description="Created: the record as its GET shows it.")
            return {201: created, **WRITE_ERRORS}
        if action in ("update", "partial_update"):
            return {200: record, **WRITE_ERRORS, **NOT_FOUND, **PRECONDITION_ERRORS}
        if action == "destroy":
            conflict = problem_answer("Other records still refer to this one: change or delete those first.")
            return {
                204: OpenApiResponse(description="Deleted."),
                **{k: v for k, v in WRITE_ERRORS.items() if k[0] != 400},
                **NOT_FOUND,
                (409, PROBLEM_MEDIA_TYPE): conflict,
                **PRECONDITION_ERRORS,
            }
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
