"""Writes on users, organisations, invitations and staff roles.

Each service checks the actor's permission before it writes (``actor=None`` means the platform
itself: a management command or the seed) and raises ``PermissionDenied`` or ``ValidationError``
having changed nothing."""

from __future__ import annotations

import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts import limits
from cocity.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    StaffRole,
    User,
)
from cocity.accounts.permissions import forget_staff_roles
from cocity.core import changes
from cocity.core.limits import check_text_lengths
from cocity.core.permissions import can
from cocity.municipalities.models import District, Municipality
from cocity.notifications.services import email_send_on_commit


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str,
    email_verified: bool = False,
    is_platform_admin: bool = False,
    show_name_publicly: bool = False,
) -> User:
    """Create a user outside the sign-up form (seed, commands). Sign-up goes through allauth."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(
        email=email,
        display_name=display_name.strip(),
        show_name_publicly=show_name_publicly,
        is_staff=is_platform_admin,
        is_superuser=is_platform_admin,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, show_name_publicly: bool) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.display_name = display_name.strip()
    locked.show_name_publicly = show_name_publicly
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=["display_name", "show_name_publicly"])
    # Their name, or "a citizen", shows on the pages of every city they took part in.
    changes.changed(municipality_id=None, kind="accounts.user", pk=locked.pk)
    return locked


@transaction.atomic
def organisation_create(
    *,
    user: User,
    name: str,
    kind: str,
    tax_code: str = "",
    informal: bool = False,
    email: str = "",
    website: str = "",
    description: str = "",
    municipality: Municipality | None = None,
) -> Organisation:
    """Create an organisation with ``user`` as its representative."""
    check_text_lengths(
        values={"name": name.strip(), "description": description},
        limits=limits.ORGANISATION_FIELDS,
    )
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        tax_code=tax_code.strip().upper(),
        informal=informal,
        email=email,
        website=website,
        description=description,
        municipality=municipality,
        created_by=user,
    )
    if (
        not informal
        and not organisation.tax_code
        and kind not in {Organisation.Kind.INFORMAL_GROUP, Organisation.Kind.COMMITTEE}
    ):
        raise ValidationError(
            {
                "tax_code": _(
                    "A registered organisation needs its tax code; tick “informal” for "
                    "a group without one."
                )
            }
        )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=user, organisation=organisation, role=Membership.Role.REPRESENTATIVE
    )
    changes.changed(municipality_id=None, kind="accounts.organisation", pk=organisation.pk)
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str = Membership.Role.MEMBER
) -> Membership:
    """Make the user a member (idempotent: an existing membership keeps its role)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


@transaction.atomic
def organisation_invite(
    *, actor: User, organisation: Organisation, email: str, role: str = Membership.Role.MEMBER
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the token (only ever in the mail)."""
    if not can(actor, "accounts.manage_organisation", organisation):
        raise PermissionDenied(_("Only a representative of the organisation can invite members."))
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
    )
    email_send_on_commit(
        to=email,
        template="accounts/email/invitation",
        context={
            "organisation": organisation,
            "actor": actor,
            "path": reverse("accounts:invitation_accept", kwargs={"token": token}),
        },
    )
    return invitation, token


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    """Join the organisation of the invitation. The invitation works once, and only for the
    address it was sent to."""
    try:
        invitation = Invitation.objects.select_for_update().get(token_hash=_token_hash(token))
    except Invitation.DoesNotExist:
        raise ValidationError(_("This invitation link is not valid.")) from None
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not verified:
        raise PermissionDenied(
            _(
                "This invitation was sent to %(email)s: log in with that (verified) address to "
                "accept it."
            )
            % {"email": invitation.email}
        )
    membership = membership_add(
        organisation=invitation.organisation, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def staff_role_grant(
    *,
    actor: User | None,
    municipality: Municipality,
    email: str,
    role: str,
    department: str = "",
    district: District | None = None,
) -> StaffRole:
    """Give the user with that e-mail a role in the municipality (idempotent)."""
    if actor is not None and not can(actor, "office.manage_staff", municipality):
        raise PermissionDenied(_("You may not grant roles in %(city)s.") % {"city": municipality})
    if role not in StaffRole.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if district is not None and district.municipality_id != municipality.pk:
        raise ValidationError({"district": _("The district belongs to another municipality.")})
    try:
        user = User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise ValidationError(
            {
                "email": _("No user has the e-mail address %(email)s: ask them to sign up first.")
                % {"email": email}
            }
        ) from None
    try:
        with transaction.atomic():
            staff_role, _created = StaffRole.objects.get_or_create(
                user=user,
                municipality=municipality,
                role=role,
                defaults={"department": department, "district": district, "granted_by": actor},
            )
    except IntegrityError:  # granted concurrently by someone else: the role exists now
        staff_role = StaffRole.objects.get(user=user, municipality=municipality, role=role)
    forget_staff_roles(user)
    return staff_role


@transaction.atomic
def staff_role_revoke(*, actor: User, staff_role_id: int, municipality: Municipality) -> None:
    if not can(actor, "office.manage_staff", municipality):
        raise PermissionDenied(_("You may not revoke roles in %(city)s.") % {"city": municipality})
    deleted, _detail = StaffRole.objects.filter(
        pk=staff_role_id, municipality=municipality
    ).delete()
    if not deleted:
        raise ValidationError(_("This role does not exist (any more)."))
    forget_staff_roles(actor)


@transaction.atomic
def api_token_create(*, actor: User, municipality: Municipality, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor in the municipality. The token itself is returned once and
    never stored."""
    if not can(actor, "office.access", municipality):
        raise PermissionDenied(
            _("Only the staff of %(city)s can create API tokens there.")
            % {"city": municipality.name}
        )
    if not name.strip():
        raise ValidationError({"name": _("Name the token after what will use it.")})
    raw = "cct_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        municipality=municipality,
        name=name.strip(),
        prefix=raw[:8],
        token_hash=_token_hash(raw),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = (
        ApiToken.objects.select_for_update()
        .select_related("municipality")
        .filter(pk=token_id)
        .first()
    )
    if token is None or (
        token.user_id != actor.pk and not can(actor, "office.manage_staff", token.municipality)
    ):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this value (its user active), marking its use."""
    token = (
        ApiToken.objects.select_related("user", "municipality")
        .filter(token_hash=_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
