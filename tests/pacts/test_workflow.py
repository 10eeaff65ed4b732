"""The transition table, exhaustively: every action from every status. An action in the table
succeeds (for the right actor, with its guards met) and lands on its target; any other is
refused with a message and changes nothing: no status, no version, no event, no mail."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from cocity.pacts import services, workflow
from cocity.pacts.models import Pact, PactEvent, Status
from tests.pacts.factories import Cast, PactFactory, meet_guards


def test_every_status_is_reachable_and_every_action_known():
    targets = {t.target for t in workflow.TRANSITIONS.values()}
    assert targets | {Status.DRAFT} == set(Status.values)
    for transition in workflow.TRANSITIONS.values():
        assert transition.sources <= set(Status.values)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_each_action_from_each_status(torino, status):
    translation.activate("en")
    cast = Cast(torino)
    complexity = "complex" if status == Status.AWAITING_APPROVAL else "ordinary"
    pact = PactFactory(cast=cast, status=status, complexity=complexity)
    for action, transition in workflow.TRANSITIONS.items():
        before = (pact.status, pact.version, PactEvent.objects.filter(pact=pact).count())
        with transaction.atomic():  # each action is tried on the same pact, then undone
            if status in transition.sources:
                _allowed(cast, pact, action, transition)
            else:
                outbox = len(mail.outbox)
                actor = cast.actor_for(pact, action) if action != "activate" else None
                with pytest.raises(ValidationError) as exc:
                    services.pact_transition(actor=actor, pact=pact, action=action, note="Motivo")
                assert "is not possible while the pact is" in exc.value.messages[0]
                pact.refresh_from_db()
                after = (pact.status, pact.version, PactEvent.objects.filter(pact=pact).count())
                assert after == before, action
                assert len(mail.outbox) == outbox
            transaction.set_rollback(True)


def _allowed(cast: Cast, pact: Pact, action: str, transition: workflow.Transition) -> None:
    """The action, allowed from the pact's status, succeeds with its guards met and its
    event recorded; the renewal opens a new pact and leaves this one as it is."""
    status = pact.status
    if action in {"send_to_executive"} or (
        action == "approve" and status == Status.AWAITING_APPROVAL
    ):
        Pact.objects.filter(pk=pact.pk).update(complexity="complex")
    elif action == "approve":
        Pact.objects.filter(pk=pact.pk).update(complexity="ordinary")
    candidate = meet_guards(Pact.objects.get(pk=pact.pk), action)
    actor = None if action == "activate" else cast.actor_for(candidate, action)
    note = "Motivo" if transition.needs_note else ""
    result = services.pact_transition(actor=actor, pact=candidate, action=action, note=note)
    assert result.status == transition.target, action
    if transition.opens_new:
        assert result.renewal_of_id == pact.pk
        assert Pact.objects.get(pk=pact.pk).status == status
        event = PactEvent.objects.filter(pact=result).latest("at", "id")
        assert (event.action, event.to_status) == ("renewal", transition.target)
    else:
        event = PactEvent.objects.filter(pact=pact).latest("at", "id")
        assert (event.action, event.from_status, event.to_status) == (
            action,
            status,
            transition.target,
        )


@pytest.mark.django_db
def test_unknown_action_is_refused(torino):
    pact = PactFactory(cast=Cast(torino), status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.pact_transition(actor=None, pact=pact, action="teleport")


@pytest.mark.django_db
def test_a_complex_pact_goes_through_the_executive(torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.CO_DESIGN, complexity="complex")

    with pytest.raises(PermissionDenied):  # a manager approves ordinary pacts only
        services.pact_transition(actor=cast.manager, pact=pact, action="approve")
    with translation.override("en"), pytest.raises(ValidationError, match="executive"):
        services.pact_transition(actor=cast.executive, pact=pact, action="approve")

    pact = services.pact_transition(actor=cast.office, pact=pact, action="send_to_executive")
    pact = services.pact_transition(actor=cast.executive, pact=pact, action="approve")
    pact = cast.sign_all(pact)
    assert pact.status == Status.ACTIVE
    assert [e.action for e in pact.events.order_by("at", "id") if e.to_status][-3:] == [
        "send_to_executive",
        "approve",
        "activate",
    ]
