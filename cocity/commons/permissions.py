"""Who may manage a municipality's commons catalogue (the object is the municipality)."""

import rules

from cocity.accounts.models import StaffRole
from cocity.accounts.permissions import has_staff_role, is_platform_admin

rules.add_perm(
    "commons.manage",
    is_platform_admin | has_staff_role(StaffRole.Role.OFFICE, StaffRole.Role.ADMIN),
)
