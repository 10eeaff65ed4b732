import re

import pytest
from django.core import mail

from cocity.accounts.models import Invitation, Membership, Organisation
from tests.accounts.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db
class TestOrganisationCreate:
    def test_creator_becomes_representative(self, client, torino):
        user = UserFactory()
        client.force_login(user)

        response = client.post(
            "/account/organisations/new/",
            {
                "name": "Amici del Parco",
                "kind": "association",
                "tax_code": "97812340011",
                "municipality": torino.pk,
            },
        )

        assert response.status_code == 302
        org = Organisation.objects.get(name="Amici del Parco")
        assert Membership.objects.get(organisation=org).role == Membership.Role.REPRESENTATIVE
        assert response["Location"] == f"/account/organisations/{org.pk}/"

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"name": "", "kind": "association", "tax_code": "97812340011"}, "name"),
            ({"name": "X", "kind": "spaceship", "tax_code": "97812340011"}, "kind"),
            ({"name": "X", "kind": "association", "tax_code": "123"}, "tax_code"),
            ({"name": "X", "kind": "association", "tax_code": ""}, "tax_code"),
        ],
    )
    def test_invalid_data_is_refused_and_nothing_saved(self, client, data, field):
        client.force_login(UserFactory())

        response = client.post("/account/organisations/new/", data)

        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert not Organisation.objects.exists()
        assert not Membership.objects.exists()

    def test_informal_group_needs_no_tax_code(self, client):
        client.force_login(UserFactory())

        response = client.post(
            "/account/organisations/new/",
            {"name": "Vicini di via Roma", "kind": "informal_group", "informal": "on"},
        )

        assert response.status_code == 302
        assert Organisation.objects.get().informal


@pytest.mark.django_db
class TestInvitations:
    def test_representative_invites_and_invitee_joins(
        self, client, django_capture_on_commit_callbacks
    ):
        rep = UserFactory()
        org = OrganisationFactory(representative=rep)
        invitee = UserFactory(email="socia@example.org")
        client.force_login(rep)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/account/organisations/{org.pk}/",
                {"email": "socia@example.org", "role": "member"},
            )

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        path = re.search(r"(/account/invitations/\S+/)", mail.outbox[0].body).group(1)
        assert org.name in mail.outbox[0].subject

        client.force_login(invitee)
        assert client.post(path).status_code == 302
        assert Membership.objects.get(organisation=org, user=invitee).role == "member"
        # The link works once.
        assert client.post(path).status_code == 400

    def test_member_cannot_invite(self, client):
        org = OrganisationFactory(representative=UserFactory())
        member = UserFactory()
        Membership.objects.create(user=member, organisation=org)
        client.force_login(member)

        response = client.post(
            f"/account/organisations/{org.pk}/", {"email": "x@example.org", "role": "member"}
        )

        assert response.status_code == 403
        assert not Invitation.objects.exists()
        assert not mail.outbox

    def test_invitation_for_another_address_is_refused(
        self, client, django_capture_on_commit_callbacks
    ):
        rep = UserFactory()
        org = OrganisationFactory(representative=rep)
        client.force_login(rep)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/account/organisations/{org.pk}/", {"email": "a@example.org", "role": "member"}
            )
        path = re.search(r"(/account/invitations/\S+/)", mail.outbox[0].body).group(1)

        client.force_login(UserFactory(email="b@example.org"))
        response = client.post(path)

        assert response.status_code == 400
        assert "a@example.org" in response.content.decode()
        assert Membership.objects.filter(organisation=org).count() == 1

    def test_outsider_cannot_see_the_organisation(self, client):
        org = OrganisationFactory(representative=UserFactory())
        client.force_login(UserFactory())

        assert client.get(f"/account/organisations/{org.pk}/").status_code == 403


@pytest.mark.django_db
def test_the_platform_admin_sees_an_organisation_and_invites_to_it(
    client, django_capture_on_commit_callbacks
):
    """``accounts.view_organisation`` and ``accounts.manage_organisation`` name the platform
    admin (asked through ``cocity.core.permissions.can``, issue #12)."""
    org = OrganisationFactory(representative=UserFactory())
    client.force_login(UserFactory(is_platform_admin=True))

    assert client.get(f"/account/organisations/{org.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/organisations/{org.pk}/", {"email": "socia@example.org", "role": "member"}
        )

    assert response.status_code == 302
    assert Invitation.objects.get(organisation=org).email == "socia@example.org"
    assert len(mail.outbox) == 1
