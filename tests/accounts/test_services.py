"""The accounts' services called as the pages and the API call them: members and invitations,
staff roles taken away, API tokens revoked and recognised. Each refusal leaves everything as
it was."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cocity.accounts.models import ApiToken, Invitation, Membership, StaffRole, User
from cocity.accounts.services import (
    api_token_authenticate,
    api_token_revoke,
    invitation_accept,
    membership_add,
    organisation_invite,
    staff_role_revoke,
)
from cocity.core.permissions import can
from tests.accounts.factories import staff

pytestmark = pytest.mark.django_db


class TestMembers:
    def test_a_member_is_added_once_and_keeps_the_role_they_have(self, organisation, user_factory):
        person = user_factory()

        added = membership_add(organisation=organisation, user=person)
        again = membership_add(
            organisation=organisation, user=person, role=Membership.Role.REPRESENTATIVE
        )

        assert again == added and again.role == Membership.Role.MEMBER
        assert Membership.objects.filter(organisation=organisation, user=person).count() == 1

    def test_the_invitation_is_mailed_and_lets_its_addressee_join_once(
        self, organisation, user_factory, django_capture_on_commit_callbacks
    ):
        invitee = user_factory(email="socia@example.org")

        with django_capture_on_commit_callbacks(execute=True):
            invitation, token = organisation_invite(
                actor=organisation.created_by,
                organisation=organisation,
                email=" Socia@Example.org ",
            )
        membership = invitation_accept(user=invitee, token=token)

        assert invitation.email == "socia@example.org"
        assert [m.to for m in mail.outbox] == [["socia@example.org"]]
        assert token in mail.outbox[0].body  # the token is in the mail, and only its hash kept
        assert Invitation.objects.get().token_hash != token
        assert (membership.user, membership.role) == (invitee, Membership.Role.MEMBER)
        with pytest.raises(ValidationError, match="già stato utilizzato"):
            invitation_accept(user=invitee, token=token)

    def test_only_a_representative_invites(self, organisation, user_factory):
        member = membership_add(organisation=organisation, user=user_factory()).user

        with pytest.raises(PermissionDenied):
            organisation_invite(actor=member, organisation=organisation, email="x@example.org")

        assert not Invitation.objects.exists()
        assert not mail.outbox

    def test_a_member_is_not_invited_again(self, organisation):
        with pytest.raises(ValidationError) as refused:
            organisation_invite(
                actor=organisation.created_by,
                organisation=organisation,
                email=organisation.created_by.email.upper(),
            )

        assert "email" in refused.value.message_dict
        assert not Invitation.objects.exists()

    def test_another_address_or_a_made_up_link_joins_nobody(self, organisation, user_factory):
        _invitation, token = organisation_invite(
            actor=organisation.created_by, organisation=organisation, email="a@example.org"
        )
        stranger = user_factory(email="b@example.org")

        with pytest.raises(PermissionDenied, match="a@example.org"):
            invitation_accept(user=stranger, token=token)
        with pytest.raises(ValidationError):
            invitation_accept(user=stranger, token="not-a-token")

        assert not Membership.objects.filter(user=stranger).exists()
        assert Invitation.objects.get().accepted_at is None


class TestStaffRoles:
    def test_the_citys_admin_takes_a_role_away_and_the_office_closes(self, torino):
        admin = staff(municipality=torino, role=StaffRole.Role.ADMIN)
        officer = staff(municipality=torino)
        assert can(officer, "office.access", torino)
        role = officer.staff_roles.get()

        staff_role_revoke(actor=admin, staff_role_id=role.pk, municipality=torino)

        assert not StaffRole.objects.filter(pk=role.pk).exists()
        assert not can(User.objects.get(pk=officer.pk), "office.access", torino)

    def test_an_officer_cannot_take_a_role_away(self, torino):
        officer = staff(municipality=torino)
        colleague = staff(municipality=torino).staff_roles.get()

        with pytest.raises(PermissionDenied):
            staff_role_revoke(actor=officer, staff_role_id=colleague.pk, municipality=torino)

        assert StaffRole.objects.filter(pk=colleague.pk).exists()

    def test_a_role_in_another_city_is_not_taken_away_from_here(self, torino, reggio):
        admin = staff(municipality=torino, role=StaffRole.Role.ADMIN)
        elsewhere = staff(municipality=reggio).staff_roles.get()

        with pytest.raises(ValidationError):
            staff_role_revoke(actor=admin, staff_role_id=elsewhere.pk, municipality=torino)

        assert StaffRole.objects.filter(pk=elsewhere.pk).exists()


class TestApiTokens:
    def test_a_token_is_recognised_and_its_use_noted(self, api_token):
        assert api_token.last_used_at is None

        found = api_token_authenticate(api_token.raw)

        assert found == api_token
        assert ApiToken.objects.get(pk=api_token.pk).last_used_at is not None
        assert api_token_authenticate(api_token.raw + "x") is None

    def test_its_owner_revokes_it_and_it_is_recognised_no_more(self, api_token):
        revoked = api_token_revoke(actor=api_token.user, token_id=api_token.pk)
        again = api_token_revoke(actor=api_token.user, token_id=api_token.pk)

        assert revoked.revoked_at is not None and again.revoked_at == revoked.revoked_at
        assert api_token_authenticate(api_token.raw) is None

    def test_the_citys_admin_revokes_a_colleagues_token(self, api_token):
        admin = staff(municipality=api_token.municipality, role=StaffRole.Role.ADMIN)

        api_token_revoke(actor=admin, token_id=api_token.pk)

        assert api_token_authenticate(api_token.raw) is None

    def test_a_colleague_cannot_revoke_it_and_it_still_works(self, api_token):
        colleague = staff(municipality=api_token.municipality)

        with pytest.raises(PermissionDenied):
            api_token_revoke(actor=colleague, token_id=api_token.pk)

        assert ApiToken.objects.get(pk=api_token.pk).revoked_at is None
        assert api_token_authenticate(api_token.raw) == api_token

    def test_the_token_of_someone_who_left_is_not_recognised(self, api_token):
        api_token.user.is_active = False
        api_token.user.save(update_fields=["is_active"])

        assert api_token_authenticate(api_token.raw) is None
