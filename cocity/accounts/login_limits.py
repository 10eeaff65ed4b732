"""Limits on logins that lock nobody out of a shared address (docs/decisions/0010).

allauth counts failed logins itself (``ACCOUNT_RATE_LIMITS["login_failed"]``): per address
across accounts, and per "key", which the adapter below makes the account *and* the address,
so that failures at a help desk behind one NAT stop neither the desk's other visitors nor the
same person elsewhere. What allauth cannot express is a limit per account from anywhere that
is not a lock; this module adds it:

- every attempt on an account counts as a failure until its password proves right (so that
  attempts sent together cannot slip through together), and a success forgets the count;
- from the ``LOGIN_DELAY_FREE_FAILURES``-th failure on, the next attempt must wait 2, 4, 8…
  seconds, at most ``LOGIN_DELAY_MAX_SECONDS``; an attempt during the wait is answered 429
  with the seconds left, checks no password and counts nothing;
- a browser where the account logged in before carries a signed cookie naming it (an HMAC,
  not the address) and does not wait: an attacker elsewhere cannot keep its owner out.

The counts live in the default cache (Redis when ``REDIS_URL`` is set), like allauth's."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

# A count of failures is forgotten a day after its last failure.
FORGET_AFTER_SECONDS = 24 * 60 * 60
KNOWN_BROWSER_COOKIE = "cocity_known_login"
KNOWN_BROWSER_DAYS = 180
# A help desk's computer sees many visitors; the oldest fall off the list.
KNOWN_BROWSER_ACCOUNTS = 20
_SALT = "cocity.accounts.login_limits"
_LOCK_SECONDS = 5


def _account(login: str) -> str:
    """The account a login names, as an HMAC: neither the cache nor the cookie holds an
    address, and the cookie's owner cannot test guessed addresses against it."""
    return salted_hmac(_SALT, login.strip().lower(), algorithm="sha256").hexdigest()[:32]


def _failures_key(login: str) -> str:
    return f"cocity:login-failures:{_account(login)}"


def delay_after(failures: int) -> int:
    """Seconds the next attempt must wait after ``failures`` failures in a row."""
    free = settings.LOGIN_DELAY_FREE_FAILURES
    if failures < free:
        return 0
    return int(min(2 ** (failures - free + 1), settings.LOGIN_DELAY_MAX_SECONDS))


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    """A short lock in the cache, so that two attempts on one account count one after the
    other (``cache.add`` is atomic in Redis and in the local-memory cache)."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + 1
    while not cache.add(lock, 1, timeout=_LOCK_SECONDS):
        if time.monotonic() > deadline:
            yield False
            return
        time.sleep(0.01)
    try:
        yield True
    finally:
        cache.delete(lock)


def login_attempt_begin(*, login: str) -> int:
    """Before a password is checked: 0 when the attempt may go on (it is counted as a failure
    until :func:`login_attempt_succeeded`), else the seconds left to wait (nothing counted)."""
    key = _failures_key(login)
    with _locked(key) as locked:
        if not locked:
            return 1
        failures, not_before = cache.get(key, (0, 0.0))
        now = time.time()
        if now < not_before:
            return max(1, math.ceil(not_before - now))
        failures += 1
        cache.set(key, (failures, now + delay_after(failures)), timeout=FORGET_AFTER_SECONDS)
        return 0


def login_attempt_succeeded(*, login: str) -> None:
    """The password was right (or was reset through the mailbox): the count starts again."""
    cache.delete(_failures_key(login))


def _known_accounts(request: HttpRequest) -> list[str]:
    try:
        value = signing.loads(
            request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""),
            salt=_SALT,
            max_age=timedelta(days=KNOWN_BROWSER_DAYS),
        )
    except signing.BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def is_known_browser(request: HttpRequest, *, login: str) -> bool:
    """The account logged in from this browser before (within ``KNOWN_BROWSER_DAYS``)."""
    return _account(login) in _known_accounts(request)


def remember_browser(
    request: HttpRequest, response: HttpResponse, *, logins: Iterable[str]
) -> None:
    """After a complete login: this browser is known for the account's addresses."""
    accounts = [_account(login) for login in logins]
    known = list(dict.fromkeys([*accounts, *_known_accounts(request)]))
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(known[:KNOWN_BROWSER_ACCOUNTS], salt=_SALT),
        max_age=KNOWN_BROWSER_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def wait_response(request: HttpRequest, seconds: int) -> HttpResponse:
    response = render(request, "accounts/login_wait.html", {"seconds": seconds}, status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


class LoginLimitsMixin(DefaultAccountAdapter):
    """The parts of the account adapter that limit logins. allauth's ``authenticate`` calls
    ``pre_authenticate`` before the password check and rolls its own counts back on success."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's "key" rates in "login_failed" count per account and address together.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{get_ip(request)}"

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # Called after a password reset from the mailbox: the owner is back, the wait ends.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_attempt_succeeded(login=_login_of(credentials))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)  # allauth's counts; may refuse
        login = _login_of(credentials)
        if is_known_browser(request, login=login):
            return
        seconds = login_attempt_begin(login=login)
        if seconds:
            self._rollback_login_failed_rl_usage()  # no password was checked
            raise ImmediateHttpResponse(wait_response(request, seconds))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_attempt_succeeded(login=_login_of(credentials))
        return user

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        remember_browser(request, response, logins=[str(user.get_username()), *addresses])
        return response
