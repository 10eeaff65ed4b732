"""What every pact service shares (internal to ``cocity.pacts.services``): the row lock, the
version check, the one writer of ``PactEvent`` rows, the announcement of a change, the text
limits and the permission check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core import changes
from cocity.core.limits import check_text_lengths
from cocity.core.permissions import can
from cocity.pacts.models import Pact, PactEvent
from cocity.pacts.tasks import pact_pdf_changed


class PactChanged(ValidationError):
    """The pact changed since the page was loaded (someone else acted on it)."""

    def __init__(self) -> None:
        super().__init__(
            _("This pact has changed since you opened the page: reload it and try again."),
            code="stale",
        )


def now_or(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def event_build(
    pact: Pact,
    *,
    action: str,
    actor: User | None = None,
    actor_id: int | None = None,
    at: dt.datetime,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
    duration: dt.timedelta | None = None,
) -> PactEvent:
    """A ``PactEvent`` not yet saved: ``record`` saves one, ``bulk`` many at once."""
    who: dict[str, Any] = {"actor": actor} if actor is not None else {"actor_id": actor_id}
    return PactEvent(
        duration=duration,
        pact=pact,
        action=action,
        **who,
        at=at,
        note=note,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def record(pact: Pact, *, pdf: bool = True, **fields: Any) -> PactEvent:
    """Record what happened (the arguments of ``event_build``), and announce it: whatever is
    recorded may change the pact's pages and figures, and what its PDF shows (its rendering is
    asked for after the commit unless ``pdf`` is false; a copy already stored is not made
    again)."""
    announce(pact, pdf=pdf)
    event = event_build(pact, **fields)
    event.save()
    return event


def announce(pact: Pact, *, pdf: bool = True) -> None:
    """Announce a change of the pact (its pages and figures) and, unless ``pdf`` is false (a
    draft has no text), ask for its PDF to be stored again."""
    changes.changed(municipality_id=pact.municipality_id, kind="pacts.pact", pk=pact.pk)
    if pdf:
        pact_pdf_changed(pact)


def lock(pact: Pact, expected_version: int | None = None) -> Pact:
    # of=self: the joined municipality row stays unlocked (other pacts of the city go on).
    locked = (
        Pact.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pact.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise PactChanged()
    return locked


def limit(field: str, text: str, most: int) -> None:
    """Refuse, naming the field, a text longer than its limit (``cocity.pacts.limits``), as
    the forms do: the API, the seed and every other caller are held to the same limits."""
    check_text_lengths(values={field: text.strip()}, limits={field: most})


def require(actor: User | None, permission: str, pact: Pact, message: str) -> None:
    """``actor=None`` is the platform itself (a command, the seed), which may do anything."""
    if actor is not None and not can(actor, permission, pact):
        raise PermissionDenied(message)
