"""A citizen looks for a commons: filters the catalogue, opens a commons from the map and from
the list; every page passes axe."""

import pytest

from cocity.commons.services import hub_set
from tests.browser.support import add_catalogue, assert_accessible, screenshot, wait_for_map


@pytest.fixture
def catalogue(torino):
    created = add_catalogue(torino)
    hub_set(
        actor=None,
        commons=created["Casa del Quartiere di San Salvario"],
        opening_hours="Lun–Ven 9–22",
        services=["help_desk", "events"],
    )
    return torino


def test_filter_the_catalogue_and_open_a_commons_from_the_list(page, catalogue):
    page.goto(page.base_url + "/torino/commons/")
    wait_for_map(page)
    assert_accessible(page, "/torino/commons/")
    screenshot(page, "commons-map-it")

    page.get_by_label("Tipo").select_option("green_area")
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url("**kind=green_area**")
    items = page.locator(".commons-item .commons-link")
    assert items.all_inner_texts() == ["Giardino Lamarmora"]

    items.first.click()
    page.wait_for_url("**/torino/commons/*-giardino-lamarmora/")
    assert page.locator("h1").inner_text() == "Giardino Lamarmora"
    assert_accessible(page, "a commons' page")
    screenshot(page, "commons-detail-it")


def test_open_a_commons_from_the_map(page, catalogue):
    page.goto(page.base_url + "/torino/commons/?q=Scuola")
    marker = page.locator(".leaflet-marker-icon[title='Scuola primaria Pascoli']")
    marker.wait_for()
    marker.click()
    page.get_by_role("link", name="Scuola primaria Pascoli").last.click()
    page.wait_for_url("**-scuola-primaria-pascoli/")
    assert page.locator("h1").inner_text() == "Scuola primaria Pascoli"


def test_keyboard_reaches_a_marker_from_the_list(page, catalogue):
    page.goto(page.base_url + "/torino/commons/")
    wait_for_map(page)
    item = page.locator(".commons-item", has_text="Piazza Foroni")
    button = item.get_by_role("button", name="Mostra sulla mappa")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a")
    assert page.locator(".leaflet-popup-content a").inner_text() == "Piazza Foroni"


def test_hubs_page_and_english(page, catalogue):
    page.goto(page.base_url + "/torino/hubs/")
    assert "Casa del Quartiere di San Salvario" in page.content()
    assert_accessible(page, "/torino/hubs/")
    screenshot(page, "hubs-it")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]", state="attached")
    assert page.locator("h1").inner_text() == "Neighbourhood houses in Torino"
    page.goto(page.base_url + "/torino/commons/")
    wait_for_map(page)
    assert_accessible(page, "/torino/commons/ (en)")
    screenshot(page, "commons-map-en")


def test_catalogue_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, locale="it-IT")
    page = context.new_page()
    page.goto(live_server.url + "/torino/commons/")
    page.get_by_label("Cerca").fill("piazza")
    page.get_by_role("button", name="Filtra").click()
    assert page.locator(".commons-item .commons-link").all_inner_texts() == ["Piazza Foroni"]
    context.close()
