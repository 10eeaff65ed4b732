"""Who may use a municipality's office area (the object is the municipality)."""

import rules

from cocity.accounts.models import StaffRole
from cocity.accounts.permissions import (
    has_staff_role,
    is_municipality_admin,
    is_platform_admin,
    is_staff_of,
)

# Any staff role of that municipality opens its office area; staff of one city never act in
# another, since every predicate compares the municipality of the role.
rules.add_perm("office.access", is_platform_admin | is_staff_of)
rules.add_perm("office.manage_staff", is_platform_admin | is_municipality_admin)
# The regulation settings (deadlines, durations, who signs): the commons office records them,
# as the municipality's acts set them; its administrators too.
rules.add_perm(
    "office.change_regulation",
    is_platform_admin | has_staff_role(StaffRole.Role.OFFICE, StaffRole.Role.ADMIN),
)
