"""Signing as a citizen does it (issue #13, item 6): the pact's own page offers the signature
to each party that owes one, the signing page says in words what the fingerprint is, and a
signature needs the confirmation "I have read the text"."""

from __future__ import annotations

import pytest

from cocity.pacts.models import Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db


def test_the_pact_page_offers_the_signature_to_the_party_that_owes_it(client, cast):
    pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
    party = pact.parties.get(user=pact.proponent)
    sign_url = f"/torino/pacts/{pact.number}/sign/{party.pk}/"

    assert sign_url not in client.get(f"/torino/pacts/{pact.number}/").content.decode()
    client.force_login(UserFactory())
    assert sign_url not in client.get(f"/torino/pacts/{pact.number}/").content.decode()
    client.force_login(pact.proponent)
    page = client.get(f"/torino/pacts/{pact.number}/").content.decode()
    assert sign_url in page and "Il patto è in attesa della Sua firma." in page


def test_the_signing_page_explains_the_fingerprint(client, cast):
    pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
    party = pact.parties.get(user=pact.proponent)
    client.force_login(pact.proponent)

    page = client.get(f"/torino/pacts/{pact.number}/sign/{party.pk}/").content.decode()

    assert "cambia se cambia anche una sola parola" in page
    assert "Ho letto il testo del patto e lo accetto." in page


def test_a_signature_without_the_confirmation_is_refused(client, cast):
    pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
    party = pact.parties.get(user=pact.proponent)
    client.force_login(pact.proponent)

    refused = client.post(f"/torino/pacts/{pact.number}/sign/{party.pk}/", {"password": PASSWORD})
    party.refresh_from_db()
    assert refused.status_code == 400
    assert "confermi di aver letto il testo" in refused.content.decode()
    assert party.signed_at is None

    signed = client.post(
        f"/torino/pacts/{pact.number}/sign/{party.pk}/", {"password": PASSWORD, "read": "on"}
    )
    party.refresh_from_db()
    assert signed.status_code == 302 and party.signed_at is not None
