"""The one transition service. ``pact_transition`` performs every change of status along the
table (``workflow.TRANSITIONS``): it checks the row, the actor's permission and the row's
guard, locks the pact row, refuses a form that saw an older version, applies the row's
effects, writes the ``PactEvent`` and mails the people the row names after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core.dates import short_date
from cocity.core.permissions import can
from cocity.notifications.services import email_send_on_commit
from cocity.pacts import limits, notices, selectors, workflow
from cocity.pacts.models import Pact, Status
from cocity.pacts.services.base import PactChanged, limit, lock, now_or, record

# Rules that time does not change: an action they block is not offered at all.
_NEVER_NOW_OR_LATER = {"skip_consultation", "send_to_executive", "approve"}


@dataclass(frozen=True)
class ActionOffer:
    """A transition as a person is offered it now: ``reason`` says why it cannot be done yet
    and from when ("" when it can)."""

    transition: workflow.Transition
    reason: str = ""

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> Any:
        return self.transition.label


def actions_offered(
    user: Any, pact: Pact, permission: str | None = None, today: dt.date | None = None
) -> list[ActionOffer]:
    """The transitions ``user`` may perform on the pact, with the rules of its municipality
    applied: those the rules never allow for this pact are left out, those that become
    possible later carry the reason. Writes nothing."""
    today = today or timezone.localdate()
    offers = []
    for transition in workflow.actions_for(user, pact, permission):
        try:
            if transition.guard is not None:
                transition.guard(pact, today)
        except ValidationError as exc:
            if transition.action in _NEVER_NOW_OR_LATER:
                continue
            offers.append(ActionOffer(transition, " ".join(exc.messages)))
        else:
            offers.append(ActionOffer(transition))
    return offers


def row(action: str) -> workflow.Transition:
    """The table's row of ``action``, or a ``ValidationError`` naming it."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    return transition


def check_row(
    transition: workflow.Transition, actor: User | None, locked: Pact, pact: Pact, version: Any
) -> None:
    """The row allows the action from the locked pact's status, and the actor may take it."""
    if locked.status not in transition.sources:
        if version is None and pact.status != locked.status:
            raise PactChanged()
        raise ValidationError(
            _("“%(action)s” is not possible while the pact is %(status)s.")
            % {"action": transition.label, "status": locked.get_status_display().lower()}
        )
    if actor is not None and not can(actor, transition.permission, locked):
        raise PermissionDenied(
            _("You may not perform “%(action)s” on this pact.") % {"action": transition.label}
        )


@transaction.atomic
def pact_transition(
    *,
    actor: User | None,
    pact: Pact,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
) -> Pact:
    """Perform ``action`` on the pact. ``actor=None`` is the platform itself (the daily
    command, the seed, the last signature); otherwise the actor needs the transition's
    permission on the pact. ``expected_version`` is the version the actor's page showed."""
    transition = row(action)
    if transition.opens_new:
        from cocity.pacts.services.renewal import pact_renew

        return pact_renew(actor=actor, pact=pact, at=at)
    locked = lock(pact, expected_version)
    check_row(transition, actor, locked, pact, expected_version)
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": _("Give a reason: it is shown in the pact's history.")})
    limit("note", note, limits.NOTE)
    now = now_or(at)
    today = timezone.localtime(now).date()
    if transition.guard is not None:
        transition.guard(locked, today)

    source = locked.status
    # Before the effects: resubmission reads the time the proposal entered ``incomplete``.
    previous_change = locked.status_changed_at or locked.created_at
    for effect in transition.effects:
        effect(locked, now, today)
    office_clock(locked, transition, now)
    locked.status = transition.target
    locked.version = F("version") + 1
    locked.status_changed_at = now
    locked.save()
    locked.refresh_from_db(fields=["version"])
    record(
        locked,
        action=action,
        actor=actor,
        at=now,
        note=note.strip(),
        from_status=source,
        to_status=transition.target,
        data=data,
        duration=now - previous_change if previous_change else None,
    )
    _notify(locked, transition, note)
    return locked


def office_clock(pact: Pact, transition: workflow.Transition, now: dt.datetime) -> None:
    """The office's clock: each of its steps starts its own; it stands still while the
    proposal is incomplete (``effects.resume_clock`` adds the pause) and stops when nothing
    waits for the office any more."""
    target = transition.target
    if transition.action == "resubmit":
        return
    if target in workflow.OFFICE_STEPS:
        pact.clock_started_at = now
        pact.clock_paused = dt.timedelta(0)
    elif target != Status.INCOMPLETE:
        pact.clock_started_at = None
        pact.clock_paused = None


def _notify(pact: Pact, transition: workflow.Transition, note: str) -> None:
    """Mail the people the transition's row names (``tells``) what happened and what they
    should do next (``cocity.pacts.notices``), each with the page of their next step."""
    audience = transition.tells
    notice = notices.NOTICES.get(transition.action)
    if not audience or notice is None:
        return
    recipients: list[User] = [pact.proponent]
    if audience == "parties":  # every party with an account, once each
        parties = pact.parties.select_related("user").filter(user__isnull=False).order_by("id")
        recipients = list({p.user.pk: p.user for p in parties if p.user is not None}.values())
    city = pact.municipality.slug
    params = {
        "title": pact.title,
        "number": pact.number,
        "until": short_date(pact.consultation_ends_on),
        "start": short_date(pact.start_date),
        "end": short_date(pact.end_date),
    }
    for user in recipients:
        owed = selectors.parties_to_sign(user, pact) if notice.link == "sign" else []
        if owed:
            link = reverse(
                "pacts:sign", kwargs={"city": city, "number": pact.number, "party": owed[0].pk}
            )
            next_step = notice.next_for_signer or notice.next
        else:
            link = _notice_link(pact, notice.link if notice.link != "sign" else "pact")
            next_step = notice.next
        email_send_on_commit(
            to=user.email,
            template="pacts/email/status",
            context={
                "pact": pact,
                "recipient": user,
                "subject": notice.subject,
                "happened": str(notice.happened) % params,
                "next": next_step,
                "link": link,
                "note": note,
            },
        )


def _notice_link(pact: Pact, page: str) -> str:
    city = pact.municipality.slug
    if page == "draft" or not pact.number:
        return reverse("pacts:draft", kwargs={"city": city, "pk": pact.pk})
    if page == "workspace":
        return reverse("pacts:workspace", kwargs={"city": city, "number": pact.number})
    return pact.url_for(city)


def pacts_conclude_due(*, today: dt.date | None = None) -> list[str]:
    """Conclude every active pact whose end date has passed (the daily command)."""
    today = today or timezone.localdate()
    done = []
    for pact in Pact.objects.filter(status=Status.ACTIVE, end_date__lt=today).only("pk", "status"):
        try:
            concluded = pact_transition(
                actor=None, pact=pact, action="conclude", note=_("End date reached")
            )
        except (ValidationError, PermissionDenied):
            continue  # changed meanwhile (suspended, renewed): the next run looks again
        done.append(concluded.number)
    return done
