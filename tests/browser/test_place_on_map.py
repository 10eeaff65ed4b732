"""A place not in the catalogue is picked on the map of the proposal's first step (issue #13,
item 5); typing the coordinates stays the way without JavaScript."""

from cocity.pacts.models import Pact
from tests.accounts.factories import UserFactory
from tests.browser.support import assert_accessible, login, page_without_javascript, screenshot


def test_a_click_on_the_map_fills_in_the_place(page, torino):
    citizen = UserFactory()
    login(page, citizen)
    page.goto(page.base_url + "/torino/pacts/new/")
    page.wait_for_selector("#commons-pick-map .leaflet-tile-pane", state="attached")
    box = page.locator("#commons-pick-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = float(page.input_value("#id_place_lat"))
    longitude = float(page.input_value("#id_place_lon"))
    assert torino.min_lat < latitude < torino.max_lat
    assert torino.min_lon < longitude < torino.max_lon
    assert_accessible(page, "/torino/pacts/new/ (place on the map)")
    screenshot(page, "wizard-place-map")
    page.get_by_label("Titolo della proposta").fill("Cura dell'aiuola di via Nizza")
    page.get_by_label("Oppure un luogo non presente nel catalogo").fill("Aiuola di via Nizza 12")
    page.get_by_role("button", name="Salva e continua").click()
    page.wait_for_url("**/content/")
    pact = Pact.objects.get(proponent=citizen)
    assert abs(pact.place_lat - latitude) < 1e-5 and abs(pact.place_lon - longitude) < 1e-5


def test_without_javascript_the_coordinates_are_typed(browser, live_server, torino):
    citizen = UserFactory()
    with page_without_javascript(browser, live_server) as page:
        login(page, citizen)
        page.goto(live_server.url + "/torino/pacts/new/")
        page.get_by_label("Titolo della proposta").fill("Cura dell'aiuola di via Nizza")
        page.get_by_label("Oppure un luogo non presente nel catalogo").fill(
            "Aiuola di via Nizza 12"
        )
        page.get_by_label("Latitudine del luogo").fill("45.05")
        page.get_by_label("Longitudine del luogo").fill("7.68")
        page.get_by_role("button", name="Salva e continua").click()
        page.wait_for_url("**/content/")
    assert Pact.objects.get(proponent=citizen).place_lat == 45.05
