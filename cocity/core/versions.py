"""Versions of the data, by scope, so that a write forgets only what shows it
(docs/decisions/0022-caching-by-scope.md).

Every cache of rendered output (whole anonymous pages, fragments of pages, exports, figures)
keys on a *token*: the current versions of the scopes it shows. A change announced by a service
(``cocity.core.changes``) moves, after its commit, the versions of the scopes it touches; the
next reader asks for a key that does not exist yet and renders afresh; old entries are never
read again and expire.

The scopes:

- ``everything``: moved by changes of no single city (a person's public name, an
  organisation): they show on pages of any city.
- ``nation``: moved by every change: national pages add up all the cities.
- ``city:<id>``: moved by every change in that municipality: its lists, its figures, its pages.
- ``city-rest:<id>``: moved by every change in that municipality *except* a change of one pact
  (``pacts.pact`` with its pk): what a pact's page shows besides the pact itself (its commons,
  its reports, the city's categories).
- ``pacts.pact:<pk>``: moved by every change of that pact (its events, parties, texts).

So a pact's fragments (``pact_token``) survive the writes of other pacts of the same city, a
city's pages (``city_token``) survive the writes of other cities, and nothing survives a
change that could show anywhere. A version that the cache has lost (evicted, restarted) is
made anew: a lost version can only cause a miss, never a stale read.

What is kept under a version is computed from the primary database (``kept``): a replica
that has not yet replayed the write that moved the version would otherwise store the old
state under the new version, where it would stay until the next change
(cocity/core/replica.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache

from cocity.core.changes import Change
from cocity.core.replica import primary

EVERYTHING = "v:everything"
NATION = "v:nation"
PACT = "pacts.pact"


def _city(municipality_id: int) -> str:
    return f"v:city:{municipality_id}"


def _city_rest(municipality_id: int) -> str:
    return f"v:city-rest:{municipality_id}"


def _object(kind: str, pk: int) -> str:
    return f"v:{kind}:{pk}"


def moved_by(change: Change) -> list[str]:
    """The version keys that ``change`` moves (see the module's text)."""
    if change.municipality_id is None:
        return [EVERYTHING, NATION]
    keys = [NATION, _city(change.municipality_id)]
    if change.kind == PACT and change.pk is not None:
        keys.append(_object(PACT, change.pk))
    else:
        keys.append(_city_rest(change.municipality_id))
        if change.pk is not None:
            keys.append(_object(change.kind, change.pk))
    return keys


def versions_changed(change: Change) -> None:
    """Subscriber of ``cocity.core.changes`` (after commit): move the versions that
    ``change`` touches."""
    cache.set_many({key: secrets.token_hex(4) for key in moved_by(change)}, None)


def token(keys: Iterable[str]) -> str:
    """The current versions of ``keys`` as one string, in one round trip to the cache; a
    missing version is created (``add``, so concurrent readers agree)."""
    wanted = list(keys)
    found: dict[str, str] = cache.get_many(wanted)
    missing = [key for key in wanted if key not in found]
    for key in missing:
        cache.add(key, secrets.token_hex(4), None)
    if missing:
        found.update(cache.get_many(missing))
    return ".".join(found.get(key, "0") for key in wanted)


def nation_token() -> str:
    """What national pages and figures key on: any change anywhere moves it."""
    return token([EVERYTHING, NATION])


def city_token(municipality_id: int) -> str:
    """What a city's pages, lists and exports key on: any change in the city, or of no city."""
    return token([EVERYTHING, _city(municipality_id)])


def pact_token(municipality_id: int, pact_id: int) -> str:
    """What the fragments of one pact's page key on: a change of that pact, of what it shows
    from its city (commons, reports, categories), or of no city; not the changes of other
    pacts."""
    return token([EVERYTHING, _city_rest(municipality_id), _object(PACT, pact_id)])


def kept[T](compute: Callable[[], T]) -> T:
    """``compute()`` reading from the primary database: for what is kept in a cache under a
    version (see the module's text). Without a replica, simply ``compute()``."""
    with primary():
        return compute()


def remembered[T](key: str, version: str, compute: Callable[[], T], seconds: int) -> T:
    """``compute()`` (from the primary) kept ``seconds`` under ``key`` and ``version`` (a
    token of this module): a value a page needs before it knows whether its fragment is
    kept, such as the number of rows its paginator counts. ``seconds=0``: computed every
    time."""
    if not seconds:
        return compute()
    full_key = f"kept:{key}:{version}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = kept(compute)
        cache.set(full_key, value, seconds)
    return value


# --- which city a URL shows -------------------------------------------------------------------

_city_of_slug: list[Callable[[str], int | None]] = []


def register_city_of_slug(resolver: Callable[[str], int | None]) -> None:
    """The municipalities app says which municipality a URL's slug names (core knows the
    URLs' shape, not the municipalities)."""
    _city_of_slug[:] = [resolver]


def path_token(path: str) -> str:
    """What a stored page of ``path`` keys on: its city's token for ``/<city>/…`` and
    ``/api/v1/<city>/…``, the nation's for everything else (and for a slug no city has: the
    nation's version moves with every change, so it is never stale)."""
    parts = path.strip("/").split("/")
    slug = parts[2] if parts[:2] == ["api", "v1"] and len(parts) > 2 else parts[0]
    municipality_id = _city_of_slug[0](slug) if slug and _city_of_slug else None
    return city_token(municipality_id) if municipality_id else nation_token()
