"""One pact's whole life in a real browser, and a complex pact through the executive. axe runs
on the proposal form, the registry, a pact page and the office worklist."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from cocity.pacts.models import Pact, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.support import assert_accessible, login, navigate, office_action, screenshot
from tests.pacts.factories import PactFactory


def test_a_pact_from_proposal_to_signature(page, cast):
    citizen = UserFactory(display_name="Giulia Rossi", show_name_publicly=True)
    neighbour = UserFactory(display_name="Paolo Verdi")

    # The citizen proposes, in steps.
    login(page, citizen)
    page.goto(page.base_url + "/torino/pacts/new/")
    assert_accessible(page, "the proposal form")
    screenshot(page, "pact-proposal-it")
    page.get_by_label("Titolo della proposta").fill("Cura del giardino di via Roma")
    page.get_by_label("Bene comune dal catalogo").select_option(label=cast.commons.name)
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    page.get_by_label("Categoria").select_option(label=cast.category.name)
    page.get_by_label("Obiettivi").fill("Un giardino pulito e accogliente")
    page.get_by_label("Attività").fill("Pulizia settimanale, piantumazione")
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    navigate(page, page.get_by_role("button", name="Salva e continua"))  # people
    navigate(page, page.get_by_role("button", name="Salva e continua"))  # support
    page.get_by_label("Durata (mesi)").fill("24")
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    navigate(page, page.get_by_role("link", name="Continua"))  # attachments
    assert_accessible(page, "the review step")
    page.get_by_role("button", name="Invia la proposta").click()
    page.wait_for_selector("text=Numero di protocollo")
    pact = Pact.objects.get(title="Cura del giardino di via Roma")
    assert pact.status == Status.SUBMITTED and pact.number in page.content()

    # The office asks for information; the citizen completes.
    login(page, cast.office)
    page.goto(page.base_url + "/torino/office/pacts/")
    assert_accessible(page, "the office worklist")
    screenshot(page, "office-worklist-it")
    office_action(page, pact.number, "Chiedi integrazioni", note="Indicate gli orari")
    assert Pact.objects.get(pk=pact.pk).status == Status.INCOMPLETE
    login(page, citizen)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
    navigate(page, page.get_by_role("link", name="Completa la proposta"))
    assert "Indicate gli orari" in page.content()
    page.goto(page.base_url + f"/torino/pacts/drafts/{pact.pk}/review/")
    page.get_by_role("button", name="Invia la proposta completata").click()
    page.wait_for_selector("text=Numero di protocollo")

    # The office publishes; a neighbour comments and asks to join.
    login(page, cast.office)
    office_action(page, pact.number, "Pubblica per la consultazione")
    login(page, neighbour)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
    page.get_by_label("La Sua osservazione").fill("Posso portare gli attrezzi")
    navigate(page, page.get_by_role("button", name="Pubblica", exact=True))
    page.get_by_label("Che cosa offre al patto").fill("Due ore ogni sabato")
    navigate(page, page.get_by_role("button", name="Chiedi di aderire"))
    assert_accessible(page, "a pact page in consultation")
    screenshot(page, "pact-consultation-it")

    # While the consultation is open, closing it is shown disabled, with why and from when.
    login(page, cast.office)
    page.goto(page.base_url + f"/torino/office/pacts/{pact.number}/")
    expect(page.get_by_role("button", name="Chiudi la consultazione")).to_be_disabled()
    expect(page.get_by_text("potrà chiuderla da quel giorno")).to_be_visible()
    screenshot(page, "office-pact-consultation-it")
    assert_accessible(page, "the office's page of a pact in consultation")

    # The consultation period ends; the office admits the pact and the adherent.
    Pact.objects.filter(pk=pact.pk).update(
        consultation_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    login(page, cast.office)
    office_action(page, pact.number, "Chiudi la consultazione")
    office_action(page, pact.number, "Ammetti alla co-progettazione")
    navigate(page, page.get_by_role("button", name="Accetta"))
    assert Pact.objects.get(pk=pact.pk).status == Status.CO_DESIGN

    # Co-design: a meeting and a clause edit, by the proponent.
    login(page, citizen)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/workspace/")
    page.get_by_text("Registra un incontro").click()
    page.get_by_label("Data e ora").fill("2026-12-01T18:00")
    page.get_by_label("Luogo").fill("Casa del Quartiere di San Salvario")
    navigate(page, page.get_by_role("button", name="Salva l'incontro"))
    first_article = page.locator("article.clause textarea").first
    first_article.fill("Il patto ha per oggetto la cura del giardino di via Roma.")
    navigate(page, page.locator("article.clause").first.get_by_role("button"))
    assert Pact.objects.get(pk=pact.pk).clauses.get(key="object").version == 2

    # The manager approves; both parties sign; the pact is active.
    login(page, cast.manager)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/workspace/")
    navigate(page, page.get_by_role("button", name="Approva il patto"))
    for signer in (citizen, cast.manager):
        login(page, signer)
        page.goto(page.base_url + f"/torino/pacts/{pact.number}/")  # the pact's own page
        navigate(page, page.get_by_role("link", name="Firma per").first)
        if signer is citizen:
            screenshot(page, "pact-sign-it")
            assert_accessible(page, "the signing page")
        page.locator("label[for=id_read]").click()  # the design system draws the box on the label
        page.get_by_label("La Sua password").fill(PASSWORD)
        navigate(page, page.get_by_role("button", name="Firma", exact=True))
    pact.refresh_from_db()
    assert pact.status == Status.ACTIVE

    page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
    assert_accessible(page, "an active pact's page")
    screenshot(page, "pact-active-it")
    response = page.request.get(page.base_url + f"/torino/pacts/{pact.number}/pact.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")

    page.goto(page.base_url + "/torino/pacts/")
    assert_accessible(page, "the registry")
    screenshot(page, "pact-registry-it")


def test_a_complex_pact_through_the_executive(page, cast):
    pact = PactFactory(cast=cast, status=Status.CO_DESIGN, complexity="complex")
    login(page, cast.office)
    office_action(page, pact.number, "Invia alla Giunta")
    login(page, cast.executive)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/workspace/")
    navigate(page, page.get_by_role("button", name="Approva il patto"))
    pact.refresh_from_db()
    assert pact.status == Status.AWAITING_SIGNATURE
    assert cast.sign_all(pact).status == Status.ACTIVE
