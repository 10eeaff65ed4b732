"""A citizen finds her own proposals and pacts (issue #13, item 1): "I miei patti", linked from
the header, lists her drafts, her proposals in progress with the step they are at and what is
expected of her, the pacts she is party to, the signatures and the reports she owes, in every
city, and nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cocity.pacts import services
from cocity.pacts.models import Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory

MY_PACTS = "/my/pacts/"

pytestmark = pytest.mark.django_db


def section(html: str, heading: str) -> str:
    """The part of the page under ``heading`` (an h2), up to the next h2."""
    start = html.index(heading)
    end = html.find("<h2", start)
    return html[start : end if end != -1 else None]


def test_the_header_links_to_the_page_when_signed_in(client, torino):
    citizen = UserFactory()
    assert "I miei patti" not in client.get("/torino/").content.decode()
    client.force_login(citizen)
    assert f'href="{MY_PACTS}"' in client.get("/torino/").content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(MY_PACTS)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_each_proposal_says_where_it_is_and_what_is_expected(client, cast):
    citizen = UserFactory()
    draft = PactFactory(cast=cast, proponent=citizen, title="Bozza delle panchine")
    incomplete = PactFactory(cast=cast, status=Status.INCOMPLETE, proponent=citizen)
    consultation = PactFactory(cast=cast, status=Status.CONSULTATION, proponent=citizen)
    co_design = PactFactory(cast=cast, status=Status.CO_DESIGN, proponent=citizen)
    to_sign = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE, proponent=citizen)
    client.force_login(citizen)

    html = client.get(MY_PACTS).content.decode()

    todo = section(html, "Da fare")
    assert "Bozza delle panchine" in todo
    assert f"/torino/pacts/drafts/{draft.pk}/" in todo
    assert f"/torino/pacts/drafts/{incomplete.pk}/" in todo and "integrazioni" in todo
    assert f"/torino/pacts/{co_design.number}/workspace/" in todo
    party = to_sign.parties.get(user=citizen)
    assert f"/torino/pacts/{to_sign.number}/sign/{party.pk}/" in todo
    assert "La Sua firma è attesa" in todo
    waiting = section(html, "In corso")
    assert consultation.number in waiting
    assert consultation.consultation_ends_on.strftime("%d/%m/%Y") in waiting


def test_active_pacts_and_the_reports_owed(client, cast):
    citizen = UserFactory()
    pact = PactFactory(cast=cast, status=Status.ACTIVE, proponent=citizen)
    # The pact started long ago: its first reporting period has ended with no report.
    type(pact).objects.filter(pk=pact.pk).update(
        start_date=timezone.localdate() - dt.timedelta(days=500),
        end_date=timezone.localdate() + dt.timedelta(days=200),
    )
    client.force_login(citizen)

    html = client.get(MY_PACTS).content.decode()

    assert pact.number in section(html, "I patti di cui è parte")
    assert "Relazione dovuta" in section(html, "Da fare")


def test_only_her_own_in_every_city(client, cast, reggio):
    citizen, neighbour = UserFactory(), UserFactory()
    mine = PactFactory(cast=cast, status=Status.SUBMITTED, proponent=citizen)
    theirs = PactFactory(cast=cast, status=Status.SUBMITTED, proponent=neighbour)
    elsewhere = services.pact_create_draft(
        actor=citizen, municipality=reggio, title="Orto a Reggio Emilia"
    )
    client.force_login(citizen)

    html = client.get(MY_PACTS).content.decode()

    assert mine.number in html and theirs.number not in html
    assert f"/reggio-emilia/pacts/drafts/{elsewhere.pk}/" in html


def test_a_person_with_nothing_yet_is_told_how_to_start(client, torino):
    client.force_login(UserFactory())
    html = client.get(MY_PACTS).content.decode()
    assert "Non ha ancora proposte né patti" in html
