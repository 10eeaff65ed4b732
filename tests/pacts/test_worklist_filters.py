"""The office finds a proposal in its worklist (issue #13, item 10): search by number, title
and proponent; filters by status, category, district and overdue; counts per status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cocity.pacts import services
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db
URL = "/torino/office/pacts/"


@pytest.fixture
def pacts(cast):
    giulia = UserFactory(display_name="Giulia Rossi")
    orto = cast.walk_on(
        PactFactory(cast=cast, proponent=giulia, title="Orto sul tetto"), Status.SUBMITTED
    )
    panchine = cast.walk_on(PactFactory(cast=cast, title="Panchine al parco"), Status.CONSULTATION)
    other = services.category_create(municipality=cast.municipality, name="Cultura")
    murale = PactFactory(cast=cast, title="Murale della scuola")
    services.pact_update_draft(actor=murale.proponent, pact=murale, category=other)
    murale = cast.walk_on(murale, Status.SUBMITTED)
    return orto, panchine, murale


def numbers(client, query: str = "") -> set[str]:
    html = client.get(URL + query).content.decode()
    return {n for n in Pact.objects.values_list("number", flat=True) if n and f">{n}</a>" in html}


def test_search_by_title_number_and_proponent(client, cast, pacts):
    orto, panchine, murale = pacts
    client.force_login(cast.office)

    assert numbers(client, "?q=tetto") == {orto.number}
    assert numbers(client, f"?q={panchine.number}") == {panchine.number}
    assert numbers(client, "?q=Giulia") == {orto.number}


def test_filters_and_counts(client, cast, pacts):
    orto, panchine, murale = pacts
    client.force_login(cast.office)

    assert numbers(client, "?status=consultation") == {panchine.number}
    assert numbers(client, "?category=cultura") == {murale.number}
    Pact.objects.filter(pk=orto.pk).update(clock_started_at=timezone.now() - dt.timedelta(days=400))
    assert numbers(client, "?overdue=on") == {orto.number}
    html = client.get(URL).content.decode()
    assert "Presentata: <strong>2</strong>" in html
    assert "Consultazione pubblica: <strong>1</strong>" in html


def test_an_unknown_filter_value_is_a_clear_error(client, cast, pacts):
    client.force_login(cast.office)
    response = client.get(URL + "?status=nonsense")
    assert response.status_code == 400
    assert "Scelga un&#x27;opzione valida" in response.content.decode()
