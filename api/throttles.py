"""Rate limits for both APIs (/api/ and /graphql/), in one middleware, counted in Django's default cache so they
hold across workers and restarts (a shared cache such as Redis in production).

- Who is counted: a valid API token's user (THROTTLE_RATES["user"]); anyone else by address (["anon"]). The
  address is the peer's (REMOTE_ADDR); only when the request comes from one of TRUSTED_PROXIES is X-Forwarded-For
  read, right to left, skipping the trusted proxies, so a client cannot choose its own address.
- A request with a bad token (unknown, expired, malformed) is answered 401 here, and counts against its address's
  ["auth_failure"] limit, so tokens cannot be guessed at the request rate.
- Every counted answer carries ``RateLimit-Limit``/``-Remaining``/``-Reset`` (and the ``X-RateLimit-*`` names
  clients know from GitHub; ``X-RateLimit-Reset`` is a Unix time); beyond the limit, 429 with ``Retry-After`` in
  the API's error shape. Counting is per fixed window of the rate's period.

A rate is "N/second", "N/minute", "N/hour" or "N/day"; None (the setting "none") turns a limit off.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from rest_framework.exceptions import AuthenticationFailed

from api import caching
from api.authentication import TokenAuthentication
from api.outages import CACHE_ERRORS, DATABASE_ERRORS, outage_message, unavailable
from api.problems import problem_response

PREFIXES = ("/api/", "/graphql/")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """(requests, seconds) for a rate such as "120/minute"; None for no limit."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0].lower()]


def _networks():
    return [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: the peer's, or behind trusted proxies the last address they did not add."""
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage a trusted proxy passed on: count the proxy
    return peer


class Window:
    """A fixed-window counter in the cache."""

    def __init__(self, key: str, rate: tuple[int, int]):
        self.limit, self.period = rate
        now = time.time()
        start = int(now // self.period) * self.period
        self.reset = start + self.period
        self.key = f"throttle:{key}:{start}"
        self.seconds_left = max(1, math.ceil(self.reset - now))

    def count(self, also_get: list[str] = ()) -> tuple[int, dict]:
        """The count after this request, and what cache.get_many(also_get) gives, in one Redis round trip."""
        if hasattr(cache, "count_in_window"):  # Redis (api/cache_backends.py)
            return cache.count_in_window(self.key, self.period + 1, also_get)
        return self._count(), cache.get_many(also_get) if also_get else {}

    def _count(self) -> int:
        cache.add(self.key, 0, self.period + 1)
        try:
            return cache.incr(self.key)
        except ValueError:  # expired between add and incr
            cache.add(self.key, 1, self.period + 1)
            return 1

    def peek(self) -> int:
        return cache.get(self.key, 0)

    def headers(self, used: int) -> dict[str, str]:
        remaining = str(max(0, self.limit - used))
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": remaining,
            "RateLimit-Reset": str(self.seconds_left),
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": remaining,
            "X-RateLimit-Reset": str(int(self.reset)),
        }


def _error(request, status: int, message: str, code: str, headers: dict[str, str]):
    if request.path.startswith("/graphql/"):
        response = JsonResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status=status)
    else:
        response = problem_response(status, message)
    for name, value in headers.items():
        response[name] = value
    return response


def _authenticate(request):
    """The token's user; None without a token; AuthenticationFailed for a bad one (a malformed header too)."""
    if "HTTP_AUTHORIZATION" not in request.META:  # most requests: nothing to look up
        return None
    try:
        result = TokenAuthentication().authenticate(request)
    except (UnicodeError, ValueError):
        raise AuthenticationFailed("Invalid token header: the token must be ASCII letters and digits.") from None
    return result[0] if result else None


class ThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIXES):
            return self.get_response(request)
        try:
            return self.throttle(request)
        except CACHE_ERRORS:
            return unavailable(request, "The rate limiter's cache is not available at the moment; try again shortly.")
        except DATABASE_ERRORS as error:  # looking the token up
            return unavailable(request, outage_message(error))

    def throttle(self, request):
        rates = settings.THROTTLE_RATES
        address = client_address(request)
        try:
            user = _authenticate(request)
        except AuthenticationFailed as failure:
            return self.refuse_token(request, address, str(failure.detail), parse_rate(rates.get("auth_failure")))
        scope, rate = (f"user:{user.pk}", rates.get("user")) if user else (f"anon:{address}", rates.get("anon"))
        rate = parse_rate(rate)
        if rate is None:
            return self.get_response(request)
        window = Window(scope, rate)
        # An anonymous GET may be answered from the response cache: read its entry in the count's round trip.
        keys = caching.lookup_keys(request) if user is None else None
        used, found = window.count(keys or ())
        if keys:
            caching.keep_lookup(request, keys, found)
        headers = window.headers(used)
        if used > window.limit:
            headers["Retry-After"] = str(window.seconds_left)
            message = f"Too many requests: try again in {window.seconds_left} seconds."
            return _error(request, 429, message, "RATE_LIMITED", headers)
        response = self.get_response(request)
        for name, value in headers.items():
            response.setdefault(name, value)
        return response

    def refuse_token(self, request, address: str, detail: str, rate):
        headers = {"WWW-Authenticate": "Token"}
        if rate is not None:
            window = Window(f"auth-failure:{address}", rate)
            if window.peek() >= window.limit:
                headers = {**window.headers(window.limit), "Retry-After": str(window.seconds_left)}
                message = f"Too many failed authentications from your address: try again in {window.seconds_left} s."
                return _error(request, 429, message, "RATE_LIMITED", headers)
            window.count()
        return _error(request, 401, detail, "UNAUTHENTICATED", headers)
