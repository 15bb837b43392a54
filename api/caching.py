"""The warm path: public GET responses of the API (REST under /api/, GraphQL queries by GET) served from the
shared cache (settings.CACHES["default"]: Redis in production), and entity tags for conditional requests.

Correctness rests on one data version, kept in the shared cache:

- Every cached response is stored with the data version read *before* the view queried the database, and served
  only while that is still the current version (both read in one round trip).
- Any write to the data (admin, REST, GraphQL, an import, ``seed``: each saves or deletes a model, which sends
  post_save / post_delete / m2m_changed) sets a new, never-used version, once at the signal and once more after
  the transaction commits, before the write's response is sent. A reader that reads the new version therefore
  queries a database that has the write; a reader that read the old one stored its answer where no one looks
  any more. The versions are unique tokens, not counters, so two bumps that race (a file cache has no atomic
  increment) still leave a version no stale answer was stored under; an evicted version is replaced by a new one.
- Code that writes without signals (QuerySet.update, bulk_create outside such a transaction) must call
  ``bump_data_version()``; the seed command's own update() and bulk_update() run in the transaction of its
  loaddata saves, whose signals bump the version.

Never cached: requests with credentials (an Authorization header or a session cookie), any method but GET,
responses other than 200, responses that set a cookie or say private/no-store, and GraphQL answers with errors.
The key holds the scheme and host (representations carry absolute URLs), the full path and query, and the
Accept header (it picks the GraphQL media type and DRF's indentation).

Entity tags name the bytes sent: ``"<digest>"``, or ``"<version>.<digest>"`` where the view gave the record's
version (REST detail pages and the answers to writes). ``If-None-Match`` compares the whole tag (304 when
nothing changed, embedded stances and citations included); a write's ``If-Match`` compares the version part
(``if_match_allows``), which is what guards the record against lost updates. ``Cache-Control: public,
no-cache`` lets browsers and shared caches keep a copy but revalidate it on every use.
"""

import hashlib
import logging
import re
import secrets
from functools import cache as memoize
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

logger = logging.getLogger(__name__)

PREFIXES = ("/api/", "/graphql/")
PUBLIC_CACHE_CONTROL = "public, no-cache"
PRIVATE_CACHE_CONTROL = "private, no-cache"
VERSION_TAG = re.compile(r'^"(\d+)"$')
# Models whose rows never show in an API response: writing them changes no representation.
UNSEEN_MODELS = {"sessions.session", "knox.authtoken", "admin.logentry"}


# The data version.


def _version_key(using: str = "default") -> str:
    db = connections[using].settings_dict
    return f"data-version:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db['NAME']}"


def _new_version() -> str:
    return secrets.token_hex(8)


def _ensure_version(key: str) -> str:
    """A version where none is stored (a fresh or evicted cache): a new one, or the one a racing reader set."""
    version = _new_version()
    if not cache.add(key, version, timeout=None):
        version = cache.get(key) or version
    return version


def data_version() -> str:
    key = _version_key()
    return cache.get(key) or _ensure_version(key)


def bump_data_version(using: str = "default") -> None:
    """Makes every cached response unreachable. Call it after writing data without model signals."""
    cache.set(_version_key(using), _new_version(), timeout=None)


def _bump_after_commit(using: str) -> None:
    try:
        bump_data_version(using)
    except Exception:  # the data is committed; the bump at the signal already invalidated
        logger.exception("could not bump the data version after a commit")


def data_changed(sender, using="default", **kwargs) -> None:
    if sender._meta.label_lower in UNSEEN_MODELS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    # Now, so that this process (and a test's transaction) never reads its own write from the cache …
    bump_data_version(using)
    # … and after the commit, so that nothing read by another worker before the commit stays current.
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        pending = any(getattr(item[1], "bumps_data_version", False) for item in connection.run_on_commit)
        if not pending:
            callback = _after_commit_callback(using)
            transaction.on_commit(callback, using=using)


def _after_commit_callback(using: str):
    def callback():
        _bump_after_commit(using)

    callback.bumps_data_version = True
    return callback


def connect_signals() -> None:
    post_save.connect(data_changed, dispatch_uid="api.caching.post_save")
    post_delete.connect(data_changed, dispatch_uid="api.caching.post_delete")
    m2m_changed.connect(data_changed, dispatch_uid="api.caching.m2m_changed")


# Entity tags.


def digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def tag_representation(response) -> None:
    """Replaces a version ETag ("3") by one naming the representation sent ("3.<digest>"); gives one to a 200
    that has none."""
    if getattr(response, "streaming", False) or response.status_code not in (200, 201):
        return
    current = response.get("ETag")
    match = VERSION_TAG.match(current or "")
    if match:
        response["ETag"] = f'"{match[1]}.{digest(response.content)}"'
    elif current is None and response.status_code == 200:
        response["ETag"] = f'"{digest(response.content)}"'


def if_match_allows(tags: list[str], version: int) -> bool:
    """Whether an If-Match header (parsed by django.utils.http.parse_etags) lets a write to a record at this
    version go ahead: ``*``, or a strong tag whose version part is the record's (the tags GET sends, and the
    bare version tags of earlier releases)."""
    for tag in tags:
        if tag == "*":
            return True
        if tag.startswith('"') and tag.endswith('"') and tag[1:-1].split(".", 1)[0] == str(version):
            return True
    return False


# The middleware.


@memoize
def code_fingerprint() -> str:
    """Changes with the code and the libraries that render responses, so a deploy never serves the old
    rendering from a cache shared with the previous release."""
    hasher = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for package in ("api", "treaty", "config"):
        for path in sorted((root / package).rglob("*.py")):
            hasher.update(path.read_bytes())
    for distribution in ("django", "djangorestframework", "drf-spectacular", "strawberry-graphql"):
        try:
            hasher.update(metadata.version(distribution).encode())
        except metadata.PackageNotFoundError:
            continue
    hasher.update(str(settings.DEBUG).encode())
    return hasher.hexdigest()


def has_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def response_key(request) -> str:
    identity = "\n".join(
        [request.scheme, request.get_host(), request.get_full_path(), request.META.get("HTTP_ACCEPT", "")]
    )
    return f"response:{code_fingerprint()}:{hashlib.sha256(identity.encode()).hexdigest()}"


def cacheable(request) -> bool:
    """Whether the request's answer may come from (and go to) the response cache."""
    return (
        request.method == "GET"
        and not has_credentials(request)
        and settings.RESPONSE_CACHE_SECONDS > 0
        and request.path.startswith(PREFIXES)
    )


def lookup_keys(request) -> list[str] | None:
    """The cache keys a lookup of the request's answer reads, when it may be cached: the rate limiter reads
    them in the round trip of its count (api/throttles.py) and hands them on with keep_lookup()."""
    return [_version_key(), response_key(request)] if cacheable(request) else None


def keep_lookup(request, keys: list[str], found: dict) -> None:
    request._response_cache_lookup = keys[1], found


def lookup(key: str, found: dict | None = None) -> tuple[str, HttpResponse | None]:
    """The current data version and the answer stored under ``key`` if it was computed at that version, from
    what the rate limiter ``found`` for the request or in one round trip (get_many is one MGET on Redis)."""
    version_key = _version_key()
    if found is None:
        found = cache.get_many([version_key, key])
    version = found.get(version_key) or _ensure_version(version_key)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1]
    return version, None


def storable(request, response) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False) or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    return not (request.path.startswith("/graphql/") and b'"errors"' in response.content)


def stored_copy(response) -> HttpResponse:
    """What the cache keeps of an answer: a plain HttpResponse of its status, bytes and headers, unpickled as it is
    on a hit (where setting each header again would check each one). The answer itself may be a DRF Response,
    which also holds its data, renderer and request."""
    return HttpResponse(response.content, status=response.status_code, headers=dict(response.items()))


class PublicResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response  # api.throttles.ThrottleMiddleware, before it, counts hits too

    def __call__(self, request):
        if not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if not cacheable(request):
            response = self.get_response(request)
            tag_representation(response)
            if request.method == "GET" and response.status_code == 200:
                if has_credentials(request):
                    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
                elif storable(request, response):  # the response cache is off: still no stale copies downstream
                    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            return self.conditional(request, response)

        # What the rate limiter read for the request, or nothing yet. A Host not allowed raises in response_key():
        # a 400, as it would further in.
        key, found = request.__dict__.pop("_response_cache_lookup", None) or (response_key(request), None)
        try:
            version, response = lookup(key, found)
        except Exception:  # the cache is down: serve from the database, uncached
            logger.warning("response cache unavailable", exc_info=True)
            key = response = None
        if response is not None:
            response["X-Cache"] = "hit"
            return self.conditional(request, response)

        response = self.get_response(request)
        tag_representation(response)
        if key is not None and storable(request, response):
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            patch_vary_headers(response, ["Accept"])
            try:
                cache.set(key, (version, stored_copy(response)), timeout=settings.RESPONSE_CACHE_SECONDS)
            except Exception:
                logger.warning("response cache unavailable", exc_info=True)
        response["X-Cache"] = "miss"
        return self.conditional(request, response)

    @staticmethod
    def conditional(request, response):
        """304 for an If-None-Match naming the tag (412 for a GET whose If-Match does not), as RFC 9110 says."""
        if request.method == "GET" and response.status_code == 200 and response.has_header("ETag"):
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response
