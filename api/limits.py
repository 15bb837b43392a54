"""Limits that keep one client from starving the others: body sizes here; request rates in api/throttles.py."""

from django.conf import settings

from api.problems import problem_response


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
