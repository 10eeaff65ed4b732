"""A citizen finds a commons on the map and proposes a pact for it: a search in the catalogue,
the marker's popup, the commons' page and its "Proponi un patto" link, the seven steps of the
wizard with that commons already chosen, the receipt with the protocol number.

test_pact_journey.py starts at the empty proposal form and checks with axe the first step and
the review; here axe checks the steps in between and the receipt."""

import re

import pytest
from playwright.sync_api import expect

from cocity.commons.models import Commons
from cocity.pacts import services
from cocity.pacts.models import Pact, Party, Status
from tests.accounts.factories import UserFactory
from tests.browser.support import (
    CATALOGUE,
    add_catalogue,
    assert_accessible,
    login,
    navigate,
    screenshot,
    wait_for_map,
)

TITLE = "Un orto condiviso al Giardino Lamarmora"


@pytest.fixture
def catalogue(torino):
    add_catalogue(torino, CATALOGUE[:4])
    services.category_create(municipality=torino, name="Cura del verde")
    return torino


def save_and_continue(page, next_step: str) -> None:
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    expect(page).to_have_url(re.compile(rf"/torino/pacts/drafts/\d+/{next_step}/$"))


def test_a_citizen_finds_a_commons_on_the_map_and_proposes_a_pact(page, catalogue):
    torino = catalogue
    citizen = UserFactory(display_name="Giulia Rossi")
    garden = Commons.objects.get(municipality=torino, name="Giardino Lamarmora")
    login(page, citizen)

    # The map, narrowed down by a search.
    page.goto(page.base_url + "/torino/commons/")
    wait_for_map(page)
    page.get_by_label("Cerca").fill("Lamarmora")
    navigate(page, page.get_by_role("button", name="Filtra"))
    expect(page).to_have_url(re.compile(r"[?&]q=Lamarmora"))
    expect(page.locator(".commons-item .commons-link")).to_have_text(["Giardino Lamarmora"])

    # The marker opens a popup that links to the commons' page.
    page.locator(".leaflet-marker-icon[title='Giardino Lamarmora']").click()
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text("Giardino Lamarmora")
    screenshot(page, "journey-map-popup-it")
    navigate(page, popup_link)
    expect(page.locator("h1")).to_have_text("Giardino Lamarmora")

    # From the commons' page to a proposal for that commons.
    # The link's name ends with the commons' name, visually hidden (so spaced as a block).
    propose = page.get_by_role("link", name=re.compile(r"^Proponi un patto\W+Giardino Lamarmora$"))
    screenshot(page, "journey-commons-detail-it")
    navigate(page, propose)
    expect(page).to_have_url(re.compile(rf"/torino/pacts/new/\?commons={garden.pk}$"))
    expect(page.get_by_label("Bene comune dal catalogo")).to_have_value(str(garden.pk))
    page.get_by_label("Titolo della proposta").fill(TITLE)
    screenshot(page, "journey-wizard-place-it")
    save_and_continue(page, "content")

    assert_accessible(page, "the wizard's objectives step")
    page.get_by_label("Categoria").select_option(label="Cura del verde")
    page.get_by_label("Obiettivi").fill("Coltivare ortaggi e fiori con il vicinato")
    page.get_by_label("Attività").fill("Semina in primavera, cura settimanale, raccolto condiviso")
    screenshot(page, "journey-wizard-content-it")
    save_and_continue(page, "people")

    assert_accessible(page, "the wizard's people step")
    page.get_by_label("Persone e organizzazioni coinvolte").fill("Una decina di vicini di casa")
    save_and_continue(page, "support")

    assert_accessible(page, "the wizard's support step")
    page.get_by_label("Forme di sostegno richieste al Comune").fill("Attrezzi e acqua")
    save_and_continue(page, "timing")

    assert_accessible(page, "the wizard's timing step")
    page.get_by_label("Durata (mesi)").fill("12")
    save_and_continue(page, "attachments")

    assert_accessible(page, "the wizard's attachments step")
    navigate(page, page.get_by_role("link", name="Continua", exact=True))
    expect(page).to_have_url(re.compile(r"/torino/pacts/drafts/\d+/review/$"))
    review = page.locator("main dl")
    expect(review).to_contain_text("Giardino Lamarmora")
    expect(review).to_contain_text("Coltivare ortaggi e fiori con il vicinato")
    expect(review).to_contain_text("12 mesi")
    screenshot(page, "journey-wizard-review-it")

    # The receipt shows the protocol number.
    navigate(page, page.get_by_role("button", name="Invia la proposta"))
    expect(page.locator("h1")).to_have_text("La Sua proposta è stata presentata")
    pact = Pact.objects.get(title=TITLE)
    receipt = page.get_by_role("status").filter(has_text="Numero di protocollo")
    expect(receipt).to_contain_text(f"Numero di protocollo: {pact.number}")
    assert_accessible(page, "the receipt")
    screenshot(page, "journey-receipt-it")

    # The pact is on file, for that commons, with the citizen as proponent.
    assert pact.status == Status.SUBMITTED and pact.number
    assert pact.municipality == torino
    assert pact.commons == garden
    assert pact.proponent == citizen
    assert pact.duration_months == 12
    assert pact.parties.filter(role=Party.Role.PROPONENT, user=citizen).exists()
