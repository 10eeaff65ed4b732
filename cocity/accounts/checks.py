"""System checks of the account settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_for_staff(**kwargs: Any) -> list[Warning]:
    """Staff sign in with a second factor in production (docs/decisions/0010)."""
    if settings.MFA_REQUIRED_FOR_STAFF:
        return []
    return [
        Warning(
            "MFA_REQUIRED_FOR_STAFF is off: staff and platform admins can sign in with a "
            "password alone.",
            hint="Leave MFA_REQUIRED_FOR_STAFF unset in production (it defaults to on there).",
            id="cocity.accounts.W001",
        )
    ]
