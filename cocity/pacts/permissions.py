"""Named predicates about a pact and the user (after adhocracy4); the object is the pact. The
permission matrix in tests/pacts/test_permissions.py checks each role against each action."""

from __future__ import annotations

from typing import Any

import rules

from cocity.accounts.models import Membership, StaffRole
from cocity.accounts.permissions import is_platform_admin, represents, staff_roles_of

R = StaffRole.Role


def _staff(user: Any, pact: Any, *roles: str) -> bool:
    if pact is None:
        return False
    return any(m == pact.municipality_id and r in roles for m, r in staff_roles_of(user))


@rules.predicate
def is_proponent(user: Any, pact: Any) -> bool:
    if pact is None or not getattr(user, "is_authenticated", False):
        return False
    return pact.proponent_id == user.pk or represents(user, [pact.proponent_organisation_id])


@rules.predicate
def is_party(user: Any, pact: Any) -> bool:
    """A proponent or co-signatory of the pact (in person or as a representative)."""
    if pact is None or not getattr(user, "is_authenticated", False):
        return False
    if is_proponent(user, pact):
        return True
    from cocity.pacts.models import Party

    parties = Party.objects.filter(
        pact=pact, role__in=[Party.Role.CO_SIGNATORY, Party.Role.PROPONENT]
    )
    org_ids = [oid for oid in parties.values_list("organisation_id", flat=True) if oid]
    return parties.filter(user=user).exists() or represents(user, org_ids)


@rules.predicate
def is_adherent(user: Any, pact: Any) -> bool:
    """Joined the pact already (a request to join that the office accepted)."""
    if pact is None or not getattr(user, "is_authenticated", False):
        return False
    from cocity.pacts.models import Party

    return Party.objects.filter(pact=pact, role=Party.Role.ADHERENT, user=user).exists()


@rules.predicate
def is_office(user: Any, pact: Any) -> bool:
    return _staff(user, pact, R.OFFICE, R.ADMIN)


@rules.predicate
def is_department(user: Any, pact: Any) -> bool:
    return _staff(user, pact, R.DEPARTMENT)


@rules.predicate
def is_city_staff(user: Any, pact: Any) -> bool:
    return _staff(user, pact, *R.values)


@rules.predicate
def may_approve(user: Any, pact: Any) -> bool:
    """Ordinary pacts: a manager. Complex pacts: the executive."""
    if pact is None:
        return False
    role = R.EXECUTIVE if pact.complexity == "complex" else R.MANAGER
    return _staff(user, pact, role)


@rules.predicate
def is_public(user: Any, pact: Any) -> bool:
    return pact is not None and pact.status != "draft"


@rules.predicate
def never(user: Any, pact: Any) -> bool:
    """Transitions that only the platform performs (the last signature activates a pact)."""
    return False


rules.add_perm("pacts.act_as_proponent", is_proponent)
rules.add_perm("pacts.act_as_office", is_platform_admin | is_office)
rules.add_perm("pacts.approve", is_platform_admin | may_approve)
rules.add_perm("pacts.act_as_system", never)
rules.add_perm("pacts.view", is_public | is_party | is_city_staff | is_platform_admin)
rules.add_perm("pacts.edit_draft", is_proponent)
rules.add_perm("pacts.use_workspace", is_party | is_city_staff | is_platform_admin)
rules.add_perm("pacts.edit_text", is_party | is_office | is_platform_admin)
rules.add_perm("pacts.moderate", is_platform_admin | is_office)
rules.add_perm("pacts.answer_opinion", is_platform_admin | is_department | is_office)
# Anyone signed in may ask to join, except those already in the pact and the city's staff.
rules.add_perm(
    "pacts.ask_to_join", rules.is_authenticated & ~is_party & ~is_adherent & ~is_city_staff
)


def city_signers(municipality: Any) -> list[str]:
    """The staff roles that sign pacts for the city, as its regulation settings say."""
    signs = municipality.city_signs
    roles: list[str] = []
    if signs in ("manager", "manager_or_executive"):
        roles.append(StaffRole.Role.MANAGER)
    if signs in ("executive", "manager_or_executive"):
        roles.append(StaffRole.Role.EXECUTIVE)
    return roles


def may_sign_for(user: Any, party: Any) -> bool:
    """Whether ``user`` signs for ``party``: the city through the roles its settings name, an
    organisation through a representative, a citizen in person (or by the invited address)."""
    from cocity.pacts.models import Party

    if party.role == Party.Role.CITY:
        municipality = party.pact.municipality
        return StaffRole.objects.filter(
            user=user, municipality_id=municipality.pk, role__in=city_signers(municipality)
        ).exists()
    if party.organisation_id:
        return Membership.objects.filter(
            user=user, organisation_id=party.organisation_id, role=Membership.Role.REPRESENTATIVE
        ).exists()
    return party.user_id == user.pk or (
        party.user_id is None and party.invited_email.lower() == user.email.lower()
    )
