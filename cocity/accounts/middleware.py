"""Staff who must have a second factor and have none are sent to set one up
(docs/decisions/0010)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.accounts.mfa import has_second_factor, second_factor_required
from cocity.core.paths import API_PREFIX


def _open_paths() -> tuple[str, ...]:
    """What a staff member without a second factor may still open: the pages that set one
    up (and the re-entry of the password they ask for), logging out, the language switch.
    The API authenticates with tokens, not with the session."""
    return (
        reverse("mfa_index"),
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        reverse("account_login"),
        reverse("set_language"),
        API_PREFIX,
    )


class StaffSecondFactorMiddleware:
    """After the authentication middleware. Checks before each view, so that no office page,
    admin page or staff action on a pact runs for staff without a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not second_factor_required(user) or request.path.startswith(_open_paths()):
            return None
        if has_second_factor(user):
            return None
        messages.warning(
            request,
            _(
                "Your role requires two-factor authentication. Please set up an "
                "authenticator app on your phone to continue."
            ),
        )
        return redirect("mfa_activate_totp")
