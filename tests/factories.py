"""Factories for the tests. They build rows through the services where a service exists, so
that the tests see the same data the application would make."""

from __future__ import annotations

import factory

from cocity.accounts.models import Organisation, StaffRole, User
from cocity.accounts.services import organisation_create, staff_role_grant, user_create
from cocity.municipalities.models import Municipality
from cocity.municipalities.services import municipality_create

PASSWORD = "a-Long-test-password-42"


class MunicipalityFactory(factory.Factory):
    class Meta:
        model = Municipality

    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"Test City {n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return municipality_create(**kwargs)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = PASSWORD
    email_verified = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(**kwargs)


def organisation(*, representative: User, **kwargs) -> Organisation:
    values = {
        "name": "Associazione Test",
        "kind": Organisation.Kind.ASSOCIATION,
        "tax_code": "97812340011",
    }
    values.update(kwargs)
    return organisation_create(user=representative, **values)


def staff(*, municipality: Municipality, role: str = StaffRole.Role.OFFICE, **kwargs) -> User:
    user = UserFactory(**kwargs)
    staff_role_grant(actor=None, municipality=municipality, email=user.email, role=role)
    return user
