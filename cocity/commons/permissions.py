"""Who may manage a municipality's commons catalogue (the object is the municipality)."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise

from cocity.accounts.models import StaffRole
from cocity.accounts.permissions import has_staff_role, is_platform_admin
from cocity.core.permissions import can

rules.add_perm(
    "commons.manage",
    is_platform_admin | has_staff_role(StaffRole.Role.OFFICE, StaffRole.Role.ADMIN),
)


def check_office(actor: Any, municipality: Any, refusal: Promise) -> None:
    """For a service: ``PermissionDenied`` unless ``actor`` is the platform itself (``None``)
    or may manage the commons of ``municipality`` (its commons office). ``refusal`` says why,
    ``%(city)s`` standing for the city's name. What the commons office does elsewhere (an
    import, the funding programmes) asks it too."""
    if actor is not None and not can(actor, "commons.manage", municipality):
        raise PermissionDenied(str(refusal) % {"city": municipality.name})
