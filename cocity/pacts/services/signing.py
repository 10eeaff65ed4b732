"""Signatures: in the platform with the password, or a file with a qualified signature. The
last signature activates the pact through the table."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core import uploads
from cocity.pacts.clauses import pact_text_hash
from cocity.pacts.models import Pact, Party, Status
from cocity.pacts.permissions import may_sign_for
from cocity.pacts.services.base import lock, now_or, record
from cocity.pacts.services.transitions import pact_transition

MAX_SIGNATURE_BYTES = 20 * 1024 * 1024


def _check_signature_file(upload: UploadedFile) -> None:
    """A PDF that parses or a CAdES envelope (.p7m) with a signer: ``uploads`` opens it."""
    try:
        uploads.check_signed_document(upload, MAX_SIGNATURE_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def pact_sign(
    *,
    actor: User,
    party: Party,
    password: str | None = None,
    signed_file: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Pact:
    """Sign for a party: in the platform after entering the password again, or by uploading
    the file signed with a qualified signature. The last signature makes the pact active."""
    pact = lock(party.pact)
    if pact.status != Status.AWAITING_SIGNATURE:
        raise ValidationError(_("The pact is not awaiting signatures."))
    party = (
        Party.objects.select_for_update(of=("self",))
        .select_related("pact__municipality")
        .get(pk=party.pk)
    )
    if not may_sign_for(actor, party):
        raise PermissionDenied(_("You may not sign for this party."))
    if party.signed_at is not None:
        raise ValidationError(_("This party has already signed."))
    if signed_file is not None:
        _check_signature_file(signed_file)
        party.signature_method = Party.Method.QUALIFIED
        party.signature_file_name = uploads.original_name(signed_file, "signed.pdf")
        party.signature_file.save(party.signature_file_name, signed_file, save=False)
    else:
        if not password or not check_password(password, actor.password):
            raise ValidationError({"password": _("The password is not correct.")})
        party.signature_method = Party.Method.PLATFORM
    now = now_or(at)
    party.signed_at = now
    party.signed_by = actor
    party.signed_text_hash = pact_text_hash(pact)
    if party.user_id is None and party.role != Party.Role.CITY and not party.organisation_id:
        party.user = actor
    party.save()
    record(
        pact,
        action="signed",
        actor=actor,
        at=now,
        data={"party": party.pk, "method": party.signature_method},
    )
    if not pact.parties.filter(signs=True, signed_at__isnull=True).exists():
        pact = pact_transition(
            actor=None, pact=pact, action="activate", at=now, data={"last_signature_by": actor.pk}
        )
    return pact
