"""Drafting a proposal: the private draft, its steps, its co-signatories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import Membership, Organisation, User
from cocity.core.limits import check_text_lengths
from cocity.municipalities.models import Municipality
from cocity.notifications.services import email_send_on_commit
from cocity.pacts import limits
from cocity.pacts.guards import check_duration
from cocity.pacts.models import Pact, Party, Status
from cocity.pacts.services.base import announce, limit, lock, now_or, record, require

DRAFT_FIELDS = (
    "title",
    "category",
    "complexity",
    "commons",
    "place_name",
    "place_lon",
    "place_lat",
    "objectives",
    "activities",
    "people_involved",
    "support_requested",
    "desired_start",
    "duration_months",
    "proponent_organisation",
)
EDITABLE_STATUSES = (Status.DRAFT, Status.INCOMPLETE)


@transaction.atomic
def pact_create_draft(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Pact:
    """Start a proposal: a private draft, with its author as proponent party."""
    if not title.strip():
        raise ValidationError({"title": _("Give the proposal a title.")})
    limit("title", title, limits.TITLE)
    pact = Pact(
        municipality=municipality, title=title.strip(), proponent=actor, status=Status.DRAFT
    )
    _apply_draft_fields(pact, actor, fields, today=timezone.localdate(at) if at else None)
    pact.full_clean()
    pact.save()
    if at:
        Pact.objects.filter(pk=pact.pk).update(created_at=at)
    Party.objects.create(
        pact=pact, role=Party.Role.PROPONENT, user=actor, organisation=pact.proponent_organisation
    )
    record(pact, action="create", actor=actor, at=now_or(at), to_status=Status.DRAFT)
    return pact


def _apply_draft_fields(
    pact: Pact, actor: User, fields: dict[str, Any], today: dt.date | None = None
) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    check_text_lengths(values=fields, limits=limits.PACT_FIELDS)
    desired = fields.get("desired_start")
    if desired is not None and desired < (today or timezone.localdate()):
        raise ValidationError(
            {"desired_start": _("The desired start cannot be in the past: choose a later day.")}
        )
    for field, value in fields.items():
        setattr(pact, field, value)
    if pact.category is not None and pact.category.municipality_id != pact.municipality_id:
        raise ValidationError({"category": _("This category belongs to another municipality.")})
    if pact.commons is not None and pact.commons.municipality_id != pact.municipality_id:
        raise ValidationError({"commons": _("This commons belongs to another municipality.")})
    organisation = pact.proponent_organisation
    if (
        organisation is not None
        and not Membership.objects.filter(
            user=actor, organisation=organisation, role=Membership.Role.REPRESENTATIVE
        ).exists()
        and pact.proponent_id == actor.pk
    ):
        raise ValidationError(
            {"proponent_organisation": _("You can propose only for organisations you represent.")}
        )
    check_duration(pact)


@transaction.atomic
def pact_update_draft(
    *, actor: User, pact: Pact, expected_version: int | None = None, **fields: Any
) -> Pact:
    """Save a step of the proposal (while a draft, or incomplete after the office's request)."""
    locked = lock(pact, expected_version)
    require(actor, "pacts.edit_draft", locked, _("Only the proponent can edit the proposal."))
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("The proposal can no longer be edited: it is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    _apply_draft_fields(locked, actor, fields)
    locked.full_clean()
    locked.save()
    Party.objects.filter(pact=locked, role=Party.Role.PROPONENT).update(
        organisation=locked.proponent_organisation
    )
    announce(locked, pdf=False)
    return locked


@transaction.atomic
def pact_invite_co_signatory(
    *,
    actor: User,
    pact: Pact,
    email: str,
    organisation: Organisation | None = None,
    at: dt.datetime | None = None,
) -> Party:
    """Invite a person (or an organisation, through that person) to sign with the proponent."""
    locked = lock(pact)
    require(actor, "pacts.edit_text", locked, _("Only the parties can invite co-signatories."))
    if locked.status not in (Status.DRAFT, Status.INCOMPLETE, Status.CO_DESIGN):
        raise ValidationError(_("Co-signatories are invited while drafting or in co-design."))
    limit("email", email, limits.EMAIL)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if Party.objects.filter(pact=locked, invited_email=email).exists() or (
        user and Party.objects.filter(pact=locked, user=user).exists()
    ):
        raise ValidationError({"email": _("This person is already a party to the pact.")})
    party = Party.objects.create(
        pact=locked,
        role=Party.Role.CO_SIGNATORY,
        user=user,
        organisation=organisation,
        invited_email=email,
    )
    record(locked, action="invite", actor=actor, at=now_or(at), data={"party": party.pk})
    email_send_on_commit(
        to=email, template="pacts/email/invitation", context={"pact": locked, "actor": actor}
    )
    return party
