"""One error shape for the whole API: RFC 9457 problem details (``application/problem+json``).

``{"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "…", "errors": {"field": ["…"]}}``
``errors`` appears on validation errors only, naming each bad parameter.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str, errors: dict | None = None) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Give the record's ETag (from a GET) in an If-Match header, so no one else's edit is overwritten."


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record was changed since you read it: GET it again, reapply your edit, and send the new ETag."


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the data."


def exception_handler(exc, context):
    """DRF's handler, with its answer reshaped as problem details."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django answers it through handler500
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"request": exc.detail}
        errors = {name: _messages(value) for name, value in detail.items()}
        summary = "Invalid request: " + " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        response.data = problem(response.status_code, summary, errors)
    else:
        response.data = problem(response.status_code, " ".join(_messages(response.data.get("detail", ""))))
    response.content_type = PROBLEM_MEDIA_TYPE
    return response


def problem_response(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status, detail),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """Django's 404 for URLs no view matches: problem details under /api/, the usual page elsewhere."""
    if _is_api(request):
        return problem_response(404, f"There is no API resource at {request.path}. The API starts at /api/v1/.")
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """Django's 400 (e.g. a disallowed Host header)."""
    if _is_api(request):
        return problem_response(400, "The request is malformed.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return problem_response(403, "This request is not allowed.")
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _is_api(request):
        return problem_response(500, "The server failed to answer this request; the error has been logged.")
    return defaults.server_error(request)


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457), the body of every error response."""

    type = serializers.CharField(help_text="A URI identifying the problem type; about:blank means see `title`.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: the messages for each bad parameter, by parameter name.",
    )
