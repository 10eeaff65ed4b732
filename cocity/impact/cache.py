"""Invalidation of the impact figures. Every write announces what it changed
(``cocity.core.changes``); after the commit ``figures_changed`` moves the versions of that
municipality and of the nation, and readers key their cache on the current versions, so
figures are computed once per change, not once per request, and never served stale."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from cocity.core.changes import Change
from cocity.core.versions import kept

TIMEOUT = 60 * 60 * 24  # a day: a safety net, the versions do the invalidation
NATIONAL = "impact:version:all"


def _city_key(municipality_id: int) -> str:
    return f"impact:version:{municipality_id}"


def figures_changed(change: Change) -> None:
    """Subscriber of ``cocity.core.changes`` (after commit): the figures of the municipality
    that changed, and the national ones, are computed again at the next read."""
    now = time.time()
    versions: dict[str, Any] = {NATIONAL: secrets.token_hex(4), CHANGED_ALL: now}
    if change.municipality_id is not None:
        versions[_city_key(change.municipality_id)] = secrets.token_hex(4)
        versions[_changed_key(change.municipality_id)] = now
    cache.set_many(versions, None)


CHANGED_ALL = "data:changed:all"


def _changed_key(municipality_id: int) -> str:
    return f"data:changed:{municipality_id}"


def last_change(city_slug: str | None) -> float | None:
    """When the data of a municipality (by slug; of all, when None) last changed, as a POSIX
    time, as far as the cache remembers. A fresh cache starts the clock now, so that clients
    fetch once more rather than keep stale copies."""
    if city_slug is None:
        key = CHANGED_ALL
    else:
        from cocity.municipalities.models import Municipality

        municipality_id = cache.get_or_set(
            f"data:slug:{city_slug}",
            lambda: (
                Municipality.objects.filter(slug=city_slug).values_list("pk", flat=True).first()
                or 0
            ),
            3600,
        )
        if not municipality_id:
            return None
        key = _changed_key(municipality_id)
    cache.add(key, time.time(), None)
    value = cache.get(key)
    return float(value) if value is not None else None


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
        value = kept(compute)  # from the primary: kept under the current version
        cache.set(key, value, TIMEOUT)
    return value
