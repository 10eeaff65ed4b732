"""A citizen writes an observation, leaves the page open until the session expires and then
sends it: the site asks her to log in again and gives her text back in the form, to check and
send (issue #11, finding 11)."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from cocity.pacts.models import Observation, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.support import assert_accessible, login, navigate, screenshot
from tests.pacts.factories import PactFactory

TEXT = "Propongo due panchine vicino all'aiuola, all'ombra del tiglio."


@pytest.fixture
def pact(cast):
    return PactFactory(cast=cast, status=Status.CONSULTATION)


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_observation_written_before_the_session_expired_is_found_again(page, pact, width):
    citizen = UserFactory(display_name="Giulia Rossi")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, citizen)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/")
    page.get_by_label("La Sua osservazione").fill(TEXT)

    Session.objects.all().delete()  # the session expires while she writes
    navigate(page, page.get_by_role("button", name="Pubblica"))

    expect(page).to_have_url(f"{page.base_url}/account/login/?next=/torino/pacts/{pact.number}/")
    page.locator("input[name=login]").fill(citizen.email)
    page.locator("input[name=password]").fill(PASSWORD)
    navigate(page, page.locator("form button[type=submit]").last)

    expect(page).to_have_url(f"{page.base_url}/torino/pacts/{pact.number}/")
    expect(page.get_by_text("La sessione era scaduta")).to_be_visible()
    expect(page.get_by_label("La Sua osservazione")).to_have_value(TEXT)
    assert not Observation.objects.exists()
    screenshot(page, f"session-expired-observation-{width}")
    assert_accessible(page, f"observation given back ({width} px)")

    navigate(page, page.get_by_role("button", name="Pubblica"))
    expect(page.get_by_text("La Sua osservazione è stata pubblicata.")).to_be_visible()
    assert Observation.objects.get().text == TEXT
