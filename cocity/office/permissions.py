"""Who may use a municipality's office area (the object is the municipality)."""

import rules

from cocity.accounts.permissions import is_municipality_admin, is_platform_admin, is_staff_of

# Any staff role of that municipality opens its office area; staff of one city never act in
# another, since every predicate compares the municipality of the role.
rules.add_perm("office.access", is_platform_admin | is_staff_of)
rules.add_perm("office.manage_staff", is_platform_admin | is_municipality_admin)
