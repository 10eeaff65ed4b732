"""People, organisations and staff roles for the tests, made through
``cocity.accounts.services``."""

from __future__ import annotations

import factory

from cocity.accounts.models import ApiToken, Organisation, StaffRole, User
from cocity.accounts.services import (
    api_token_create,
    organisation_create,
    staff_role_grant,
    user_create,
)
from cocity.municipalities.models import Municipality
from tests.municipalities.factories import MunicipalityFactory

PASSWORD = "a-Long-test-password-42"


class UserFactory(factory.Factory):
    """A person who signed up and verified the address, with ``PASSWORD``."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = PASSWORD
    email_verified = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(**kwargs)


class OrganisationFactory(factory.Factory):
    """An association, its ``representative`` a member from the start."""

    class Meta:
        model = Organisation

    representative = factory.SubFactory(UserFactory)
    name = "Associazione Test"
    kind = Organisation.Kind.ASSOCIATION
    tax_code = "97812340011"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organisation_create(user=kwargs.pop("representative"), **kwargs)


class StaffRoleFactory(factory.Factory):
    """A role in a municipality's office (``staff_role.user`` is the person)."""

    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = StaffRole.Role.OFFICE
    department = ""
    district = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        user = kwargs.pop("user")
        return staff_role_grant(actor=None, email=user.email, **kwargs)


class ApiTokenFactory(factory.Factory):
    """A token of a member of the office; ``token.raw`` is the secret, as shown once."""

    class Meta:
        model = ApiToken

    actor = factory.LazyAttribute(lambda o: staff(municipality=o.municipality))
    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Integrazione"

    @classmethod
    def _create(cls, model_class, **kwargs):
        token, raw = api_token_create(**kwargs)
        token.raw = raw
        return token


def staff(*, municipality: Municipality, role: str = StaffRole.Role.OFFICE, **user_fields) -> User:
    """A person with ``role`` in the office of ``municipality``."""
    return StaffRoleFactory(
        municipality=municipality, role=role, user=UserFactory(**user_fields)
    ).user
