"""The pact as a PDF document: the signed text with parties, articles, supports and signatures."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cocity.pacts import services
from cocity.pacts.models import Pact, Party, Status, Support
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.pacts.factories import Cast, PactFactory


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeezed(text: str) -> str:
    """The text without any whitespace: long strings may be broken across lines."""
    return re.sub(r"\s+", "", text)


def get_pdf(client, pact):
    """The answer, with its streamed body (the stored file) read once into ``pdf``."""
    response = client.get(f"/torino/pacts/{pact.number}/pact.pdf")
    response.pdf = response.getvalue() if response.status_code == 200 else b""
    return response


@pytest.mark.django_db
def test_the_active_pact_is_a_signed_pdf(client, torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.ACTIVE)
    client.force_login(pact.proponent)  # a party: the copy with every name

    response = get_pdf(client, pact)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.pdf.startswith(b"%PDF")
    assert f'filename="patto-{pact.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.pdf)
    assert pact.number in text
    assert "Patto di collaborazione" in text.replace("\n", " ") or "PATTO DI COLLABORAZIONE" in text
    assert "Comune di Torino" in text
    assert "Ufficio Beni Comuni" in text or "UFFICIO BENI COMUNI" in text
    assert "Art. 1" in text
    assert "Oggetto e obiettivi" in text
    assert "Giardino di via Roma" in text
    assert "ordinario" in text
    assert pact.signed_text_hash
    assert pact.signed_text_hash in squeezed(text)
    assert "Impronta SHA-256 del testo sottoscritto" in text.replace("\n", " ")
    signers = [p.signed_by for p in pact.parties.filter(signs=True)]
    assert all(signers)
    for signer in signers:
        assert signer.display_name in text
    assert pact.start_date.strftime("%d/%m/%Y") in text
    assert pact.end_date.strftime("%d/%m/%Y") in text
    assert f"Patto {pact.number} – pagina 1 di" in text
    assert "BOZZA" not in text


@pytest.mark.django_db
def test_the_public_copy_names_private_citizens_only_with_their_consent(client, torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.ACTIVE)
    assert not pact.proponent.show_name_publicly

    response = get_pdf(client, pact)  # anonymous

    assert response.status_code == 200
    text = pdf_text(response.pdf)
    assert pact.proponent.display_name not in text
    assert "un cittadino" in text
    assert pact.signed_text_hash in squeezed(text)


@pytest.mark.django_db
def test_the_pdf_lists_parties_commitments_and_supports(client, torino):
    cast = Cast(torino)
    citizen = UserFactory(display_name="Giulia Bianchi")
    association = OrganisationFactory(
        representative=citizen, name="Associazione Amici del Giardino"
    )
    pact = PactFactory(cast=cast, proponent=citizen)
    pact = services.pact_update_draft(actor=citizen, pact=pact, proponent_organisation=association)
    for action in ("submit", "publish", "close_consultation", "admit"):
        if action == "close_consultation":  # the consultation ended yesterday
            Pact.objects.filter(pk=pact.pk).update(
                consultation_ends_on=timezone.localdate() - dt.timedelta(days=1)
            )
            pact.refresh_from_db()
        pact = services.pact_transition(
            actor=cast.actor_for(pact, action), pact=pact, action=action
        )
    assert pact.status == Status.CO_DESIGN
    proponent_party = pact.parties.get(role=Party.Role.PROPONENT)
    services.commitment_add(
        actor=cast.office,
        pact=pact,
        party=proponent_party,
        text="Pulire le aiuole ogni sabato mattina",
    )
    services.support_add(
        actor=cast.office,
        pact=pact,
        kind=Support.Kind.TOOLS,
        description="Rastrelli e guanti",
        estimated_value=Decimal("150.50"),
    )
    services.support_add(
        actor=cast.office,
        pact=pact,
        kind=Support.Kind.FUNDING,
        description="Contributo per le piante",
        estimated_value=Decimal("1200"),
    )
    pact = services.pact_transition(actor=cast.manager, pact=pact, action="approve")
    pact = cast.sign_all(pact)
    assert pact.status == Status.ACTIVE
    client.force_login(citizen)

    response = get_pdf(client, pact)

    assert response.status_code == 200
    text = pdf_text(response.pdf)
    flat = " ".join(text.split())
    assert "Associazione Amici del Giardino" in flat
    assert "C.F. 97812340011" in flat
    assert "Proponente" in flat
    assert "Comune" in flat
    assert "Impegni delle parti" in flat or "IMPEGNI DELLE PARTI" in flat
    assert "Pulire le aiuole ogni sabato mattina" in flat
    assert "Rastrelli e guanti" in flat
    assert "€ 150,50" in flat
    assert "€ 1.200,00" in flat
    assert "€ 1.350,50" in flat  # the total
    assert "Giulia Bianchi" in flat  # signed for the association
    assert cast.manager.display_name in flat  # signed for the city
    for party in pact.parties.filter(signs=True):
        assert party.signed_text_hash == pact.signed_text_hash
        assert party.signed_text_hash in squeezed(text)


@pytest.mark.django_db
def test_a_pact_in_co_design_gives_a_draft_pdf(client, torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.CO_DESIGN)

    response = get_pdf(client, pact)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.pdf.startswith(b"%PDF")
    text = pdf_text(response.pdf)
    flat = " ".join(text.split())
    assert "Art. 1" in flat
    assert "Bozza del testo" in flat
    assert "Non ancora sottoscritto" in flat
    assert "Impronta SHA-256 del testo sottoscritto" not in flat


@pytest.mark.django_db
def test_a_submitted_proposal_has_no_pdf(client, torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.SUBMITTED)
    assert not pact.clauses.exists()

    assert get_pdf(client, pact).status_code == 404


@pytest.mark.django_db
def test_an_unknown_pact_has_no_pdf(client, torino):
    response = client.get("/torino/pacts/TO-1999-9999/pact.pdf")

    assert response.status_code == 404
