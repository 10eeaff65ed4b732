"""The bulk variant of the pact services, for the national seed: many pacts written at once
with COPY (``cocity.core.bulk``) instead of one transition at a time. The statuses, the
dates the table's effects set and the events come from the same table
(``workflow.TRANSITIONS``) and the same rules as ``pact_transition``; only the side rows
(articles, parties, signatures) are the caller's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cocity.core.bulk import bulk_insert
from cocity.pacts import workflow
from cocity.pacts.models import Pact, PactEvent, Status
from cocity.pacts.services import effects
from cocity.pacts.services.base import event_build
from cocity.pacts.services.transitions import office_clock


@dataclass
class Lived:
    """One transition of a pact's past: the action, when, by whom (``None``: the platform)."""

    action: str
    at: dt.datetime
    actor_id: int | None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def pact_lived(pact: Pact, steps: Sequence[Lived]) -> list[PactEvent]:
    """Set on the unsaved ``pact`` (a draft created at ``pact.created_at`` by its proponent)
    what the transitions ``steps`` would have set, in order: its status, version, the
    submission, the office's clock, the consultation's end, the approval and the term; and
    return the events they record, the creation first, not saved. The protocol number and
    the signed text's fingerprint are the caller's (``numbering.BulkNumbers``,
    ``clauses.text_hash``). Raises ``ValueError`` for a step the table does not allow."""
    pact.status = Status.DRAFT
    events = [
        event_build(
            pact,
            action="create",
            actor_id=pact.proponent_id,
            at=pact.created_at,
            to_status=Status.DRAFT,
        )
    ]
    previous = pact.created_at
    for step in steps:
        transition = workflow.TRANSITIONS[step.action]
        if pact.status not in transition.sources or transition.opens_new:
            raise ValueError(f"{step.action} is not possible from {pact.status}")
        today = timezone.localtime(step.at).date()
        for effect in transition.effects:
            if effect in effects.PURE:
                effect(pact, step.at, today)
        office_clock(pact, transition, step.at)
        events.append(
            event_build(
                pact,
                action=step.action,
                actor_id=step.actor_id,
                at=step.at,
                note=step.note,
                from_status=pact.status,
                to_status=transition.target,
                data=step.data,
                duration=step.at - previous,
            )
        )
        pact.status = transition.target
        pact.status_changed_at = previous = step.at
    pact.version = 1 + len(steps)
    pact.updated_at = previous
    return events


def event(pact: Pact, **fields: Any) -> PactEvent:
    """An event besides the transitions (a signature, an observation), not saved."""
    return event_build(pact, **fields)


def pacts_write(pacts: Sequence[Pact]) -> None:
    """Write the pacts that ``pact_lived`` prepared, in one COPY."""
    bulk_insert(Pact, pacts)


def events_write(events: Sequence[PactEvent]) -> None:
    bulk_insert(PactEvent, events)
