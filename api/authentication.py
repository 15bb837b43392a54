"""API tokens (django-rest-knox), looked up once per request.

The rate limiter (api/throttles.py) needs the token's user before any view runs; REST (DRF) and GraphQL then
need it again. The first lookup is kept on the request, so a request costs one token query and one hash, not
three. A bad token never gets past the rate limiter (it answers 401), so only good answers are kept.
"""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication

_UNSET = object()


def _django_request(request):
    return getattr(request, "_request", request)  # DRF wraps Django's request


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's, remembering its answer, (user, token) or None, on the request."""

    def authenticate(self, request):
        django_request = _django_request(request)
        result = getattr(django_request, "token_authentication", _UNSET)
        if result is _UNSET:
            result = super().authenticate(request)
            django_request.token_authentication = result
        return result
