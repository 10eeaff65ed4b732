"""Reads on users, organisations and staff roles."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cocity.accounts.models import Invitation, Membership, Organisation, StaffRole, User
from cocity.municipalities.models import Municipality


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def user_staff_roles(*, user: User) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(user=user)
        .select_related("municipality", "district")
        .defer("municipality__boundary", "district__boundary")
    )


def organisation_detail(*, pk: int) -> Organisation:
    """The organisation with its members and pending invitations (three queries)."""
    return (
        Organisation.objects.select_related("municipality")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by("role", "user__email"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(accepted_at__isnull=True).order_by(
                    "-created_at"
                ),
                to_attr="pending_invitations",
            ),
        )
        .get(pk=pk)
    )


def staff_role_list(*, municipality: Municipality) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(municipality=municipality)
        .select_related("user", "district")
        .order_by("role", "user__display_name")
    )
