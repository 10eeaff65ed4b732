"""Every permission is asked through ``cocity.core.permissions.can`` (issue #12): the rules
predicates as they are, so that a superuser passes only where a predicate says that the
platform admin does. ``user.has_perm`` would let a superuser through everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cocity.core.permissions import can
from tests.accounts.factories import OrganisationFactory, UserFactory, staff

COCITY = Path(__file__).resolve().parents[2] / "cocity"
THE_ONE_PLACE = COCITY / "core" / "permissions.py"
HAS_PERM = re.compile(r"\.has_perm\(")


def test_no_has_perm_call_outside_core_permissions():
    offenders = [
        f"{path.relative_to(COCITY.parent)}:{number}"
        for path in sorted(COCITY.rglob("*.py"))
        if path != THE_ONE_PLACE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAS_PERM.search(line)
    ]
    assert not offenders, f"ask permissions with cocity.core.permissions.can: {offenders}"


def test_the_scan_would_see_a_call():
    assert HAS_PERM.search('if not user.has_perm("office.access", city):')
    assert not HAS_PERM.search("if admin.site.has_permission(request):")


# The permissions that were asked with ``has_perm`` before: each predicate names the platform
# admin, so a superuser still passes each (nothing a person sees changed); the object is built
# by the fixture below.
THE_PLATFORM_ADMIN_PASSES = [
    ("office.access", "municipality"),
    ("office.manage_staff", "municipality"),
    ("commons.manage", "municipality"),
    ("accounts.manage_organisation", "organisation"),
    ("accounts.view_organisation", "organisation"),
]


@pytest.fixture
def objects(torino):
    return {
        "municipality": torino,
        "organisation": OrganisationFactory(representative=UserFactory(), municipality=torino),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("permission, kind", THE_PLATFORM_ADMIN_PASSES)
def test_the_platform_admin_passes_where_the_predicate_says_so(objects, permission, kind):
    obj = objects[kind]
    admin = UserFactory(is_platform_admin=True)

    assert can(admin, permission, obj)
    assert can(admin, permission, obj) == admin.has_perm(permission, obj)  # as before


@pytest.mark.django_db
@pytest.mark.parametrize("permission, kind", THE_PLATFORM_ADMIN_PASSES)
def test_a_deactivated_superuser_or_a_django_staff_flag_is_nobody(objects, permission, kind):
    obj = objects[kind]
    deactivated = UserFactory(is_platform_admin=True)
    deactivated.is_active = False
    flagged = UserFactory()
    flagged.is_staff = True  # Django's admin flag is not a role in a municipality

    assert not can(deactivated, permission, obj)
    assert not can(flagged, permission, obj)


@pytest.mark.django_db
@pytest.mark.parametrize("permission, kind", THE_PLATFORM_ADMIN_PASSES)
def test_a_citizen_is_refused_and_turins_admin_only_in_turin(objects, reggio, permission, kind):
    obj = objects[kind]

    assert not can(UserFactory(), permission, obj)
    if kind == "municipality":
        turin_admin = staff(municipality=obj, role="admin")
        assert can(turin_admin, permission, obj)
        assert not can(turin_admin, permission, reggio)


@pytest.mark.django_db
def test_can_does_not_let_a_superuser_through_a_predicate_without_the_platform_admin(torino):
    """What ``has_perm`` would have done: a superuser editing someone's draft."""
    from tests.pacts.factories import Cast, PactFactory

    draft = PactFactory(cast=Cast(torino))
    admin = UserFactory(is_platform_admin=True)

    assert admin.has_perm("pacts.edit_draft", draft)
    assert not can(admin, "pacts.edit_draft", draft)
