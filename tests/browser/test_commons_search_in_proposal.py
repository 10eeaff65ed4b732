"""A citizen of a city with more commons than a list can show searches the catalogue in the
proposal's first step, with JavaScript and without (decision 0023): what she wrote stays, the
list holds what matches, and choosing one saves the draft with it."""

import pytest

from cocity.pacts.forms import PlaceForm
from cocity.pacts.models import Pact
from tests.accounts.factories import UserFactory
from tests.browser.support import (
    CATALOGUE,
    PHONE_WIDTH,
    add_catalogue,
    assert_accessible_at_both_widths,
    login,
    navigate,
    page_without_javascript,
    screenshot,
)

TITLE = "Un orto condiviso al Giardino Lamarmora"


@pytest.fixture
def large(torino, monkeypatch):
    monkeypatch.setattr(PlaceForm, "ALL_COMMONS_UP_TO", 2)
    return add_catalogue(torino, CATALOGUE[:4])


def _search_choose_and_save(page, base_url) -> None:
    page.goto(base_url + "/torino/pacts/new/")
    page.get_by_label("Titolo della proposta").fill(TITLE)
    page.get_by_label("Cerca nel catalogo dei beni comuni").fill("lamarmora")
    navigate(page, page.get_by_role("button", name="Cerca nel catalogo"))
    assert page.get_by_label("Titolo della proposta").input_value() == TITLE
    assert "corrisponde a «lamarmora»" in page.content()
    page.get_by_label("Bene comune dal catalogo").select_option(label="Giardino Lamarmora")


def test_a_citizen_searches_the_catalogue_and_chooses(page, large):
    citizen = UserFactory()
    login(page, citizen)
    _search_choose_and_save(page, page.base_url)
    assert_accessible_at_both_widths(page, "/torino/pacts/new/ (catalogue searched)")
    screenshot(page, "wizard-commons-search")
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 900})
    screenshot(page, "wizard-commons-search-phone")
    page.set_viewport_size(size)
    navigate(page, page.get_by_role("button", name="Salva e continua"))
    page.wait_for_url("**/content/")
    assert Pact.objects.get(proponent=citizen).commons.name == "Giardino Lamarmora"


def test_without_javascript_the_search_works_the_same(browser, live_server, large):
    citizen = UserFactory()
    with page_without_javascript(browser, live_server) as page:
        login(page, citizen)
        _search_choose_and_save(page, live_server.url)
        page.get_by_role("button", name="Salva e continua").click()
        page.wait_for_url("**/content/")
    assert Pact.objects.get(proponent=citizen).commons.name == "Giardino Lamarmora"
