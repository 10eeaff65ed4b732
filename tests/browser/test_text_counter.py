"""A proponent writing the objectives of a proposal sees how much room is left (issue #11,
finding 1): the limit is stated under the field, a live count follows the typing, turns to a
warning near the limit and is then announced to screen readers, and the browser stops at the
limit. Without JavaScript the stated limit and the server's message remain (tested in
tests/pacts/test_text_limits.py)."""

import pytest
from playwright.sync_api import expect

from cocity.pacts import limits, services
from tests.accounts.factories import UserFactory
from tests.browser.support import assert_accessible, login, screenshot


@pytest.fixture
def draft(torino):
    services.category_create(municipality=torino, name="Cura del verde")
    citizen = UserFactory(display_name="Giulia Rossi")
    pact = services.pact_create_draft(
        actor=citizen, municipality=torino, title="Un orto condiviso al Giardino Lamarmora"
    )
    return citizen, pact


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_count_follows_the_typing_and_warns_near_the_limit(page, draft, width):
    citizen, pact = draft
    page.set_viewport_size({"width": width, "height": 900})
    login(page, citizen)
    page.goto(page.base_url + f"/torino/pacts/drafts/{pact.pk}/content/")

    field = page.get_by_label("Obiettivi")
    counter = page.locator("#id_objectives_counter")
    expect(page.get_by_text("Al massimo 5.000 caratteri.").first).to_be_visible()
    expect(counter).to_have_text("0 caratteri su 5.000")

    field.fill("Curare l'aiuola.\nPiantare fiori.")
    expect(counter).to_have_text("32 caratteri su 5.000")
    expect(counter).not_to_have_attribute("aria-live", "polite")

    field.fill("a" * (limits.OBJECTIVES - 100))
    expect(counter).to_have_text("4.900 caratteri su 5.000")
    expect(counter).to_have_class("form-text d-block text-counter text-danger fw-semibold")
    expect(counter).to_have_attribute("aria-live", "polite")
    field.press("End")
    page.keyboard.type("b" * 150)
    expect(counter).to_have_text("5.000 caratteri su 5.000")
    assert len(field.input_value()) == limits.OBJECTIVES

    screenshot(page, f"text-counter-{width}")
    assert_accessible(page, f"text counter ({width} px)")
