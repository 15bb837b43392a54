"""Limits that keep one client from starving the others: request rates (api/throttles.py, also applied to
GraphQL here) and body sizes."""

from django.conf import settings
from rest_framework.settings import api_settings

from api.problems import problem_response


def throttle_wait(request, view) -> float | None:
    """Seconds the client must wait, when a throttle refuses the request; else None."""
    for throttle in (cls() for cls in api_settings.DEFAULT_THROTTLE_CLASSES):
        if not throttle.allow_request(request, view):
            return throttle.wait() or 1
    return None


class BodySizeLimitMiddleware:
    """A body larger than API_MAX_BODY_SIZE sent to the API is refused with a 413 problem, before it is read."""

    PREFIXES = ("/api/", "/graphql/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PREFIXES):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_SIZE:
                return problem_response(
                    413, f"The request body is {length} bytes; this API accepts at most {settings.API_MAX_BODY_SIZE}."
                )
        return self.get_response(request)
