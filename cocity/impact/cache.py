"""Explicit invalidation of the impact figures. Every write that changes a figure calls
``impact_changed`` (after commit); readers key their cache on the current versions, so figures
are computed once per change, not once per request, and never served stale."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60 * 24  # a day: a safety net, the versions do the invalidation
NATIONAL = "impact:version:all"


def _city_key(municipality_id: int) -> str:
    return f"impact:version:{municipality_id}"


def impact_changed(municipality_id: int) -> None:
    """The figures of this municipality (and the national ones) change when the transaction
    commits."""

    def bump() -> None:
        cache.set_many(
            {_city_key(municipality_id): secrets.token_hex(4), NATIONAL: secrets.token_hex(4)}, None
        )

    transaction.on_commit(bump)


def _version(key: str) -> str:
    value = cache.get(key)
    if value is None:
        value = secrets.token_hex(4)
        cache.add(key, value, None)
        value = cache.get(key, value)
    return str(value)


def cached[T](municipality_id: int | None, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per version of the municipality's figures (all of them when
    ``municipality_id`` is None) and per ``parts`` (the filters)."""
    version = _version(NATIONAL if municipality_id is None else _city_key(municipality_id))
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"impact:{municipality_id or 'all'}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
