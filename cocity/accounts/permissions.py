"""Named predicates about who a user is (after adhocracy4): platform admin, staff of a
municipality in a given role, representative or member of an organisation.

A user's staff roles are read once per request and kept on the user object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules

from cocity.accounts.models import Membership, StaffRole


def staff_roles_of(user: Any) -> frozenset[tuple[int, str]]:
    """(municipality id, role) pairs held by the user, loaded once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_cocity_staff_roles", None)
    if cached is None:
        cached = frozenset(
            StaffRole.objects.filter(user=user).values_list("municipality_id", "role")
        )
        user._cocity_staff_roles = cached
    return cached


def forget_staff_roles(user: Any) -> None:
    """Drop the cached roles after a grant or revocation on the same user object."""
    if hasattr(user, "_cocity_staff_roles"):
        del user._cocity_staff_roles


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


@rules.predicate
def is_staff_of(user: Any, municipality: Any) -> bool:
    """Holds any staff role in the municipality."""
    if municipality is None:
        return False
    return any(mid == municipality.pk for mid, _ in staff_roles_of(user))


def has_staff_role(*roles: str) -> rules.Predicate:
    """A predicate: holds one of ``roles`` in the municipality given as the object."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_staff_role({', '.join(sorted(wanted))})")
    def predicate(user: Any, municipality: Any) -> bool:
        if municipality is None:
            return False
        return any(mid == municipality.pk and role in wanted for mid, role in staff_roles_of(user))

    return predicate


is_municipality_admin = has_staff_role(StaffRole.Role.ADMIN)


def represents(user: Any, organisation_ids: Iterable[int | None]) -> bool:
    """Whether the user represents one of the organisations (their ids; a ``None`` among them
    stands for no organisation): one query, or none when there is no organisation to ask."""
    wanted = [pk for pk in organisation_ids if pk is not None]
    if not wanted or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, organisation_id__in=wanted, role=Membership.Role.REPRESENTATIVE
    ).exists()


@rules.predicate
def is_representative(user: Any, organisation: Any) -> bool:
    return organisation is not None and represents(user, [organisation.pk])


@rules.predicate
def is_member(user: Any, organisation: Any) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


rules.add_perm("accounts.manage_organisation", is_platform_admin | is_representative)
rules.add_perm("accounts.view_organisation", is_platform_admin | is_member)
