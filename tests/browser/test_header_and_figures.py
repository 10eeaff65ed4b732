"""The header, the tables and the rules page as people see them (issue #13, items 8, 13 and 15):
on a phone the menu folds behind "Menu", with or without JavaScript; no page breaks the
content security policy; the national table fits a desktop screen; pact numbers stay on one
line; the office's regulation page and the public rules page pass axe at both widths."""

import pytest

from cocity.accounts.models import StaffRole
from cocity.pacts.models import Status
from tests.accounts.factories import staff
from tests.browser.support import ARTIFACTS, assert_accessible, login, screenshot
from tests.pacts.factories import Cast, PactFactory

PHONE = {"width": 375, "height": 800}
PAGES = ["/", "/torino/", "/torino/pacts/", "/torino/impact/", "/torino/rules/"]


@pytest.fixture
def city(transactional_db, torino):
    cast = Cast(torino)
    for status in (Status.SUBMITTED, Status.CO_DESIGN, Status.ACTIVE):
        PactFactory(cast=cast, status=status)
    return cast


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_no_page_breaks_the_content_security_policy(page, city):
    errors = _csp_errors(page)
    for path in PAGES:
        page.goto(page.base_url + path)
        page.wait_for_load_state("load")
    assert errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_phone_the_menu_folds_behind_one_button(browser, live_server, city, javascript):
    context = browser.new_context(locale="it-IT", viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/torino/")
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] <= 220
    pacts = page.get_by_role("link", name="Patti", exact=True)
    assert not pacts.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert pacts.is_visible()
    assert page.get_by_label("Scegli un Comune").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"menu-phone-{'js' if javascript else 'no-js'}.png"))
    context.close()


def test_on_a_desktop_the_menu_is_open_and_tables_fit(page, city):
    page.goto(page.base_url + "/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.get_by_role("link", name="Vista nazionale").is_visible()
    widths = page.eval_on_selector_all(
        ".table-responsive", "els => els.map(e => e.scrollWidth - e.clientWidth)"
    )
    assert widths and max(widths) <= 0
    page.goto(page.base_url + "/torino/pacts/")
    lines = page.eval_on_selector_all(
        ".pact-registry tbody td:first-child a", "els => els.map(e => e.getClientRects().length)"
    )
    assert lines and set(lines) == {1}


def test_the_regulation_pages_are_accessible_at_both_widths(page, city, torino):
    login(page, staff(municipality=torino, role=StaffRole.Role.OFFICE))
    for width, suffix in ((1280, "desktop"), (375, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/torino/office/regulation/")
        page.get_by_label("Durata della consultazione pubblica (giorni)").fill("20")
        page.get_by_label("Motivo o atto").fill("Delibera n. 45 del 12/03/2026")
        page.get_by_role("button", name="Salva le impostazioni").click()
        page.wait_for_load_state("load")
        assert_accessible(page, f"/torino/office/regulation/ ({suffix})")
        screenshot(page, f"regulation-{suffix}")
        page.goto(page.base_url + "/torino/rules/")
        assert "Delibera n. 45 del 12/03/2026" in page.content()
        assert_accessible(page, f"/torino/rules/ ({suffix})")
        screenshot(page, f"rules-{suffix}")
        page.goto(page.base_url + "/torino/impact/")
        assert_accessible(page, f"/torino/impact/ ({suffix})")


def test_the_model_pact_and_a_support_request_are_accessible_at_both_widths(page, city, torino):
    from cocity.pacts import services
    from tests.browser.support import assert_accessible_at_both_widths

    pact = PactFactory(cast=city, status=Status.CO_DESIGN)
    services.support_add(
        actor=pact.proponent, pact=pact, kind="materials", description="Terriccio e piante"
    )
    login(page, city.office)
    page.goto(page.base_url + "/torino/office/regulation/articles/")
    assert_accessible_at_both_widths(page, "/torino/office/regulation/articles/")
    screenshot(page, "model-pact")
    page.goto(page.base_url + f"/torino/office/pacts/{pact.number}/")
    assert page.get_by_role("button", name="Conferma Terriccio e piante").is_visible()
    assert_accessible_at_both_widths(page, "the office's pact page with a support request")
    page.get_by_role("button", name="Conferma Terriccio e piante").click()
    page.wait_for_load_state("load")
    assert "Confermato: fa parte del testo del patto." in page.content()
    screenshot(page, "support-confirmed")
