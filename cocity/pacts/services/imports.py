"""Pacts from a municipality's own register (``cocity.opendata.importer``). The register is
authoritative: the status it gives is written as it is, even where the table would not lead
there, and the change is recorded as an ``import`` event naming the source row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

from cocity.accounts.models import User
from cocity.pacts import workflow
from cocity.pacts.models import Pact, Status
from cocity.pacts.services.base import record
from cocity.pacts.services.numbering import pact_assign_number


def _clock(pact: Pact, status: str, now: dt.datetime) -> None:
    """The office's clock starts at the import for a pact waiting for the office."""
    if status in workflow.OFFICE_STEPS or status == Status.INCOMPLETE:
        pact.clock_started_at, pact.clock_paused = now, dt.timedelta(0)
    else:
        pact.clock_started_at, pact.clock_paused = None, None


def pact_import_new(
    pact: Pact,
    *,
    status: str,
    actor: User | None,
    now: dt.datetime,
    submitted: dt.datetime,
    note: str,
    data: dict[str, Any],
    numbered: bool = True,
) -> Pact:
    """Write the new ``pact`` (not saved yet) in the register's ``status``, submitted at
    ``submitted`` and numbered in that year unless ``numbered`` is false (a check that will
    be rolled back must not hold the city's counter), with its ``import`` event."""
    pact.status = status
    pact.submitted_at = submitted
    pact.status_changed_at = now
    _clock(pact, status, now)
    if numbered:
        pact_assign_number(pact, submitted)
    pact.full_clean()
    pact.save()
    record(pact, action="import", actor=actor, at=now, to_status=status, note=note, data=data)
    return pact


def pact_import_status(
    pact: Pact,
    *,
    status: str,
    actor: User | None,
    now: dt.datetime,
    note: str,
    data: dict[str, Any],
) -> Pact:
    """Give the saved (and locked) ``pact`` the register's new ``status``, with its event."""
    old = pact.status
    pact.status = status
    pact.version = F("version") + 1
    pact.status_changed_at = now
    _clock(pact, status, now)
    pact.save(
        update_fields=[
            "status",
            "version",
            "status_changed_at",
            "clock_started_at",
            "clock_paused",
            "updated_at",
        ]
    )
    pact.refresh_from_db(fields=["version"])
    record(
        pact,
        action="import",
        actor=actor,
        at=now,
        from_status=old,
        to_status=status,
        note=note,
        data=data,
    )
    return pact
