"""The impact dashboard and the national observatory in a browser, in both languages: axe
finds nothing serious, and the screenshots show the charts."""

from decimal import Decimal

import pytest

from cocity.pacts.models import Status
from tests.browser.support import assert_accessible, screenshot
from tests.municipalities.factories import MunicipalityFactory
from tests.pacts.factories import PactFactory
from tests.reports.factories import ActivityLogFactory


@pytest.fixture
def impact_data(cast):
    MunicipalityFactory(slug="latina", name="Latina", istat_code="059011")
    for status in (
        Status.ACTIVE,
        Status.ACTIVE,
        Status.REJECTED,
        Status.SUBMITTED,
        Status.CO_DESIGN,
        Status.CONSULTATION,
    ):
        pact = PactFactory(cast=cast, status=status)
        if status == Status.ACTIVE:
            ActivityLogFactory(
                pact=pact,
                hours=Decimal("12"),
                volunteers=6,
                people_reached=40,
                money_spent=Decimal("80"),
            )
    return cast


@pytest.mark.parametrize("language", ["it", "en"])
def test_dashboard_and_observatory(browser, live_server, impact_data, language):
    context = browser.new_context(
        locale="it-IT" if language == "it" else "en-GB",
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()

    page.goto(live_server.url + "/torino/impact/")
    assert page.locator("figure svg[role=img]").count() >= 5
    assert page.locator("table.chart-data").count() >= 5
    assert_accessible(page, f"/torino/impact/ ({language})")
    screenshot(page, f"impact-dashboard-{language}")

    page.goto(live_server.url + "/?sort=-signed")
    first = page.locator("table.observatory-table tbody tr th a").first.inner_text()
    assert first == "Torino"
    assert_accessible(page, f"/ observatory ({language})")
    screenshot(page, f"observatory-{language}")
    context.close()


def test_wide_tables_can_be_scrolled_from_the_keyboard_on_a_phone(
    browser, live_server, impact_data
):
    """At phone width the tables scroll sideways; their region takes the focus, so a keyboard
    user can scroll it (axe scrollable-region-focusable, issue #13 item 15)."""
    context = browser.new_context(
        locale="it-IT",
        viewport={"width": 375, "height": 800},
        extra_http_headers={"Accept-Language": "it"},
    )
    page = context.new_page()
    for path in ("/torino/impact/", "/", "/torino/pacts/"):
        page.goto(live_server.url + path)
        region = page.locator(".table-responsive").first
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label")
        assert_accessible(page, f"{path} at phone width")
    screenshot(page, "registry-phone-it")
    context.close()
