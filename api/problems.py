"""The error shape both APIs share for errors outside GraphQL's own: RFC 9457 problem details
(``application/problem+json``), and Django's own error answers under /api/ in that shape.

``{"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "…", "errors": {"field": ["…"]}}``
``errors`` appears on validation errors only, naming each bad parameter.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.views import defaults

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str, errors: dict | None = None) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


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
