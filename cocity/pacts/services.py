"""Writes on pacts. ``pact_transition`` performs every change of status: it checks the table
(``workflow.TRANSITIONS``), the actor's permission and the guards, locks the pact row, refuses
a form that saw an older version, writes the ``PactEvent`` and queues mail after commit.

Every service raises ``PermissionDenied`` or ``ValidationError`` having changed nothing."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import Membership, Organisation, User
from cocity.commons.models import Commons
from cocity.commons.services import commons_set_availability
from cocity.core import changes, uploads
from cocity.core.dates import short_date
from cocity.core.limits import check_text_lengths
from cocity.core.permissions import can
from cocity.municipalities.models import Municipality
from cocity.notifications.services import email_send_on_commit
from cocity.pacts import limits, notices, selectors, workflow
from cocity.pacts.clauses import clause_texts
from cocity.pacts.models import (
    Adhesion,
    Attachment,
    Category,
    Clause,
    ClauseVersion,
    Commitment,
    Meeting,
    Observation,
    Opinion,
    Pact,
    PactEvent,
    Party,
    ProtocolCounter,
    Status,
    Support,
)
from cocity.pacts.permissions import may_sign_for
from cocity.pacts.tasks import pact_pdf_changed

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
MAX_SIGNATURE_BYTES = 20 * 1024 * 1024


class PactChanged(ValidationError):
    """The pact changed since the page was loaded (someone else acted on it)."""

    def __init__(self) -> None:
        super().__init__(
            _("This pact has changed since you opened the page: reload it and try again."),
            code="stale",
        )


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _event(
    pact: Pact,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
    duration: dt.timedelta | None = None,
) -> PactEvent:
    """Record what happened, and announce it: whatever is recorded may change the pact's pages
    and figures, and what its PDF shows (its rendering is asked for after the commit; a copy
    already stored is not made again)."""
    _changed(pact)
    return PactEvent.objects.create(
        duration=duration,
        pact=pact,
        action=action,
        actor=actor,
        at=at,
        note=note,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def _changed(pact: Pact, *, pdf: bool = True) -> None:
    """Announce a change of the pact (its pages and figures) and, unless ``pdf`` is false (a
    draft has no text), ask for its PDF to be stored again."""
    changes.changed(municipality_id=pact.municipality_id, kind="pacts.pact", pk=pact.pk)
    if pdf:
        pact_pdf_changed(pact)


def _lock(pact: Pact, expected_version: int | None = None) -> Pact:
    # of=self: the joined municipality row stays unlocked (other pacts of the city go on).
    locked = (
        Pact.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pact.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise PactChanged()
    return locked


def _limit(field: str, text: str, limit: int) -> None:
    """Refuse, naming the field, a text longer than its limit (``cocity.pacts.limits``), as
    the forms do: the API, the seed and every other caller are held to the same limits."""
    check_text_lengths(values={field: text.strip()}, limits={field: limit})


def _require(actor: User | None, permission: str, pact: Pact, message: str) -> None:
    if actor is not None and not can(actor, permission, pact):
        raise PermissionDenied(message)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Drafting ---------------------------------------------------------------------------


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
    _limit("title", title, limits.TITLE)
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
    _event(pact, action="create", actor=actor, at=_now(at), to_status=Status.DRAFT)
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
    _check_duration(pact)


def _check_duration(pact: Pact) -> None:
    if pact.duration_months is None:
        return
    municipality = pact.municipality
    limit = (
        municipality.complex_max_months
        if pact.complexity == Pact.Complexity.COMPLEX
        else municipality.ordinary_max_months
    )
    if not 1 <= pact.duration_months <= limit:
        raise ValidationError(
            {
                "duration_months": _(
                    "In %(city)s a pact of this kind lasts at most %(limit)s months."
                )
                % {"city": municipality.name, "limit": limit}
            }
        )


@transaction.atomic
def pact_update_draft(
    *, actor: User, pact: Pact, expected_version: int | None = None, **fields: Any
) -> Pact:
    """Save a step of the proposal (while a draft, or incomplete after the office's request)."""
    locked = _lock(pact, expected_version)
    _require(actor, "pacts.edit_draft", locked, _("Only the proponent can edit the proposal."))
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
    _changed(locked, pdf=False)
    return locked


@transaction.atomic
def pact_invite_co_signatory(
    *, actor: User, pact: Pact, email: str, organisation: Organisation | None = None
) -> Party:
    """Invite a person (or an organisation, through that person) to sign with the proponent."""
    locked = _lock(pact)
    _require(actor, "pacts.edit_text", locked, _("Only the parties can invite co-signatories."))
    if locked.status not in (Status.DRAFT, Status.INCOMPLETE, Status.CO_DESIGN):
        raise ValidationError(_("Co-signatories are invited while drafting or in co-design."))
    _limit("email", email, limits.EMAIL)
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
    _event(locked, action="invite", actor=actor, at=timezone.now(), data={"party": party.pk})
    email_send_on_commit(
        to=email, template="pacts/email/invitation", context={"pact": locked, "actor": actor}
    )
    return party


def _assign_number(pact: Pact, at: dt.datetime) -> None:
    """A protocol-like number, TO-2026-0042: the counter row of the year is locked."""
    year = timezone.localtime(at).year
    try:
        with transaction.atomic():
            ProtocolCounter.objects.get_or_create(municipality=pact.municipality, year=year)
    except IntegrityError:
        pass  # created by a concurrent submission
    counter = ProtocolCounter.objects.select_for_update().get(
        municipality=pact.municipality, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    pact.number = f"{pact.municipality.code_prefix}-{year}-{counter.last:04d}"


# --- The one transition service -----------------------------------------------------------


def _guard(pact: Pact, action: str, today: dt.date) -> None:
    """The rules a transition must meet besides the table and the permission."""
    municipality = pact.municipality
    if action in {"submit", "resubmit"}:
        missing = [
            label
            for label, present in (
                (_("title"), pact.title),
                (_("category"), pact.category_id),
                (_("commons or place"), pact.commons_id or pact.place_name),
                (_("objectives"), pact.objectives.strip()),
                (_("activities"), pact.activities.strip()),
                (_("duration"), pact.duration_months),
            )
            if not present
        ]
        if missing:
            raise ValidationError(
                _("The proposal is not complete: %(fields)s are missing.")
                % {"fields": ", ".join(str(m) for m in missing)}
            )
        _check_duration(pact)
    elif action == "skip_consultation" and not (
        municipality.simple_pacts_skip_consultation and pact.complexity == Pact.Complexity.ORDINARY
    ):
        raise ValidationError(
            _("In %(city)s only ordinary pacts may skip the consultation.")
            % {"city": municipality.name}
            if municipality.simple_pacts_skip_consultation
            else _("In %(city)s every proposal goes through public consultation.")
            % {"city": municipality.name}
        )
    elif (
        action == "close_consultation"
        and pact.consultation_ends_on
        and today < pact.consultation_ends_on
    ):
        raise ValidationError(
            _("The consultation is open until %(day)s: it can be closed from that day.")
            % {"day": short_date(pact.consultation_ends_on)}
        )
    elif action == "send_to_executive" and pact.complexity != Pact.Complexity.COMPLEX:
        raise ValidationError(_("Only complex pacts go to the executive."))
    elif action == "approve":
        if pact.status == Status.CO_DESIGN and pact.complexity == Pact.Complexity.COMPLEX:
            raise ValidationError(
                _("A complex pact is approved by the executive: send it there first.")
            )
        if not pact.clauses.exists():
            raise ValidationError(_("The pact has no text yet."))
    elif action == "activate":
        if pact.parties.filter(signs=True, signed_at__isnull=True).exists():
            raise ValidationError(_("Not every party has signed yet."))
    elif action == "conclude" and (pact.end_date is None or pact.end_date > today):
        raise ValidationError(
            _("The pact runs until %(day)s: it can be concluded from that day.")
            % {"day": short_date(pact.end_date)}
        )


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
            _guard(pact, transition.action, today)
        except ValidationError as exc:
            if transition.action in _NEVER_NOW_OR_LATER:
                continue
            offers.append(ActionOffer(transition, " ".join(exc.messages)))
        else:
            offers.append(ActionOffer(transition))
    return offers


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
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    locked = _lock(pact, expected_version)
    if locked.status not in transition.sources:
        if expected_version is None and pact.status != locked.status:
            raise PactChanged()
        raise ValidationError(
            _("“%(action)s” is not possible while the pact is %(status)s.")
            % {"action": transition.label, "status": locked.get_status_display().lower()}
        )
    if actor is not None and not can(actor, transition.permission, locked):
        raise PermissionDenied(
            _("You may not perform “%(action)s” on this pact.") % {"action": transition.label}
        )
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": _("Give a reason: it is shown in the pact's history.")})
    _limit("note", note, limits.NOTE)
    now = _now(at)
    today = timezone.localtime(now).date()
    _guard(locked, action, today)

    source = locked.status
    # Before the effects: resubmission reads the time the proposal entered ``incomplete``.
    previous_change = locked.status_changed_at or locked.created_at
    _apply_effects(locked, action, transition.target, now, today, data or {})
    locked.status = transition.target
    locked.version = F("version") + 1
    locked.status_changed_at = now
    locked.save()
    locked.refresh_from_db(fields=["version"])
    _event(
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
    _notify(locked, action, note)
    return locked


def _apply_effects(
    pact: Pact, action: str, target: str, now: dt.datetime, today: dt.date, data: dict[str, Any]
) -> None:
    """What a transition changes besides the status: the number, the office's clock, the
    consultation's end, the text, the dates of an active pact."""
    municipality = pact.municipality
    if action == "submit":
        _assign_number(pact, now)
        pact.submitted_at = now
    if action == "resubmit":
        # The office's clock stood still while the proposal was incomplete.
        paused_since = pact.status_changed_at or now
        pact.clock_paused = (pact.clock_paused or dt.timedelta(0)) + (now - paused_since)
    elif target in workflow.OFFICE_STEPS:
        pact.clock_started_at = now  # a new step of the office starts its own clock
        pact.clock_paused = dt.timedelta(0)
    elif target != Status.INCOMPLETE:
        pact.clock_started_at = None  # nothing waits for the office any more
        pact.clock_paused = None
    if action == "publish":
        pact.consultation_ends_on = today + dt.timedelta(days=municipality.consultation_days)
    elif action == "admit":
        _create_clauses(pact)
        _ensure_city_party(pact)  # the city commits itself during co-design too
    elif action == "approve":
        pact.approved_at = now
        _ensure_city_party(pact)
    elif action == "activate":
        pact.start_date = max(today, pact.desired_start or today)
        pact.end_date = add_months(pact.start_date, pact.duration_months or 12)
        pact.signed_text_hash = pact_text_hash(pact)
    _follow_on_commons(pact, action)


def _follow_on_commons(pact: Pact, action: str) -> None:
    """A commons is "under a pact" while one runs on it, and open again when none does."""
    if pact.commons is None:
        return
    if action == "activate":
        commons_set_availability(commons=pact.commons, availability=Commons.Availability.UNDER_PACT)
    elif (
        action in {"conclude", "terminate"}
        and not Pact.objects.filter(
            commons=pact.commons, status__in=[Status.ACTIVE, Status.SUSPENDED]
        )
        .exclude(pk=pact.pk)
        .exists()
    ):
        commons_set_availability(commons=pact.commons, availability=Commons.Availability.OPEN)


def _create_clauses(pact: Pact) -> None:
    if pact.clauses.exists():
        return
    texts = clause_texts(
        commons=pact.commons.name if pact.commons else pact.place_name,
        objectives=pact.objectives,
        activities=pact.activities,
        duration=pact.duration_months or 12,
        report_interval=pact.municipality.report_interval_months,
        desired_start=short_date(pact.desired_start, empty="non indicata"),
    )
    for position, (key, title, body) in enumerate(texts, start=1):
        clause = Clause.objects.create(
            pact=pact, key=key, title=title, position=position, text=body
        )
        ClauseVersion.objects.create(clause=clause, number=1, text=body, author=None)


def _ensure_city_party(pact: Pact) -> None:
    if not pact.parties.filter(role=Party.Role.CITY).exists():
        Party.objects.create(pact=pact, role=Party.Role.CITY)


def _notify(pact: Pact, action: str, note: str) -> None:
    """Mail the people the transition's row names (``tells``) what happened and what they
    should do next (``cocity.pacts.notices``), each with the page of their next step."""
    audience = workflow.TRANSITIONS[action].tells
    notice = notices.NOTICES.get(action)
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


def pact_text_hash(pact: Pact) -> str:
    """SHA-256 of what the parties sign: the articles, the commitments and the supports."""
    digest = hashlib.sha256()
    for title, text in pact.clauses.order_by("position").values_list("title", "text"):
        digest.update(f"{title}\n{text}\n\n".encode())
    for party_id, text in pact.commitments.order_by("id").values_list("party_id", "text"):
        digest.update(f"commitment {party_id}: {text}\n".encode())
    for kind, description, value in pact.supports.order_by("id").values_list(
        "kind", "description", "estimated_value"
    ):
        digest.update(f"support {kind}: {description} ({value})\n".encode())
    return digest.hexdigest()


# --- Consultation ------------------------------------------------------------------------


@transaction.atomic
def observation_add(*, actor: User, pact: Pact, text: str) -> Observation:
    locked = _lock(pact)
    if locked.status != Status.CONSULTATION:
        raise ValidationError(_("Observations are accepted only during the consultation."))
    if not text.strip():
        raise ValidationError({"text": _("Write your observation.")})
    _limit("text", text, limits.OBSERVATION)
    observation = Observation.objects.create(pact=locked, author=actor, text=text.strip())
    _event(locked, action="observation", actor=actor, at=timezone.now())
    return observation


@transaction.atomic
def observation_hide(*, actor: User, observation: Observation, reason: str) -> Observation:
    pact = _lock(observation.pact)
    _require(actor, "pacts.moderate", pact, _("Only the office moderates observations."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give a reason: it stays visible in place of the observation.")}
        )
    _limit("reason", reason, limits.HIDDEN_REASON)
    observation.hidden_at = timezone.now()
    observation.hidden_reason = reason.strip()
    observation.hidden_by = actor
    observation.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    _event(pact, action="observation_hidden", actor=actor, at=timezone.now(), note=reason)
    return observation


@transaction.atomic
def adhesion_request(
    *, actor: User, pact: Pact, offer: str, organisation: Organisation | None = None
) -> Adhesion:
    """Ask to join: during the consultation, or later on an active pact (the office decides)."""
    locked = _lock(pact)
    if locked.status not in (Status.CONSULTATION, Status.ACTIVE):
        raise ValidationError(
            _("You can ask to join during the consultation or while the pact is active.")
        )
    if not offer.strip():
        raise ValidationError({"offer": _("Say what you offer to the pact.")})
    _limit("offer", offer, limits.ADHESION_OFFER)
    if Adhesion.objects.filter(pact=locked, user=actor, status=Adhesion.Status.PENDING).exists():
        raise ValidationError(_("You have already asked to join this pact."))
    adhesion = Adhesion.objects.create(
        pact=locked, user=actor, organisation=organisation, offer=offer.strip()
    )
    _event(locked, action="adhesion", actor=actor, at=timezone.now())
    return adhesion


@transaction.atomic
def adhesion_decide(*, actor: User, adhesion: Adhesion, accept: bool) -> Adhesion:
    pact = _lock(adhesion.pact)
    _require(actor, "pacts.moderate", pact, _("Only the office decides on adhesions."))
    adhesion = Adhesion.objects.select_for_update().get(pk=adhesion.pk)
    if adhesion.status != Adhesion.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    adhesion.status = Adhesion.Status.ACCEPTED if accept else Adhesion.Status.DECLINED
    adhesion.decided_at = timezone.now()
    adhesion.decided_by = actor
    adhesion.save(update_fields=["status", "decided_at", "decided_by"])
    if accept:
        Party.objects.create(
            pact=pact,
            role=Party.Role.ADHERENT,
            user=adhesion.user,
            organisation=adhesion.organisation,
            signs=False,
        )
    _event(
        pact,
        action="adhesion_accepted" if accept else "adhesion_declined",
        actor=actor,
        at=timezone.now(),
    )
    return adhesion


# --- Opinions of departments ---------------------------------------------------------------


@transaction.atomic
def opinion_request(*, actor: User, pact: Pact, department: str, question: str) -> Opinion:
    locked = _lock(pact)
    _require(actor, "pacts.act_as_office", locked, _("Only the office asks for opinions."))
    if locked.status not in (
        Status.SUBMITTED,
        Status.CONSULTATION,
        Status.EVALUATION,
        Status.CO_DESIGN,
    ):
        raise ValidationError(_("Opinions are asked while the proposal is examined."))
    if not department.strip() or not question.strip():
        raise ValidationError(_("Name the department and write the question."))
    _limit("department", department, limits.DEPARTMENT)
    _limit("question", question, limits.OPINION_QUESTION)
    opinion = Opinion.objects.create(
        pact=locked, department=department.strip(), question=question.strip(), requested_by=actor
    )
    _event(
        locked,
        action="opinion_requested",
        actor=actor,
        at=timezone.now(),
        data={"department": opinion.department},
    )
    return opinion


@transaction.atomic
def opinion_answer(*, actor: User, opinion: Opinion, answer: str, favourable: bool) -> Opinion:
    pact = _lock(opinion.pact)
    _require(actor, "pacts.answer_opinion", pact, _("Only the city's staff give opinions."))
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.answered_at is not None:
        raise ValidationError(_("This opinion has already been given."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the opinion.")})
    _limit("answer", answer, limits.OPINION_ANSWER)
    opinion.answer, opinion.favourable = answer.strip(), favourable
    opinion.answered_by, opinion.answered_at = actor, timezone.now()
    opinion.save()
    _event(
        pact,
        action="opinion_given",
        actor=actor,
        at=timezone.now(),
        data={"department": opinion.department, "favourable": favourable},
    )
    return opinion


# --- Co-design -------------------------------------------------------------------------------


def _check_codesign(actor: User | None, pact: Pact) -> None:
    _require(actor, "pacts.edit_text", pact, _("Only the parties and the office write the pact."))
    if pact.status != Status.CO_DESIGN:
        raise ValidationError(_("The text can be changed only during co-design."))


@transaction.atomic
def clause_edit(
    *, actor: User | None, clause: Clause, text: str, expected_version: int | None = None
) -> Clause:
    """Save a new version of a clause; a form that saw an older version is refused."""
    pact = _lock(clause.pact)
    _check_codesign(actor, pact)
    locked = Clause.objects.select_for_update().get(pk=clause.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _("Someone else changed this article meanwhile: reload the page to see their version.")
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("An article may not be empty.")})
    _limit("text", text, limits.CLAUSE)
    if text == locked.text:
        return locked
    locked.version += 1
    locked.text = text
    locked.save(update_fields=["version", "text"])
    ClauseVersion.objects.create(clause=locked, number=locked.version, text=text, author=actor)
    _event(
        pact,
        action="clause_edited",
        actor=actor,
        at=timezone.now(),
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
) -> Meeting:
    locked = _lock(pact)
    _require(
        actor, "pacts.edit_text", locked, _("Only the parties and the office record meetings.")
    )
    if locked.status not in (Status.EVALUATION, Status.CO_DESIGN, Status.AWAITING_APPROVAL):
        raise ValidationError(_("Meetings are recorded during evaluation and co-design."))
    if not place.strip() and not link.strip():
        raise ValidationError({"place": _("Give a place or an online link.")})
    _limit("place", place, limits.MEETING_PLACE)
    _limit("link", link, limits.MEETING_LINK)
    _limit("participants", participants, limits.MEETING_PARTICIPANTS)
    _limit("minutes", minutes, limits.MEETING_MINUTES)
    meeting = Meeting.objects.create(
        pact=locked,
        starts_at=starts_at,
        place=place.strip(),
        link=link.strip(),
        participants=participants.strip(),
        minutes=minutes.strip(),
        created_by=actor,
    )
    _event(locked, action="meeting", actor=actor, at=timezone.now())
    return meeting


@transaction.atomic
def commitment_add(*, actor: User | None, pact: Pact, party: Party, text: str) -> Commitment:
    locked = _lock(pact)
    _check_codesign(actor, locked)
    if party.pact_id != locked.pk:
        raise ValidationError(_("This party belongs to another pact."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the commitment.")})
    _limit("text", text, limits.COMMITMENT)
    _changed(locked)
    return Commitment.objects.create(
        pact=locked, party=party, text=text.strip(), position=locked.commitments.count()
    )


@transaction.atomic
def support_add(
    *, actor: User | None, pact: Pact, kind: str, description: str, estimated_value: Any = None
) -> Support:
    locked = _lock(pact)
    _check_codesign(actor, locked)
    _limit("description", description, limits.SUPPORT_DESCRIPTION)
    support = Support(
        pact=locked, kind=kind, description=description.strip(), estimated_value=estimated_value
    )
    if estimated_value is not None and estimated_value < 0:
        raise ValidationError({"estimated_value": _("The value may not be negative.")})
    support.full_clean()
    support.save()
    _changed(locked)
    return support


# --- Signatures --------------------------------------------------------------------------


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
    pact = _lock(party.pact)
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
    now = _now(at)
    party.signed_at = now
    party.signed_by = actor
    party.signed_text_hash = pact_text_hash(pact)
    if party.user_id is None and party.role != Party.Role.CITY and not party.organisation_id:
        party.user = actor
    party.save()
    _event(
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


# --- Renewal, conclusion, attachments ----------------------------------------------------


@transaction.atomic
def pact_renew(*, actor: User | None, pact: Pact, at: dt.datetime | None = None) -> Pact:
    """Open a new pact in co-design, linked to the old one, with the same parties and text."""
    old = _lock(pact)
    _require(actor, "pacts.act_as_office", old, _("Only the office renews pacts."))
    if old.status not in (Status.ACTIVE, Status.CONCLUDED):
        raise ValidationError(_("Only an active or concluded pact can be renewed."))
    now = _now(at)
    new = Pact.objects.create(
        municipality=old.municipality,
        title=old.title,
        category=old.category,
        complexity=old.complexity,
        commons=old.commons,
        place_name=old.place_name,
        place_lon=old.place_lon,
        place_lat=old.place_lat,
        objectives=old.objectives,
        activities=old.activities,
        people_involved=old.people_involved,
        support_requested=old.support_requested,
        duration_months=old.duration_months,
        proponent=old.proponent,
        proponent_organisation=old.proponent_organisation,
        renewal_of=old,
        status=Status.CO_DESIGN,
        submitted_at=now,
        status_changed_at=now,
        clock_started_at=now,
        clock_paused=dt.timedelta(0),
    )
    _assign_number(new, now)
    new.save(update_fields=["number"])
    for party in old.parties.exclude(role=Party.Role.ADHERENT):
        Party.objects.create(
            pact=new,
            role=party.role,
            user=party.user,
            organisation=party.organisation,
            invited_email=party.invited_email,
        )
    for clause in old.clauses.all():
        copy = Clause.objects.create(
            pact=new, key=clause.key, title=clause.title, position=clause.position, text=clause.text
        )
        ClauseVersion.objects.create(clause=copy, number=1, text=clause.text, author=actor)
    _event(
        new,
        action="renewal",
        actor=actor,
        at=now,
        to_status=Status.CO_DESIGN,
        data={"renewal_of": old.number},
    )
    _event(old, action="renewed", actor=actor, at=now, data={"renewal": new.number})
    return new


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


@transaction.atomic
def attachment_add(
    *, actor: User, pact: Pact, upload: UploadedFile, title: str, public: bool = False
) -> Attachment:
    """A document of the pact. Unless ``public``, only the parties and the city see it (an
    identity document, a private letter); public ones show on the pact's page once the pact
    is public."""
    locked = _lock(pact)
    _require(actor, "pacts.edit_text", locked, _("Only the parties and the office add documents."))
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    _limit("title", title, limits.ATTACHMENT_TITLE)
    try:
        content_type = uploads.check_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = Attachment(
        pact=locked,
        title=title.strip(),
        content_type=content_type,
        size=upload.size or 0,
        public=public,
        uploaded_by=actor,
    )
    attachment.original_name = uploads.original_name(upload)
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment.save()
    _event(locked, action="attachment", actor=actor, at=timezone.now())
    return attachment


@transaction.atomic
def category_create(
    *, municipality: Municipality, name: str, description: str = "", position: int = 0
) -> Category:
    from django.utils.text import slugify

    _limit("name", name, limits.CATEGORY_NAME)
    _limit("description", description, limits.CATEGORY_DESCRIPTION)
    category = Category(
        municipality=municipality,
        name=name.strip(),
        slug=slugify(name)[:120],
        description=description,
        position=position,
    )
    category.full_clean()
    category.save()
    changes.changed(municipality_id=municipality.pk, kind="pacts.category", pk=category.pk)
    return category
