"""The second factor (allauth.mfa: an authenticator app with recovery codes) and who must
have one: anyone with a staff role in a municipality or with Django admin access, when
``MFA_REQUIRED_FOR_STAFF`` is on (docs/decisions/0010)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from cocity.accounts.permissions import staff_roles_of


def second_factor_required(user: Any) -> bool:
    """The user must have an authenticator app before using the site (preconditions: none;
    reads the user's staff roles, cached on the user object for the request)."""
    if not settings.MFA_REQUIRED_FOR_STAFF or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or staff_roles_of(user))


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff who must have an authenticator app cannot switch it off (they may set up a
        new one by regenerating recovery codes, or ask a platform admin to remove it)."""
        if authenticator.type == Authenticator.Type.TOTP and second_factor_required(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
