"""The counts of lists, kept in the shared cache under the data version read before counting, which any write
replaces (api/caching.py): the pages of a filtered list count it once per change of the data, not on every page,
in REST and GraphQL alike."""

import contextlib
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, QuerySet, Window

from api.caching import lookup

logger = logging.getLogger(__name__)


class KeptCount:
    """The count of ``counted``, a list as filtered (and ordered: the order does not change the count)."""

    def __init__(self, counted):
        self.counted = counted
        self.key = self.version = None

    def get(self) -> int:
        kept = self.kept()
        return kept if kept is not None else self.keep(self.counted.count())

    def kept(self) -> int | None:
        """The count kept at the current data version, or None (not kept, or no cache to keep it in)."""
        if settings.COUNT_CACHE_SECONDS <= 0:
            return None
        try:
            sql, params = self.counted.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (an empty IN)
            return 0
        identity = f"{self.counted.db}\n{sql}\n{params!r}"
        self.key = f"count:{hashlib.sha256(identity.encode()).hexdigest()}"
        try:
            self.version, count = lookup(self.key)
        except Exception:  # the cache is down: count in the database
            logger.warning("count cache unavailable", exc_info=True)
            return None
        return count

    def keep(self, count: int) -> int:
        """Keeps a count made after kept() read the data version (a write since then has replaced it)."""
        if self.version is not None:
            with contextlib.suppress(Exception):  # not kept: counted again next time
                cache.set(self.key, (self.version, count), timeout=settings.COUNT_CACHE_SECONDS)
        return count

    def ranked(self, page: Callable[[QuerySet], QuerySet], first: bool, ids: bool = False) -> tuple[list, int | None]:
        """The ``page`` (a slice) of a list ranked by relevance, its records or (``ids``) their ids alone, and the
        list's count: the kept one, or else made in the same statement. Ranking reads every match, so a window
        counts them on the way; a count of its own read them all again (0.7-2.3 s of positions?q=territory at
        10,000x the seed, near the statement timeout). The count is None for an empty page but the ``first``: no
        row carries it."""
        kept = self.kept()
        if kept is not None:
            rows = page(self.counted)
            return list(rows.values_list("pk", flat=True) if ids else rows), kept
        rows = page(self.counted.annotate(matches=Window(Count("pk"))))
        rows = list(rows.values_list("pk", "matches")) if ids else [(row, row.matches) for row in rows]
        if rows or first:
            return [row for row, _ in rows], self.keep(rows[0][1] if rows else 0)
        return [], None
