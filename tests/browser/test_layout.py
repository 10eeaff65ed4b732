"""The national view and a city's home in a real browser: language switch, city switch,
accessibility."""

import pytest
from django.core.management import call_command

from tests.browser.support import assert_accessible, screenshot


@pytest.fixture
def demo(transactional_db):
    call_command("seed", seed=1)


def test_national_view_and_city_home_in_both_languages(page, demo):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.get_by_role("link", name="Torino").first.is_visible()
    assert_accessible(page, "/ (it)")
    screenshot(page, "national-it")

    page.get_by_role("link", name="Torino").first.click()
    page.wait_for_url("**/torino/")
    assert "Torino" in page.locator("h1").inner_text()
    assert_accessible(page, "/torino/ (it)")
    screenshot(page, "torino-it")

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]", state="attached")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Urban commons in Torino"
    assert_accessible(page, "/torino/ (en)")
    screenshot(page, "torino-en")

    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, "/ (en)")
    screenshot(page, "national-en")


def test_city_switcher_works(page, demo):
    page.goto(page.base_url + "/torino/")
    page.get_by_label("Scegli un Comune").select_option("latina")
    page.get_by_role("button", name="Vai", exact=True).click()
    page.wait_for_url("**/latina/")
    assert "Latina" in page.locator("h1").inner_text()


def test_skip_link_reaches_the_content(page, demo):
    page.goto(page.base_url + "/torino/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Vai al contenuto principale"


def test_login_page_and_404_are_accessible(page, demo):
    page.goto(page.base_url + "/account/login/")
    assert_accessible(page, "/account/login/")
    screenshot(page, "login-it")
    page.goto(page.base_url + "/nowhere/")
    assert_accessible(page, "/nowhere/ (404)")
    screenshot(page, "404-it")
