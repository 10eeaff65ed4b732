"""One rule for a pact's term (issue #13, item 4): it runs from the last signature or, if
later, from the desired start, for its duration. A pact signed before its start says "signed,
starts on …" on its page, in "I miei patti" and in its PDF's article, and an activity before
the start is refused with a message that says when recording begins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocity.pacts import services
from cocity.pacts.models import Status
from cocity.reports.services import activity_log_add
from tests.pacts.factories import Cast, PactFactory

pytestmark = pytest.mark.django_db


def signed_early(cast: Cast, days_ahead: int = 40):
    """A pact whose proponent asked to start in ``days_ahead`` days, signed by all today."""
    start = timezone.localdate() + dt.timedelta(days=days_ahead)
    pact = PactFactory(cast=cast)
    services.pact_update_draft(actor=pact.proponent, pact=pact, desired_start=start)
    pact = cast.walk_on(pact, Status.CO_DESIGN)
    pact = services.pact_transition(actor=cast.manager, pact=pact, action="approve")
    return cast.sign_all(pact), start


def test_the_term_starts_at_the_desired_start_when_signed_before_it(cast):
    pact, start = signed_early(cast)

    assert pact.status == Status.ACTIVE
    assert pact.start_date == start
    assert pact.end_date == services.add_months(start, 12)
    duration = pact.clauses.get(key="duration").text
    assert "dall'ultima sottoscrizione o, se successiva, dalla data di avvio" in duration


def test_the_page_says_signed_and_when_it_starts(client, cast):
    pact, start = signed_early(cast)

    page = client.get(f"/torino/pacts/{pact.number}/").content.decode()

    assert f"Firmato, in vigore dal {start.strftime('%d/%m/%Y')}" in page


def test_an_activity_before_the_start_says_when_recording_begins(cast):
    pact, start = signed_early(cast)

    with pytest.raises(ValidationError) as error:
        activity_log_add(
            actor=pact.proponent,
            pact=pact,
            date=timezone.localdate(),
            activity="Pulizia",
            hours=Decimal("2"),
        )

    message = " ".join(error.value.messages)
    assert f"inizia il {start.strftime('%d/%m/%Y')}" in message
    assert timezone.localdate().strftime("%d/%m/%Y") not in message


def test_a_pact_signed_after_its_desired_start_runs_from_the_last_signature(cast):
    pact = PactFactory(cast=cast, status=Status.ACTIVE)
    assert pact.start_date == timezone.localdate()
    assert not pact.starts_later
