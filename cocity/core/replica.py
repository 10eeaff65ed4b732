"""Reads that may be a little stale from a PostgreSQL streaming replica; everything else, and
a person's own reads after their writes, from the primary (docs/decisions/0021).

Active only when ``DATABASE_REPLICA_URL`` adds the ``replica`` alias (the settings then name
``ReplicaRouter`` and put ``ReplicaMiddleware`` before the session's); without it Django routes
as it always did. The rules, in the order the router asks them:

- **Outside a request, the primary.** Management commands, the task worker
  (``manage.py db_worker``), the shell, threads: none of them runs inside the middleware, so
  none of them ever reads from the replica. A task reading the row its request has just
  written finds it, and the worker's claim (``transaction.atomic(using=tasks.db)`` around a
  ``select_for_update``) stays on one connection.
- **Writes go to the primary**, and once a request has written (or asked for a row to lock),
  the rest of its reads go there too. A request with a method that may write (POST, PUT,
  PATCH, DELETE) reads from the primary from its start: a form is checked against the data it
  will change. Reads inside a transaction of the primary stay in it.
- **Read-your-writes across app processes.** A response to a request that wrote sets the
  cookie ``REPLICA_PIN_COOKIE`` to the primary's WAL position after the write
  (``pg_current_wal_lsn()``). A request that carries it reads from the replica only once the
  replica has replayed that far (``pg_last_wal_replay_lsn()``, one query), and then the
  cookie is dropped; until then from the primary. So however far the replica lags, a person
  never sees an older state of what they wrote, in any app process behind the balancer; logging
  in and out are writes (the session, ``last_login``) and pin the same way.
- **A replica that does not answer is skipped**: the request reads from the primary, and the
  process leaves the replica alone for ``REPLICA_RETRY_SECONDS``.
- The rest, GET and HEAD requests of everyone else, read from the replica: they may be as old
  as the replica's lag.

What stays the caller's to decide: a computation kept in a cache once per version of the data
(``cocity.core.versions``) may be computed from a replica that has not replayed the change that
moved the version; such code reads under ``with primary():`` to be exact.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA = "replica"
# The cookie holding the primary's WAL position (hexadecimal) after the person's last write.
REPLICA_PIN_COOKIE = "cocity_wal"
# How long a process reads only from the primary after the replica failed to answer.
REPLICA_RETRY_SECONDS = 10.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _Request:
    """What the router knows of the request being served."""

    pin: int | None  # the WAL position of the cookie, if any
    primary: bool = False  # every read of the rest of the request goes to the primary
    wrote: bool = False
    replica_ok: bool | None = None  # decided at the first read that could go to the replica


_current: ContextVar[_Request | None] = ContextVar("cocity_replica_request", default=None)
_replica_down_until = 0.0


def lsn_parse(text: str | None) -> int | None:
    """``16/B374D848`` (PostgreSQL's notation) or ``16b374d848`` (the cookie's) as a number;
    ``None`` when it is neither."""
    if not text:
        return None
    try:
        if "/" in text:
            high, low = text.split("/", 1)
            return (int(high, 16) << 32) + int(low, 16)
        return int(text, 16)
    except ValueError:
        return None


def primary_lsn() -> int | None:
    """The primary's current WAL write position (``None`` on a database without one)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return lsn_parse(row[0] if row else None)


def replica_replay_lsn() -> int | None:
    """How far the replica has replayed the primary's WAL; ``None`` when it is not a standby
    (a test mirror of the primary, or a promoted server)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
        row = cursor.fetchone()
    return lsn_parse(row[0] if row else None)


@contextmanager
def primary() -> Iterator[None]:
    """Every read inside the block goes to the primary (no effect outside a request, where
    every read does already)."""
    state = _current.get()
    if state is None or state.primary:
        yield
        return
    state.primary = True
    try:
        yield
    finally:
        state.primary = state.wrote  # a write inside the block keeps the request on it


def _replica_usable(state: _Request) -> bool:
    """Whether this request may read from the replica: it answers, and it has replayed the
    person's last write if the request carries one. Asked once per request."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
        if state.pin is None:
            return True
        replayed = replica_replay_lsn()
    except DatabaseError as error:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "The replica does not answer (%s): reading from the primary for %d s",
            error,
            REPLICA_RETRY_SECONDS,
        )
        return False
    return replayed is not None and replayed >= state.pin


class ReplicaRouter:
    """The database router of the replica (see the module's text)."""

    def db_for_read(self, model: type | None, **hints: Any) -> str:
        state = _current.get()
        if state is None or state.primary or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.replica_ok is None:
            state.replica_ok = _replica_usable(state)
        return REPLICA if state.replica_ok else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type | None, **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = state.primary = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from either relates to any.
        databases = {obj1._state.db, obj2._state.db}
        return True if databases <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica is read-only: it receives the schema through replication.
        return False if db == REPLICA else None


class ReplicaMiddleware:
    """Tells the router which request it serves, and keeps the person's WAL position in the
    cookie ``REPLICA_PIN_COOKIE`` (see the module's text). Before the session's middleware, so
    that the session it saves counts as a write of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        pin = lsn_parse(request.COOKIES.get(REPLICA_PIN_COOKIE))
        state = _Request(pin=pin, primary=request.method not in SAFE_METHODS)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            # A streamed response reads after this point: from the primary.
            _current.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            try:
                written = primary_lsn()
            except DatabaseError:
                written = None
                logger.exception("The primary's WAL position could not be read")
            if written is not None:
                self._set(response, max(written, pin or 0))
        elif pin is not None and state.replica_ok:
            # The replica has replayed the person's last write: no need to ask any more.
            response.delete_cookie(REPLICA_PIN_COOKIE, samesite="Lax")
        return response

    @staticmethod
    def _set(response: HttpResponseBase, lsn: int) -> None:
        # A cookie of the browser's session: it is dropped as soon as the replica has caught
        # up, however long that takes.
        response.set_cookie(
            REPLICA_PIN_COOKIE,
            f"{lsn:x}",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
