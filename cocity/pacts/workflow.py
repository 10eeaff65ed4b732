"""The life of a pact as a table (DESIGN.md section 3): each action, the statuses it starts
from, the status it leads to, who may perform it, the rule it must meet (``guards``), what it
changes besides the status (``services.effects``) and who is told. ``cocity.pacts.services``
is the only code that changes a pact's status, and it refuses anything not in this table.
``path`` gives the actions that lead a new proposal to any status, for the seeders and the
tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cocity.pacts import guards
from cocity.pacts.models import Status
from cocity.pacts.services import effects as fx

S = Status

# Statuses from which the proponent may still withdraw (any open step before the pact runs).
OPEN_STEPS = frozenset(
    {
        S.DRAFT,
        S.SUBMITTED,
        S.INCOMPLETE,
        S.CONSULTATION,
        S.EVALUATION,
        S.CO_DESIGN,
        S.AWAITING_APPROVAL,
        S.AWAITING_SIGNATURE,
    }
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str  # a rules permission, checked on the pact
    label: Promise
    needs_note: bool = False  # a reason is required and shown in the timeline
    # Who is told by e-mail (cocity/pacts/notices.py): "" nobody, "proponent", or "parties"
    # (every party with an account: the proponent, the co-signatories, the adherents).
    tells: str = ""
    # The rule besides the table and the permission (cocity/pacts/guards.py): raises
    # ValidationError saying why not; writes nothing.
    guard: Callable[[Any, Any], None] | None = None
    # What changes besides the status, in order (cocity/pacts/services/effects.py).
    effects: tuple[Callable[[Any, Any, Any], None], ...] = ()
    # The action opens a new pact in ``target`` and leaves this one as it is (renewal).
    opens_new: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit",
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            "pacts.act_as_proponent",
            _("Submit the proposal"),
            guard=guards.complete,
            effects=(fx.number, fx.submitted),
        ),
        Transition(
            "request_info",
            frozenset({S.SUBMITTED}),
            S.INCOMPLETE,
            "pacts.act_as_office",
            _("Ask for missing information"),
            needs_note=True,
            tells="proponent",
        ),
        Transition(
            "resubmit",
            frozenset({S.INCOMPLETE}),
            S.SUBMITTED,
            "pacts.act_as_proponent",
            _("Send the completed proposal"),
            guard=guards.complete,
            effects=(fx.resume_clock,),
        ),
        Transition(
            "publish",
            frozenset({S.SUBMITTED}),
            S.CONSULTATION,
            "pacts.act_as_office",
            _("Publish for consultation"),
            tells="parties",
            effects=(fx.open_consultation,),
        ),
        Transition(
            "skip_consultation",
            frozenset({S.SUBMITTED}),
            S.EVALUATION,
            "pacts.act_as_office",
            _("Evaluate without consultation"),
            tells="proponent",
            guard=guards.may_skip_consultation,
        ),
        Transition(
            "close_consultation",
            frozenset({S.CONSULTATION}),
            S.EVALUATION,
            "pacts.act_as_office",
            _("Close the consultation"),
            tells="proponent",
            guard=guards.consultation_over,
        ),
        Transition(
            "reject",
            frozenset({S.EVALUATION}),
            S.REJECTED,
            "pacts.act_as_office",
            _("Reject"),
            needs_note=True,
            tells="parties",
        ),
        Transition(
            "admit",
            frozenset({S.EVALUATION}),
            S.CO_DESIGN,
            "pacts.act_as_office",
            _("Admit to co-design"),
            tells="parties",
            effects=(fx.first_text, fx.city_party),
        ),
        Transition(
            "send_to_executive",
            frozenset({S.CO_DESIGN}),
            S.AWAITING_APPROVAL,
            "pacts.act_as_office",
            _("Send to the executive"),
            tells="parties",
            guard=guards.complex_pact,
        ),
        Transition(
            "approve",
            frozenset({S.CO_DESIGN, S.AWAITING_APPROVAL}),
            S.AWAITING_SIGNATURE,
            "pacts.approve",
            _("Approve the pact"),
            tells="parties",
            guard=guards.approvable,
            effects=(fx.approved, fx.city_party),
        ),
        Transition(
            "activate",
            frozenset({S.AWAITING_SIGNATURE}),
            S.ACTIVE,
            "pacts.act_as_system",
            _("All parties have signed"),
            tells="parties",
            guard=guards.all_signed,
            effects=(fx.term_dates, fx.fingerprint, fx.commons_taken),
        ),
        Transition(
            "suspend",
            frozenset({S.ACTIVE}),
            S.SUSPENDED,
            "pacts.act_as_office",
            _("Suspend"),
            needs_note=True,
            tells="parties",
        ),
        Transition(
            "resume",
            frozenset({S.SUSPENDED}),
            S.ACTIVE,
            "pacts.act_as_office",
            _("Resume"),
            tells="parties",
        ),
        Transition(
            "conclude",
            frozenset({S.ACTIVE}),
            S.CONCLUDED,
            "pacts.act_as_office",
            _("Conclude (end date reached)"),
            tells="parties",
            guard=guards.term_over,
            effects=(fx.commons_released,),
        ),
        Transition(
            "terminate",
            frozenset({S.ACTIVE, S.SUSPENDED}),
            S.TERMINATED,
            "pacts.act_as_office",
            _("Terminate"),
            needs_note=True,
            tells="parties",
            effects=(fx.commons_released,),
        ),
        Transition(
            "withdraw",
            OPEN_STEPS,
            S.WITHDRAWN,
            "pacts.act_as_proponent",
            _("Withdraw the proposal"),
        ),
        Transition(
            "archive",
            frozenset({S.SUBMITTED, S.INCOMPLETE, S.EVALUATION}),
            S.ARCHIVED,
            "pacts.act_as_office",
            _("Archive (no reply)"),
            needs_note=True,
            tells="proponent",
        ),
        Transition(
            "renew",
            frozenset({S.ACTIVE, S.CONCLUDED}),
            S.CO_DESIGN,
            "pacts.act_as_office",
            _("Renew the pact"),
            opens_new=True,
        ),
    )
}

# Statuses in which a pact waits for the office, with the regulation setting that gives the
# office's deadline (in days) for that step.
OFFICE_STEPS: dict[str, str] = {
    S.SUBMITTED: "completeness_check_days",
    S.CONSULTATION: "consultation_days",
    S.EVALUATION: "evaluation_days",
    S.CO_DESIGN: "evaluation_days",
    S.AWAITING_APPROVAL: "evaluation_days",
}

# Why a pact may be terminated.
TERMINATION_REASONS = {
    "breach": _("Breach of the pact"),
    "public_interest": _("Public interest"),
    "notice": _("Notice by the proponent"),
}


def allowed_actions(status: str) -> list[Transition]:
    """Transitions that the table allows from ``status`` (permission not considered); the
    renewal, which opens another pact, is offered apart."""
    return [t for t in TRANSITIONS.values() if status in t.sources and not t.opens_new]


def actions_for(user: Any, pact: Any, permission: str | None = None) -> list[Transition]:
    """The transitions the table allows now that ``user`` may perform (optionally only those
    of one permission); the platform's own transitions are never offered."""
    from cocity.core.permissions import can

    return [
        t
        for t in allowed_actions(pact.status)
        if t.permission != "pacts.act_as_system"
        and (permission is None or t.permission == permission)
        and can(user, t.permission, pact)
    ]


# Where a branch leaves the main line when no other status is asked for.
_LEFT_FROM: dict[str, str] = {
    S.WITHDRAWN: S.SUBMITTED,
    S.ARCHIVED: S.SUBMITTED,
    S.REJECTED: S.EVALUATION,
    S.SUSPENDED: S.ACTIVE,
    S.CONCLUDED: S.ACTIVE,
    S.TERMINATED: S.ACTIVE,
}
_BRANCH: dict[str, str] = {
    S.WITHDRAWN: "withdraw",
    S.ARCHIVED: "archive",
    S.REJECTED: "reject",
    S.SUSPENDED: "suspend",
    S.CONCLUDED: "conclude",
    S.TERMINATED: "terminate",
}


def path(
    target: str,
    *,
    complex_pact: bool = False,
    consultation: bool = True,
    asked_info: bool = False,
    leave: str | None = None,
) -> list[str]:
    """The actions of the table that take a new draft to ``target``, in order: the main line
    (submission, the office's request for missing information if ``asked_info``, the public
    consultation unless ``consultation`` is false, admission, the executive for a complex
    pact, approval, activation by the last signature), and for a status off the main line
    (withdrawn, archived, rejected, suspended, concluded, terminated) the branch taken from
    ``leave``, or from the usual status. Raises ``ValueError`` for a path the table does not
    allow (an ordinary pact awaiting the executive, a withdrawal from an active pact)."""
    if target in _BRANCH:
        actions = path(
            leave or _LEFT_FROM[target],
            complex_pact=complex_pact,
            consultation=consultation,
            asked_info=asked_info,
        )
        actions.append(_BRANCH[target])
    else:
        main = ["submit"]
        if asked_info or target == S.INCOMPLETE:
            main += ["request_info", "resubmit"]
        main += ["publish", "close_consultation"] if consultation else ["skip_consultation"]
        main += ["admit", *(["send_to_executive"] if complex_pact else []), "approve", "activate"]
        reached: list[str] = [S.DRAFT]
        for action in main:
            reached.append(TRANSITIONS[action].target)
        if target not in reached:
            raise ValueError(f"no path to {target} for this pact")
        last = len(reached) - 1 - reached[::-1].index(target)
        actions = main[:last]
    status: str = S.DRAFT
    for action in actions:
        transition = TRANSITIONS[action]
        if status not in transition.sources:
            raise ValueError(f"{action} is not possible from {status}")
        status = transition.target
    return actions
