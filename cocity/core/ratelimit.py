"""A limit on writes: every POST, PUT, PATCH or DELETE, to a page's form or to the API, counts
against ``WRITE_RATE_LIMIT`` (e.g. ``60/m``) for its writer: the API token on the API, the
logged-in user on the pages, the IP address for anonymous visitors. Beyond the limit the
request is refused before any view runs (so nothing changes) with 429 and ``Retry-After``.

The counting is django-ratelimit's, in the default cache (Redis when ``REDIS_URL`` is set, so
that every app process counts together)."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.core import get_usage

from cocity.api.middleware import PREFIX as API_PREFIX

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def writer_key(group: str, request: HttpRequest) -> str:
    """Who a write counts against. A bearer token counts only on the API, where it is the
    credential: elsewhere the header is ignored by authentication, so it must not open a fresh
    allowance either. An unknown token gets its own count and a 401; the anonymous per-IP limit
    of the API (``API_RATE_LIMIT``) still applies to it."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if request.path.startswith(API_PREFIX) and scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_address(request)}"


def client_address(request: HttpRequest) -> str:
    """The client's IP address; for IPv6 its /64 network, which one subscriber usually has
    whole. Without an address (a Unix socket) every such client shares one count."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def write_refused(request: HttpRequest) -> int | None:
    """Counts this write; the seconds to wait when it is over the limit, else None."""
    rate = settings.WRITE_RATE_LIMIT
    if not rate or request.method not in WRITE_METHODS:
        return None
    usage = get_usage(request, group="writes", key=writer_key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


class WriteRateLimitMiddleware:
    """After the authentication middleware (it needs ``request.user``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        retry_after = write_refused(request)
        if retry_after is None:
            return self.get_response(request)
        response = (
            self._api_refusal(retry_after)
            if request.path.startswith(API_PREFIX)
            else self._page_refusal(request, retry_after)
        )
        response.headers["Retry-After"] = str(retry_after)
        return response

    @staticmethod
    def _api_refusal(retry_after: int) -> HttpResponse:
        return JsonResponse(
            {
                "detail": f"Too many writes (at most {settings.WRITE_RATE_LIMIT}). "
                f"Retry in {retry_after} s."
            },
            status=429,
        )

    @staticmethod
    def _page_refusal(request: HttpRequest, retry_after: int) -> HttpResponse:
        referer = request.headers.get("Referer", "")
        back = (
            referer
            if referer
            and url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            else ""
        )
        return render(request, "429.html", {"seconds": retry_after, "back": back}, status=429)
