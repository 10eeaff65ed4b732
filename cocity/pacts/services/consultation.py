"""The public consultation and the examination: observations, requests to join, opinions of
the city's departments. ``at`` (the seed) records the moment instead of now."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.accounts.models import Organisation, User
from cocity.pacts import limits
from cocity.pacts.models import Adhesion, Observation, Opinion, Pact, Party, Status
from cocity.pacts.services.base import limit, lock, now_or, record, require


@transaction.atomic
def observation_add(
    *, actor: User, pact: Pact, text: str, at: dt.datetime | None = None
) -> Observation:
    locked = lock(pact)
    if locked.status != Status.CONSULTATION:
        raise ValidationError(_("Observations are accepted only during the consultation."))
    if not text.strip():
        raise ValidationError({"text": _("Write your observation.")})
    limit("text", text, limits.OBSERVATION)
    observation = Observation.objects.create(pact=locked, author=actor, text=text.strip())
    record(locked, action="observation", actor=actor, at=now_or(at))
    return observation


@transaction.atomic
def observation_hide(
    *, actor: User, observation: Observation, reason: str, at: dt.datetime | None = None
) -> Observation:
    pact = lock(observation.pact)
    require(actor, "pacts.moderate", pact, _("Only the office moderates observations."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give a reason: it stays visible in place of the observation.")}
        )
    limit("reason", reason, limits.HIDDEN_REASON)
    now = now_or(at)
    observation.hidden_at = now
    observation.hidden_reason = reason.strip()
    observation.hidden_by = actor
    observation.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    record(pact, action="observation_hidden", actor=actor, at=now, note=reason)
    return observation


@transaction.atomic
def adhesion_request(
    *,
    actor: User,
    pact: Pact,
    offer: str,
    organisation: Organisation | None = None,
    at: dt.datetime | None = None,
) -> Adhesion:
    """Ask to join: during the consultation, or later on an active pact (the office decides).
    Not for those already in the pact, nor for the city's staff."""
    locked = lock(pact)
    require(
        actor,
        "pacts.ask_to_join",
        locked,
        _("You are already part of this pact, or you act for the city: you cannot ask to join."),
    )
    if locked.status not in (Status.CONSULTATION, Status.ACTIVE):
        raise ValidationError(
            _("You can ask to join during the consultation or while the pact is active.")
        )
    if not offer.strip():
        raise ValidationError({"offer": _("Say what you offer to the pact.")})
    limit("offer", offer, limits.ADHESION_OFFER)
    if Adhesion.objects.filter(pact=locked, user=actor, status=Adhesion.Status.PENDING).exists():
        raise ValidationError(_("You have already asked to join this pact."))
    adhesion = Adhesion.objects.create(
        pact=locked, user=actor, organisation=organisation, offer=offer.strip()
    )
    record(locked, action="adhesion", actor=actor, at=now_or(at))
    return adhesion


@transaction.atomic
def adhesion_decide(
    *, actor: User, adhesion: Adhesion, accept: bool, at: dt.datetime | None = None
) -> Adhesion:
    pact = lock(adhesion.pact)
    require(actor, "pacts.moderate", pact, _("Only the office decides on adhesions."))
    adhesion = Adhesion.objects.select_for_update().get(pk=adhesion.pk)
    if adhesion.status != Adhesion.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    now = now_or(at)
    adhesion.status = Adhesion.Status.ACCEPTED if accept else Adhesion.Status.DECLINED
    adhesion.decided_at = now
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
    record(pact, action="adhesion_accepted" if accept else "adhesion_declined", actor=actor, at=now)
    return adhesion


@transaction.atomic
def opinion_request(
    *, actor: User, pact: Pact, department: str, question: str, at: dt.datetime | None = None
) -> Opinion:
    locked = lock(pact)
    require(actor, "pacts.act_as_office", locked, _("Only the office asks for opinions."))
    if locked.status not in (
        Status.SUBMITTED,
        Status.CONSULTATION,
        Status.EVALUATION,
        Status.CO_DESIGN,
    ):
        raise ValidationError(_("Opinions are asked while the proposal is examined."))
    if not department.strip() or not question.strip():
        raise ValidationError(_("Name the department and write the question."))
    limit("department", department, limits.DEPARTMENT)
    limit("question", question, limits.OPINION_QUESTION)
    opinion = Opinion.objects.create(
        pact=locked, department=department.strip(), question=question.strip(), requested_by=actor
    )
    record(
        locked,
        action="opinion_requested",
        actor=actor,
        at=now_or(at),
        data={"department": opinion.department},
    )
    return opinion


@transaction.atomic
def opinion_answer(
    *,
    actor: User,
    opinion: Opinion,
    answer: str,
    favourable: bool,
    at: dt.datetime | None = None,
) -> Opinion:
    pact = lock(opinion.pact)
    require(actor, "pacts.answer_opinion", pact, _("Only the city's staff give opinions."))
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.answered_at is not None:
        raise ValidationError(_("This opinion has already been given."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the opinion.")})
    limit("answer", answer, limits.OPINION_ANSWER)
    now = now_or(at)
    opinion.answer, opinion.favourable = answer.strip(), favourable
    opinion.answered_by, opinion.answered_at = actor, now
    opinion.save()
    record(
        pact,
        action="opinion_given",
        actor=actor,
        at=now,
        data={"department": opinion.department, "favourable": favourable},
    )
    return opinion
