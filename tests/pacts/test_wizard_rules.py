"""The proposal wizard as a citizen uses it (issue #13, item 5): a desired start in the past is
refused with a clear message and nothing saved; the receipt is a page of its own, reached by a
redirect after the submitting POST, so that reloading it submits nothing again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cocity.pacts import services
from cocity.pacts.models import Pact, PactEvent, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db


def test_a_desired_start_in_the_past_is_refused(client, cast):
    citizen = UserFactory()
    pact = PactFactory(cast=cast, proponent=citizen)
    client.force_login(citizen)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        f"/torino/pacts/drafts/{pact.pk}/timing/",
        {"desired_start": yesterday.isoformat(), "duration_months": "12"},
    )

    assert response.status_code == 400
    assert "non può essere nel passato" in response.content.decode()
    pact.refresh_from_db()
    assert pact.desired_start is None


def test_today_is_a_valid_start(cast):
    citizen = UserFactory()
    pact = PactFactory(cast=cast, proponent=citizen)
    services.pact_update_draft(actor=citizen, pact=pact, desired_start=timezone.localdate())
    pact.refresh_from_db()
    assert pact.desired_start == timezone.localdate()


def test_the_receipt_is_reached_by_a_redirect_and_a_reload_submits_nothing(client, cast):
    citizen = UserFactory()
    pact = PactFactory(cast=cast, proponent=citizen)
    client.force_login(citizen)

    sent = client.post(f"/torino/pacts/drafts/{pact.pk}/review/")
    assert sent.status_code == 302
    assert sent["Location"] == f"/torino/pacts/drafts/{pact.pk}/receipt/"
    first = client.get(sent["Location"])
    again = client.get(sent["Location"])

    pact.refresh_from_db()
    assert pact.status == Status.SUBMITTED
    assert pact.number in first.content.decode() and pact.number in again.content.decode()
    assert PactEvent.objects.filter(pact=pact, action="submit").count() == 1


def test_nobody_else_sees_the_receipt(client, cast):
    pact = PactFactory(cast=cast, proponent=UserFactory())
    services.pact_transition(actor=pact.proponent, pact=pact, action="submit")
    client.force_login(UserFactory())

    assert client.get(f"/torino/pacts/drafts/{pact.pk}/receipt/").status_code == 404
    assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED
