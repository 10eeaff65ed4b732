"""The life of a pact as a table (DESIGN.md section 3): each action, the statuses it starts
from, the status it leads to, and who may perform it. ``services.pact_transition`` is the only
code that changes a pact's status, and it refuses anything not in this table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cocity.pacts.models import Status

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


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit",
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            "pacts.act_as_proponent",
            _("Submit the proposal"),
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
        ),
        Transition(
            "publish",
            frozenset({S.SUBMITTED}),
            S.CONSULTATION,
            "pacts.act_as_office",
            _("Publish for consultation"),
            tells="parties",
        ),
        Transition(
            "skip_consultation",
            frozenset({S.SUBMITTED}),
            S.EVALUATION,
            "pacts.act_as_office",
            _("Evaluate without consultation"),
            tells="proponent",
        ),
        Transition(
            "close_consultation",
            frozenset({S.CONSULTATION}),
            S.EVALUATION,
            "pacts.act_as_office",
            _("Close the consultation"),
            tells="proponent",
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
        ),
        Transition(
            "send_to_executive",
            frozenset({S.CO_DESIGN}),
            S.AWAITING_APPROVAL,
            "pacts.act_as_office",
            _("Send to the executive"),
            tells="parties",
        ),
        Transition(
            "approve",
            frozenset({S.CO_DESIGN, S.AWAITING_APPROVAL}),
            S.AWAITING_SIGNATURE,
            "pacts.approve",
            _("Approve the pact"),
            tells="parties",
        ),
        Transition(
            "activate",
            frozenset({S.AWAITING_SIGNATURE}),
            S.ACTIVE,
            "pacts.act_as_system",
            _("All parties have signed"),
            tells="parties",
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
        ),
        Transition(
            "terminate",
            frozenset({S.ACTIVE, S.SUSPENDED}),
            S.TERMINATED,
            "pacts.act_as_office",
            _("Terminate"),
            needs_note=True,
            tells="parties",
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
    """Transitions that the table allows from ``status`` (permission not considered)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


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
