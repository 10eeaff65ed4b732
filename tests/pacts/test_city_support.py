"""What the city provides is the office's to record (issue #13, item 12): a party may ask for a
support, which counts nowhere (text, public page, PDF, impact figures) until the office
confirms it; the pact cannot be approved while a request waits."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cocity.impact import selectors as impact
from cocity.pacts import services
from cocity.pacts.clauses import pact_text_hash
from cocity.pacts.documents import _document
from cocity.pacts.models import Status, Support
from tests.pacts.factories import Cast, PactFactory

ASK = {
    "support-kind": "materials",
    "support-description": "Terriccio e piante",
    "support-estimated_value": "350",
}


@pytest.fixture
def codesign(torino):
    cast = Cast(torino)
    return cast, PactFactory(cast=cast, status=Status.CO_DESIGN)


def _ask(client, pact):
    client.force_login(pact.proponent)
    return client.post(f"/torino/pacts/{pact.number}/workspace/supports/", ASK)


@pytest.mark.django_db
def test_a_party_asks_and_nothing_counts_until_the_office_confirms(
    client, codesign, django_capture_on_commit_callbacks
):
    cast, pact = codesign
    fingerprint = pact_text_hash(pact)
    assert _ask(client, pact).status_code == 302
    support = Support.objects.get(pact=pact)
    assert support.status == Support.Status.REQUESTED
    assert support.requested_by == pact.proponent
    workspace = client.get(f"/torino/pacts/{pact.number}/workspace/").content.decode()
    assert "Richiesto, in attesa dell&#x27;ufficio" in workspace
    assert pact_text_hash(pact) == fingerprint
    assert _document(pact, public=True)["supports"] == []
    assert impact.city_indicators(municipality=cast.municipality)["euros_city_supports"] == 0

    client.force_login(cast.office)
    page = client.get(f"/torino/office/pacts/{pact.number}/").content.decode()
    assert "Terriccio e piante" in page and "Conferma" in page
    with django_capture_on_commit_callbacks(execute=True):  # the figures hear of the change
        answer = client.post(f"/torino/office/pacts/{pact.number}/supports/{support.pk}/confirm/")
    assert answer.status_code == 302
    support.refresh_from_db()
    assert support.status == Support.Status.CONFIRMED
    assert pact_text_hash(pact) != fingerprint
    assert [s["description"] for s in _document(pact, public=True)["supports"]] == [
        "Terriccio e piante"
    ]
    assert impact.city_indicators(municipality=cast.municipality)["euros_city_supports"] == (
        Decimal("350")
    )


@pytest.mark.django_db
def test_the_pact_waits_for_the_office_to_decide_every_request(client, codesign):
    cast, pact = codesign
    _ask(client, pact)
    offers = {o.action: o for o in services.actions_offered(cast.manager, pact)}
    assert "approve" not in offers  # not possible now, and time does not change it
    client.force_login(cast.manager)
    answer = client.post(f"/torino/pacts/{pact.number}/actions/approve/", follow=True)
    assert "non ha ancora deciso" in answer.content.decode()
    pact.refresh_from_db()
    assert pact.status == Status.CO_DESIGN

    support = Support.objects.get(pact=pact)
    client.force_login(cast.office)
    client.post(f"/torino/office/pacts/{pact.number}/supports/{support.pk}/decline/")
    support.refresh_from_db()
    assert support.status == Support.Status.DECLINED
    pact = services.pact_transition(actor=cast.manager, pact=pact, action="approve")
    assert pact.status == Status.AWAITING_SIGNATURE
    assert _document(pact, public=True)["supports"] == []


@pytest.mark.django_db
def test_only_the_office_decides(client, codesign):
    cast, pact = codesign
    _ask(client, pact)
    support = Support.objects.get(pact=pact)
    client.force_login(pact.proponent)
    answer = client.post(f"/torino/office/pacts/{pact.number}/supports/{support.pk}/confirm/")
    assert answer.status_code == 403
    with pytest.raises(PermissionDenied):
        services.support_decide(actor=pact.proponent, support=support, accept=True)
    support.refresh_from_db()
    assert support.status == Support.Status.REQUESTED


@pytest.mark.django_db
def test_what_the_office_records_is_confirmed_at_once(client, codesign):
    cast, pact = codesign
    client.force_login(cast.office)
    client.post(f"/torino/pacts/{pact.number}/workspace/supports/", ASK)
    support = Support.objects.get(pact=pact)
    assert support.status == Support.Status.CONFIRMED and support.requested_by is None
    answer = client.post(f"/torino/office/pacts/{pact.number}/supports/{support.pk}/decline/")
    assert answer.status_code == 400
    assert "già stato deciso" in answer.content.decode()
