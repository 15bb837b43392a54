"""Reads from PostgreSQL streaming replicas (DATABASE_REPLICA_URLS), writes to the primary.

A request reads from one replica, chosen at random when it starts, unless it must see the primary's latest data:

- it writes, or may (any method but GET, HEAD and OPTIONS), or carries credentials (a curator: their next reads
  see their own writes, and their answers are never cached);
- it has written already (a save in a GET, a session…): the rest of the request reads the primary;
- it is inside a transaction on the primary (reads there must see the transaction's own writes).

Outside requests (management commands) reads go to a replica until the first write, then to the primary.

The response cache stays correct because the primary's commits wait until the replicas have applied them
(``synchronous_commit = remote_apply``, set on the app's primary connections when replicas are configured, with
``synchronous_standby_names`` naming them on the primary): the data version is bumped after the commit, so a
reader that sees the new version reads a replica that has the write.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

from api.caching import has_credentials

PRIMARY = "default"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The database this context reads from: None until a request picks one (or a write pins the primary).
_reader: ContextVar[str | None] = ContextVar("treaty_reader", default=None)


def replicas() -> list[str]:
    return settings.DATABASE_REPLICAS


def pick_reader() -> str:
    return random.choice(replicas()) if replicas() else PRIMARY  # noqa: S311 (load spreading, not security)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reader = _reader.get()
        if reader is None:
            reader = pick_reader()
            _reader.set(reader)
        if reader != PRIMARY and connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return reader

    def db_for_write(self, model, **hints):
        _reader.set(PRIMARY)  # what follows in this request reads its own write
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas are copies of the primary: every database holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # replicas get the schema by replication


class ReplicaMiddleware:
    """Chooses each request's reader (and forgets it afterwards: a worker thread serves many requests)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary = request.method not in SAFE_METHODS or has_credentials(request)
        token = _reader.set(PRIMARY if primary else pick_reader())
        try:
            return self.get_response(request)
        finally:
            _reader.reset(token)
