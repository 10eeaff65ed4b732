"""What a person wrote is not lost when their session expires (issue #11, finding 11).

A form sent after the session expired reaches the site as an anonymous request: the view
sends the person to the login. Before that, ``keep`` puts what the form carried (its text
fields, never files or the CSRF token) in the new, anonymous session, with the page it goes
back to. Django keeps session data through the login, so after logging in again the person is
sent back to that page, whose view calls ``take`` and fills its form with what was written
(``restore``): nothing is saved or published until they send it again
(docs/decisions/0015-unsent-text.md).

Only the person who wrote it gets it back. ``UnsentTextMiddleware`` keeps a signed cookie
with the id of the account signed in on this browser (set at the first signed-in answer,
deleted at logout, so a browser that logged out keeps nothing); a form sent without a session
is kept only with the id from that cookie, and given back only to the same account. A
computer shared at a help desk never shows one visitor another's text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

SESSION_KEY = "cocity_unsent"
OWNER_COOKIE = "cocity_signed_in"
_SALT = "cocity.core.unsent"
# How long a text waits for its author to sign in again.
KEEP_SECONDS = 24 * 60 * 60
# The owner cookie outlives any session (SESSION_COOKIE_AGE is two weeks).
OWNER_COOKIE_SECONDS = 60 * 24 * 60 * 60
# At most this many characters are kept: every text of the site is well below it
# (cocity/*/limits.py); a larger form is not a person's text.
MAX_CHARS = 250_000
_NOT_KEPT = {"csrfmiddlewaretoken"}


def _owner(request: HttpRequest) -> int | None:
    """The account last signed in on this browser, from its signed cookie."""
    try:
        value = signing.loads(request.COOKIES.get(OWNER_COOKIE, ""), salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def keep(request: HttpRequest, *, back_to: str | None = None) -> bool:
    """Keep what this anonymous POST carried for the account last signed in on this browser,
    to be given back on ``back_to`` (the page of the form; by default the one it was sent to).
    Answers whether it was kept."""
    owner = _owner(request)
    data = {key: values for key, values in request.POST.lists() if key not in _NOT_KEPT}
    size = sum(len(value) for values in data.values() for value in values)
    if owner is None or not data or size > MAX_CHARS:
        return False
    request.session[SESSION_KEY] = {
        "owner": owner,
        "path": back_to or request.path,
        "data": data,
        "at": time.time(),
    }
    return True


def take(request: HttpRequest) -> QueryDict | None:
    """What the signed-in person wrote for this page before their session expired, once: the
    caller fills its form with it (``restore``). ``None`` when nothing waits for this page and
    this person."""
    stash = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    if stash.get("owner") != request.user.pk or time.time() - stash.get("at", 0) > KEEP_SECONDS:
        return None
    unsent = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        unsent.setlist(key, values)
    messages.warning(
        request,
        _(
            "Your session had expired, so what you wrote was not sent. It is below: please "
            "check it and send it again."
        ),
    )
    return unsent


def restore(form: forms.BaseForm, unsent: QueryDict | None) -> bool:
    """Fill ``form`` (unbound) with what was sent for it: answers whether anything was sent
    for this form (a page with several forms gives back the one that was sent)."""
    if unsent is None:
        return False
    found = False
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key not in unsent:
            continue
        found = True
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        form.initial[name] = unsent.getlist(key) if multiple else unsent[key]
    return found


def give_back(request: HttpRequest, *forms: forms.BaseForm) -> bool:
    """On a GET, fill the first of ``forms`` for which text was kept (``take``, ``restore``):
    what a view with forms behind the login calls before rendering them."""
    if request.method != "GET":
        return False
    kept = take(request)
    return any(restore(form, kept) for form in forms)


def login_required_keeping_text(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``login_required``, and a form sent without a session is kept (``keep``) for its
    author to find after logging in again."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            keep(request)
        return redirect_to_login(request.get_full_path())

    return wrapped


@receiver(user_logged_out)
def _forget_owner(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        request._cocity_logged_out = True  # type: ignore[attr-defined]


class UnsentTextMiddleware:
    """Keeps the owner cookie in step with the account signed in on this browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_cocity_logged_out", False):
            response.delete_cookie(OWNER_COOKIE)
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _owner(request) != user.pk:
            response.set_cookie(
                OWNER_COOKIE,
                signing.dumps(user.pk, salt=_SALT),
                max_age=OWNER_COOKIE_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
