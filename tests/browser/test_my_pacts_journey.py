"""A citizen with proposals at several steps opens "I miei patti" from the header and goes on
with the one that waits for her (issue #13, item 1)."""

import pytest
from playwright.sync_api import expect

from cocity.pacts.models import Status
from tests.accounts.factories import UserFactory
from tests.browser.support import assert_accessible, login, navigate, screenshot
from tests.pacts.factories import PactFactory


@pytest.fixture
def citizen(cast):
    giulia = UserFactory(display_name="Giulia Rossi")
    PactFactory(cast=cast, proponent=giulia, title="Panchine all'ombra del tiglio")
    PactFactory(cast=cast, status=Status.CONSULTATION, proponent=giulia)
    PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE, proponent=giulia)
    return giulia


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_she_finds_her_proposals_and_goes_on_with_the_draft(page, citizen, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, citizen)
    page.goto(page.base_url + "/torino/")

    navigate(page, page.get_by_role("link", name="I miei patti"))

    expect(page.get_by_role("heading", name="I miei patti", level=1)).to_be_visible()
    expect(page.get_by_text("La Sua firma è attesa.")).to_be_visible()
    expect(page.get_by_text("In consultazione pubblica fino al")).to_be_visible()
    screenshot(page, f"my-pacts-{width}")
    assert_accessible(page, f"my pacts ({width} px)")

    navigate(
        page, page.get_by_role("link", name="Completa la proposta – Panchine all'ombra del tiglio")
    )
    expect(page.get_by_role("heading", name="Panchine all'ombra del tiglio")).to_be_visible()
