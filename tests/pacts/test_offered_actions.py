"""The office is offered only what can succeed (issue #13, item 8): an action its city's rules
never allow for this pact is not shown; one that becomes possible later is shown disabled,
with why and from when."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from cocity.pacts.models import Pact, Status
from tests.pacts.factories import Cast, PactFactory

pytestmark = pytest.mark.django_db


def office_page(client, cast: Cast, pact: Pact) -> str:
    client.force_login(cast.office)
    return client.get(f"/torino/office/pacts/{pact.number}/").content.decode()


def button(html: str, label: str) -> str | None:
    match = re.search(rf"<button[^>]*>{re.escape(label)}</button>", html)
    return match.group(0) if match else None


def test_an_action_the_rules_never_allow_is_not_offered(client, cast):
    cast.municipality.simple_pacts_skip_consultation = False
    cast.municipality.save()
    pact = PactFactory(cast=cast, status=Status.SUBMITTED)

    html = office_page(client, cast, pact)

    assert button(html, "Pubblica per la consultazione") is not None
    assert "Valuta senza consultazione" not in html


def test_an_action_possible_later_is_disabled_with_why_and_when(client, cast):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    ends = pact.consultation_ends_on.strftime("%d/%m/%Y")

    html = office_page(client, cast, pact)

    close = button(html, "Chiudi la consultazione")
    assert close is not None and "disabled" in close
    assert f"La consultazione è aperta fino al {ends}: potrà chiuderla da quel giorno." in html


def test_it_is_enabled_once_possible(client, cast):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    Pact.objects.filter(pk=pact.pk).update(consultation_ends_on=timezone.localdate())

    close = button(office_page(client, cast, pact), "Chiudi la consultazione")

    assert close is not None and "disabled" not in close


def test_an_ordinary_pact_is_not_offered_to_the_executive(client, cast):
    pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
    html = office_page(client, cast, pact)
    assert "Invia alla Giunta" not in html
    assert button(html, "Approva il patto") is None  # the manager approves, not the office
