"""Deployment checks (``manage.py check --deploy``) of what the rate limits need.

- The default cache keeps the counts of the write limit, the API's read limit and allauth's
  login lockouts. Each app process must see the same counts, added atomically: Redis
  (``REDIS_URL``) or memcached. An in-process cache lets each of N workers count alone (N times
  the limit; a locked account logs in on another worker); a database or file cache is shared
  but adds without a lock, so concurrent writes slip through together.
- The client's address: a deployment behind a proxy must name it (``TRUSTED_PROXY_COUNT`` or
  ``CLIENT_IP_HEADER``), or every visitor counts as the proxy; one without must say so with
  ``TRUSTED_PROXY_COUNT=0``.

docs/decisions/0014-shared-store-proxy-mail.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

SHARED_CACHES = frozenset(
    {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
        "django_redis.cache.RedisCache",
    }
)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(**kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) is not one that every app process shares with "
            "atomic counts: each process would count the rate limits and the login lockouts "
            "on its own.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for every app process and "
            "task worker.",
            id="cocity.core.E001",
        )
    ]


@register(Tags.security, deploy=True)
def client_address_check(**kwargs: Any) -> list[CheckMessage]:
    if settings.TRUSTED_PROXY_COUNT is not None or settings.CLIENT_IP_HEADER:
        return []
    return [
        Warning(
            "Nothing says where the client's address comes from: behind a proxy, every "
            "visitor would count as the proxy's address for the limits per address.",
            hint="Behind a proxy that appends to X-Forwarded-For set TRUSTED_PROXY_COUNT to "
            "the number of proxies (1 for a single nginx), or CLIENT_IP_HEADER to a header the "
            "proxy sets (X-Real-IP); serving clients directly, set TRUSTED_PROXY_COUNT=0.",
            id="cocity.core.W001",
        )
    ]
