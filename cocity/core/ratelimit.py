"""A limit on writes: every POST, PUT, PATCH or DELETE, to a page's form or to the API, counts
against ``WRITE_RATE_LIMIT`` (e.g. ``60/m``) for its writer: the API token on the API, the
logged-in user on the pages, the IP address for anonymous visitors. Beyond the limit the
request is refused before any view runs (so nothing changes) with 429 and ``Retry-After``.

allauth's account pages that limit themselves (``ACCOUNT_RATE_LIMITS``: login, sign-up,
password reset, reauthentication, the second factor) are not counted here: a per-address count
on top of theirs would lock out the visitors of a help desk behind one NAT address.

The counting is django-ratelimit's, in the default cache: Redis (``REDIS_URL``), which every
app process shares; production without it fails ``check --deploy`` (cocity/core/checks.py).
The anonymous writer's address is ``cocity.core.client_address``'s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.core import get_usage

from cocity.core.client_address import client_address
from cocity.core.paths import API_PREFIX

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# allauth's views with limits of their own per address or per user (ACCOUNT_RATE_LIMITS and
# allauth.mfa's MFA_RATE_LIMITS), by URL name.
SELF_LIMITED_VIEWS = frozenset(
    {
        "account_login",  # "login" and "login_failed"
        "account_signup",  # "signup"
        "account_reset_password",  # "reset_password"
        "account_reset_password_from_key",  # "reset_password_from_key"
        "account_request_login_code",  # "request_login_code"
        "account_reauthenticate",  # "reauthenticate"
        "mfa_authenticate",  # allauth.mfa: "login_failed", per address and per user
        "mfa_reauthenticate",  # allauth.mfa: "login_failed", per address and per user
    }
)


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


def limits_itself(request: HttpRequest) -> bool:
    """Whether the request goes to one of allauth's views that count it themselves."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in SELF_LIMITED_VIEWS


def write_refused(request: HttpRequest) -> int | None:
    """Counts this write; the seconds to wait when it is over the limit, else None."""
    rate = settings.WRITE_RATE_LIMIT
    if not rate or request.method not in WRITE_METHODS or limits_itself(request):
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
