"""What a transition changes besides the status, one function per effect, named by the rows
of ``workflow.TRANSITIONS`` (``Transition.effects``) and run in order by
``transitions.pact_transition`` on the locked pact before it is saved. Each effect takes the
pact, the moment and the local day. Those in ``PURE`` only set the pact's own fields, so the
bulk variant (``bulk.pact_lived``) applies them to pacts not yet written."""

from __future__ import annotations

import datetime as dt

from cocity.commons.models import Commons
from cocity.commons.services import commons_set_availability
from cocity.core.dates import add_months, short_date
from cocity.pacts.clauses import clause_texts, municipality_template, pact_text_hash
from cocity.pacts.models import Clause, ClauseVersion, Pact, Party, Status
from cocity.pacts.services.numbering import pact_assign_number


def number(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """Sent for the first time: the protocol number."""
    pact_assign_number(pact, now)


def submitted(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    pact.submitted_at = now


def resume_clock(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """The office's clock stood still while the proposal was incomplete: the time it waited
    for the proponent is added to the pause (``transitions`` then keeps the clock running)."""
    paused_since = pact.status_changed_at or now
    pact.clock_paused = (pact.clock_paused or dt.timedelta(0)) + (now - paused_since)


def open_consultation(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    pact.consultation_ends_on = today + dt.timedelta(days=pact.municipality.consultation_days)


def first_text(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """The articles of the municipality's model pact, filled from the proposal, version 1."""
    if pact.clauses.exists():
        return
    texts = clause_texts(
        commons=pact.commons.name if pact.commons else pact.place_name,
        objectives=pact.objectives,
        activities=pact.activities,
        duration=pact.duration_months or 12,
        report_interval=pact.municipality.report_interval_months,
        desired_start=short_date(pact.desired_start, empty="non indicata"),
        template=municipality_template(pact.municipality),
    )
    for position, (key, title, body) in enumerate(texts, start=1):
        clause = Clause.objects.create(
            pact=pact, key=key, title=title, position=position, text=body
        )
        ClauseVersion.objects.create(clause=clause, number=1, text=body, author=None)


def city_party(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """The city is a party: it commits itself during co-design and signs."""
    if not pact.parties.filter(role=Party.Role.CITY).exists():
        Party.objects.create(pact=pact, role=Party.Role.CITY)


def approved(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    pact.approved_at = now


def term_dates(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """In force from the last signature or the later desired start, for its duration."""
    pact.start_date = max(today, pact.desired_start or today)
    pact.end_date = add_months(pact.start_date, pact.duration_months or 12)


def fingerprint(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """The text signed is fingerprinted (``clauses.pact_text_hash``)."""
    pact.signed_text_hash = pact_text_hash(pact)


def commons_taken(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """A commons is "under a pact" while one runs on it."""
    if pact.commons is not None:
        commons_set_availability(commons=pact.commons, availability=Commons.Availability.UNDER_PACT)


def commons_released(pact: Pact, now: dt.datetime, today: dt.date) -> None:
    """... and open again when none does."""
    if (
        pact.commons is not None
        and not Pact.objects.filter(
            commons=pact.commons, status__in=[Status.ACTIVE, Status.SUSPENDED]
        )
        .exclude(pk=pact.pk)
        .exists()
    ):
        commons_set_availability(commons=pact.commons, availability=Commons.Availability.OPEN)


# The effects that only set fields of the pact itself (no other row is read or written).
PURE = frozenset({submitted, resume_clock, open_consultation, approved, term_dates})
