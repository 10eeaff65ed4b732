"""Co-design: the articles of the pact, the meetings, the parties' commitments and the city's
supports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core.permissions import can
from cocity.pacts import limits
from cocity.pacts.models import (
    Clause,
    ClauseVersion,
    Commitment,
    Meeting,
    Pact,
    Party,
    Status,
    Support,
)
from cocity.pacts.services.base import announce, limit, lock, now_or, record, require


def _check_codesign(actor: User | None, pact: Pact) -> None:
    require(actor, "pacts.edit_text", pact, _("Only the parties and the office write the pact."))
    if pact.status != Status.CO_DESIGN:
        raise ValidationError(_("The text can be changed only during co-design."))


@transaction.atomic
def clause_edit(
    *,
    actor: User | None,
    clause: Clause,
    text: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Clause:
    """Save a new version of a clause; a form that saw an older version is refused."""
    pact = lock(clause.pact)
    _check_codesign(actor, pact)
    locked = Clause.objects.select_for_update().get(pk=clause.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _("Someone else changed this article meanwhile: reload the page to see their version.")
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("An article may not be empty.")})
    limit("text", text, limits.CLAUSE)
    if text == locked.text:
        return locked
    locked.version += 1
    locked.text = text
    locked.save(update_fields=["version", "text"])
    ClauseVersion.objects.create(clause=locked, number=locked.version, text=text, author=actor)
    record(
        pact,
        action="clause_edited",
        actor=actor,
        at=now_or(at),
        data={"clause": locked.key, "version": locked.version},
    )
    return locked


@transaction.atomic
def meeting_add(
    *,
    actor: User | None,
    pact: Pact,
    starts_at: dt.datetime,
    place: str = "",
    link: str = "",
    participants: str = "",
    minutes: str = "",
    at: dt.datetime | None = None,
) -> Meeting:
    locked = lock(pact)
    require(actor, "pacts.edit_text", locked, _("Only the parties and the office record meetings."))
    if locked.status not in (Status.EVALUATION, Status.CO_DESIGN, Status.AWAITING_APPROVAL):
        raise ValidationError(_("Meetings are recorded during evaluation and co-design."))
    if not place.strip() and not link.strip():
        raise ValidationError({"place": _("Give a place or an online link.")})
    limit("place", place, limits.MEETING_PLACE)
    limit("link", link, limits.MEETING_LINK)
    limit("participants", participants, limits.MEETING_PARTICIPANTS)
    limit("minutes", minutes, limits.MEETING_MINUTES)
    meeting = Meeting.objects.create(
        pact=locked,
        starts_at=starts_at,
        place=place.strip(),
        link=link.strip(),
        participants=participants.strip(),
        minutes=minutes.strip(),
        created_by=actor,
    )
    record(locked, action="meeting", actor=actor, at=now_or(at))
    return meeting


@transaction.atomic
def commitment_add(*, actor: User | None, pact: Pact, party: Party, text: str) -> Commitment:
    locked = lock(pact)
    _check_codesign(actor, locked)
    if party.pact_id != locked.pk:
        raise ValidationError(_("This party belongs to another pact."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the commitment.")})
    limit("text", text, limits.COMMITMENT)
    announce(locked)
    return Commitment.objects.create(
        pact=locked, party=party, text=text.strip(), position=locked.commitments.count()
    )


@transaction.atomic
def support_add(
    *, actor: User | None, pact: Pact, kind: str, description: str, estimated_value: Any = None
) -> Support:
    """What the city provides: recorded by the office, or asked by a party (then it waits for
    the office to confirm it, and counts nowhere until then)."""
    locked = lock(pact)
    _check_codesign(actor, locked)
    limit("description", description, limits.SUPPORT_DESCRIPTION)
    by_office = actor is None or can(actor, "pacts.act_as_office", locked)
    support = Support(
        pact=locked,
        kind=kind,
        description=description.strip(),
        estimated_value=estimated_value,
        status=Support.Status.CONFIRMED if by_office else Support.Status.REQUESTED,
        requested_by=None if by_office else actor,
    )
    if estimated_value is not None and estimated_value < 0:
        raise ValidationError({"estimated_value": _("The value may not be negative.")})
    support.full_clean()
    support.save()
    announce(locked)
    return support


@transaction.atomic
def support_decide(
    *, actor: User, support: Support, accept: bool, at: dt.datetime | None = None
) -> Support:
    """The office confirms a support a party asked for (it enters the text and the figures)
    or declines it."""
    pact = lock(support.pact)
    require(
        actor, "pacts.act_as_office", pact, _("Only the office decides what the city provides.")
    )
    if pact.status != Status.CO_DESIGN:
        raise ValidationError(_("What the city provides is decided during co-design."))
    locked = Support.objects.select_for_update().get(pk=support.pk)
    if locked.status != Support.Status.REQUESTED:
        raise ValidationError(_("This support has already been decided."))
    locked.status = Support.Status.CONFIRMED if accept else Support.Status.DECLINED
    locked.decided_at = now_or(at)
    locked.save(update_fields=["status", "decided_at"])
    announce(pact)
    return locked
