"""Health checks for load balancers and orchestrators, answered before any other middleware.

- ``/healthz``: the process is alive and serving (no I/O).
- ``/readyz``: the database (the primary and any read replica) and the shared cache answer; otherwise 503 with
  ``Retry-After``, so a load balancer stops sending traffic until they are back.

They come first in MIDDLEWARE, so they are cheap (no session, no throttle, no host check: a probe may use the
machine's address as its Host) and reveal nothing but "ok" or which dependency is down.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def database_ready() -> bool:
    """The primary and every read replica answer."""
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                if cursor.fetchone() != (1,):
                    return False
        except DatabaseError:
            logger.warning("readyz: the database %s does not answer", alias, exc_info=True)
            return False
    return True


def cache_ready() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, timeout=5)
        ready = cache.get(key) == 1
        cache.delete(key)
        return ready
    except Exception:  # any backend's connection error (redis, OSError for files): the cache is not ready
        logger.warning("readyz: the cache does not answer", exc_info=True)
        return False


def readiness() -> JsonResponse:
    checks = {"database": database_ready(), "cache": cache_ready()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}}
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == "/healthz":
                return _no_store(JsonResponse({"status": "ok"}))
            if request.path == "/readyz":
                return readiness()
        return self.get_response(request)
