"""Requests to the APIs (/api/, /graphql/) that are refused before any view runs, each with a 4xx in the API's
error shape (problem details on REST, ``{"errors": [...]}`` on GraphQL) instead of a 500 or a wrong answer:

- an ``Accept`` header that admits no JSON (``text/csv``, ``*/*;q=0``): 406;
- a chunked body without Content-Length, which WSGI would hand over as empty: 411;
- a JSON body that is not UTF-8 (RFC 8259 requires it; UTF-16 too) or nests deeper than MAX_JSON_DEPTH: 400;
- a search text (REST ``q``) longer than MAX_SEARCH_LENGTH characters: 400 (GraphQL: api/graphql/cost.py).
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers

from api.problems import PROBLEM_MEDIA_TYPE, problem
from treaty.filtering import MAX_SEARCH_LENGTH

MAX_JSON_DEPTH = 32
JSON_TYPES = ("application/json", "application/problem+json", "application/graphql-response+json")


def json_depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar: 0)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def json_problem(body: bytes) -> str | None:
    """What is wrong with a JSON body, for the client; None when it is fine (or not JSON at all: the view says)."""
    try:
        text = body.decode("utf-8")
        if "\x00" in text:  # never in JSON text: UTF-16 or UTF-32 without a byte-order mark
            raise UnicodeDecodeError("utf-8", body, 0, 1, "NUL byte")
    except UnicodeDecodeError:
        return "The request body is not UTF-8: JSON sent to this API must be UTF-8 (RFC 8259), not UTF-16 or Latin-1."
    try:
        value = json.loads(text)
    except RecursionError:
        return f"The JSON in the request body nests more than {MAX_JSON_DEPTH} levels deep."
    except ValueError:
        return None  # malformed JSON: each API's parser explains it
    if json_depth(value) > MAX_JSON_DEPTH:
        return f"The JSON in the request body nests more than {MAX_JSON_DEPTH} levels deep."
    return None


def _accepts_json(header: str) -> bool:
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if quality > 0 and (media in ("*/*", "application/*") or media in JSON_TYPES or media.endswith("+json")):
            return True
    return False


def refuse(request, status: int, message: str, parameter: str | None = None):
    if request.path.startswith("/graphql/"):
        return JsonResponse({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}, status=status)
    body = problem(status, f"Invalid request: {parameter}: {message}" if parameter else message)
    if parameter:
        body["errors"] = {parameter: [message]}
    return JsonResponse(body, status=status, content_type=PROBLEM_MEDIA_TYPE)


class InputLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.check(request, graphql=False) or self.get_response(request)
        if request.path.startswith("/graphql/"):
            return self.check(request, graphql=True) or self.get_response(request)
        return self.get_response(request)

    def check(self, request, *, graphql: bool):
        accept = request.META.get("HTTP_ACCEPT")
        # The resources and GraphQL answer JSON (GraphiQL, in development, is the HTML page of /graphql/); the
        # schema and its documentation pages under /api/ have their own types.
        json_only = graphql or request.path.startswith("/api/v1/")
        if json_only and accept and not _accepts_json(accept) and not (graphql and "text/html" in accept):
            return refuse(request, 406, "This API answers in JSON only: send an Accept header that admits it.")
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not request.META.get("CONTENT_LENGTH"):
            return refuse(request, 411, "Send the request body with a Content-Length, not in chunks.")
        if "json" in request.META.get("CONTENT_TYPE", "") and request.META.get("CONTENT_LENGTH") not in (None, "", "0"):
            message = json_problem(request.body)
            if message:
                return refuse(request, 400, message)
        if not graphql:
            for q in request.GET.getlist("q"):
                if len(q) > MAX_SEARCH_LENGTH:
                    message = f"A search takes at most {MAX_SEARCH_LENGTH} characters, not {len(q):,}."
                    return refuse(request, 400, message, "q")
        return None


class VaryMiddleware:
    """``Vary`` names the request headers an API answer depends on, so a shared cache keeps the variants apart:
    ``Accept`` (GraphQL's media type follows it; DRF adds it on REST) and, behind a TLS proxy, the header that
    gives the scheme of the absolute URLs in the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/api/", "/graphql/")):
            headers = ["Accept"]
            proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
            if proxy_header:
                headers.append(proxy_header[0].removeprefix("HTTP_").replace("_", "-").title())
            if request.path.endswith("/revisions/"):  # who made each change is shown to curators only
                headers += ["Authorization", "Cookie"]
            patch_vary_headers(response, headers)
        return response
