"""An organisation's texts have limits (issue #11, finding 1): the form and the service refuse
one character too many, with the message, and create nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cocity.accounts import limits
from cocity.accounts.forms import OrganisationForm
from cocity.accounts.models import Organisation
from cocity.accounts.services import organisation_create
from tests.accounts.factories import UserFactory
from tests.texts import assert_field_holds, over, too_long_message


def test_the_description_field_refuses_one_character_over_its_limit():
    assert_field_holds(OrganisationForm, "description", limits.ORGANISATION_DESCRIPTION)


@pytest.mark.django_db
def test_the_page_shows_the_message_and_creates_nothing(client):
    client.force_login(UserFactory())

    response = client.post(
        "/account/organisations/new/",
        {
            "name": "Amici del parco",
            "kind": "informal_group",
            "informal": "on",
            "description": over(limits.ORGANISATION_DESCRIPTION),
        },
    )

    assert response.status_code in (200, 400)
    assert too_long_message(limits.ORGANISATION_DESCRIPTION) in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "limit"), list(limits.ORGANISATION_FIELDS.items()))
def test_the_service_refuses_a_text_over_its_limit(field, limit):
    values = {"name": "Amici del parco", field: over(limit)}

    with pytest.raises(ValidationError) as refused:
        organisation_create(user=UserFactory(), kind="informal_group", informal=True, **values)

    assert refused.value.message_dict == {field: [too_long_message(limit)]}
    assert not Organisation.objects.exists()
