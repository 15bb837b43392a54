"""A database or cache that cannot be reached, or a request past its time budget: 503 with Retry-After, in the
API's error shape (problem details under /api/, ``{"errors": [...]}`` at /graphql/), never a 500 or a 200.

Nothing here needs a restart to recover: Django drops a connection that failed (and checks a kept one before
reusing it, CONN_MAX_AGE with health checks), so the first request after the outage connects again.
"""

import logging

from django import db
from django.http import JsonResponse

from api.problems import problem_response
from api.timeouts import RequestTimeout

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _cache_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = []
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:
        pass
    try:
        from django_redis.exceptions import ConnectionInterrupted

        errors.append(ConnectionInterrupted)
    except ImportError:
        pass
    return tuple(errors)


CACHE_ERRORS = _cache_errors()
DATABASE_ERRORS = (db.OperationalError, db.InterfaceError)


def outage_message(error: BaseException) -> str | None:
    """What to tell the client when ``error`` (or what caused it) is an outage or a timeout; else None."""
    while error is not None:
        if isinstance(error, RequestTimeout):
            return str(error)
        if isinstance(error, DATABASE_ERRORS):
            if "statement timeout" in str(error) or "canceling statement" in str(error):
                return "The database took too long to answer this request, and it was stopped: ask for less."
            return "The database is not available at the moment; try again shortly."
        if isinstance(error, CACHE_ERRORS):
            return "The cache is not available at the moment; try again shortly."
        error = getattr(error, "original_error", None) or error.__cause__
    return None


def unavailable(request, message: str):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/graphql/"):
        body = {"errors": [{"message": message, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
        return JsonResponse(body, status=503, headers=headers)
    response = problem_response(503, message)
    for name, value in headers.items():
        response[name] = value
    return response


class OutageMiddleware:
    """Answers a view's outage or timeout with a 503 (other errors go on to Django's handler, a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = outage_message(exception)
        if message is None or not request.path.startswith(("/api/", "/graphql/")):
            return None
        logger.warning("503 for %s: %r", request.path, exception)
        if isinstance(exception, RequestTimeout):
            db.connections.close_all()  # a query may have been cut short: start the next request afresh
        return unavailable(request, message)
