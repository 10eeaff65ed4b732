"""The anonymous page cache (cocity/core/pagecache.py): a stored page is served again, with a
fresh CSP nonce and working CSRF tokens, never to a signed-in user, and never after a write."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cocity.commons.services import commons_update
from tests.accounts.factories import PASSWORD, UserFactory
from tests.commons.factories import CommonsFactory

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'<script nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def _header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_the_second_visitor_gets_the_stored_page_with_its_own_nonce(torino):
    CommonsFactory(municipality=torino, name="Ex lavatoio di via Paradisi")
    first = Client().get("/torino/commons/")
    second = Client().get("/torino/commons/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Ex lavatoio di via Paradisi" in second.content.decode()
    nonces = [set(NONCE.findall(r.content.decode())) for r in (first, second)]
    assert nonces[0] == {_header_nonce(first)}
    assert nonces[1] == {_header_nonce(second)}  # the scripts still run
    assert nonces[0] != nonces[1]


def test_a_stored_page_carries_a_csrf_token_that_works_for_its_visitor(torino):
    Client().get("/torino/")  # stored
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/torino/")
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode()).group(1)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/torino/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    english = visitor.get("/torino/")
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()


def test_a_write_is_visible_at_once(torino, django_capture_on_commit_callbacks):
    commons = CommonsFactory(municipality=torino, name="Giardino Pellizza")
    assert "Giardino Pellizza" in Client().get("/torino/commons/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        commons_update(
            actor=None,
            commons=commons,
            lon=commons.lon,
            lat=commons.lat,
            name="Giardino Pellizza da Volpedo",
        )
    again = Client().get("/torino/commons/")
    assert again["X-Page-Cache"] == "miss"
    assert "Giardino Pellizza da Volpedo" in again.content.decode()


def test_a_rolled_back_write_leaves_the_stored_page(torino, django_capture_on_commit_callbacks):
    commons = CommonsFactory(municipality=torino, name="Giardino Pellizza")
    Client().get("/torino/commons/")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        commons_update(actor=None, commons=commons, name="")
    assert Client().get("/torino/commons/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("write", ["hub", "profile", "observation"])
def test_writes_that_show_on_public_pages_forget_them(
    torino, write, django_capture_on_commit_callbacks
):
    """Every service whose write a visitor sees announces it (docs/architecture.md): no model
    signal does it for them."""
    from cocity.accounts.services import user_update_profile
    from cocity.commons.services import hub_set
    from cocity.pacts import services as pacts
    from cocity.pacts.models import Status
    from tests.pacts.factories import Cast, PactFactory

    commons = CommonsFactory(municipality=torino, name="Giardino Pellizza")
    pact = PactFactory(cast=Cast(torino), status=Status.CONSULTATION)
    pages = [f"/torino/commons/{commons.pk}-{commons.slug}/", f"/torino/pacts/{pact.number}/"]
    for page in pages:
        Client().get(page)
    with django_capture_on_commit_callbacks(execute=True):
        if write == "hub":
            hub_set(actor=None, commons=commons, opening_hours="Lun–Ven 9–18")
        elif write == "profile":
            user_update_profile(user=pact.proponent, display_name="Anna", show_name_publicly=True)
        else:
            pacts.observation_add(actor=UserFactory(), pact=pact, text="Bella idea.")

    assert [Client().get(page)["X-Page-Cache"] for page in pages] == ["miss", "miss"]


def test_a_signed_in_user_never_gets_the_anonymous_copy(torino):
    Client().get("/torino/")
    Client().get("/torino/")
    user = UserFactory(display_name="Ottavia Sereno")
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    page = client.get("/torino/")
    assert "X-Page-Cache" not in page
    assert "Ottavia Sereno" in page.content.decode()


def test_languages_are_stored_apart(torino):
    Client().get("/torino/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/torino/")
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()


def test_errors_and_the_office_are_not_stored(torino):
    for _ in range(2):
        missing = Client().get("/torino/pacts/TO-2026-9999/")
        assert missing.status_code == 404 and "X-Page-Cache" not in missing
        office = Client().get("/torino/office/")
        assert "X-Page-Cache" not in office


def test_anonymous_api_reads_are_stored_and_keep_the_api_headers(torino):
    CommonsFactory(municipality=torino, name="Ex lavatoio di via Paradisi")
    url = "/api/v1/torino/commons"
    Client().get(url)
    again = Client().get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Type"].startswith("application/json")
    assert again["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in again
    assert again.json()["results"][0]["name"] == "Ex lavatoio di via Paradisi"
    with_token = Client().get(url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert "X-Page-Cache" not in with_token


def test_streamed_exports_are_not_stored(torino):
    for _ in range(2):
        export = Client().get("/api/v1/torino/pacts.csv")
        assert export.status_code == 200 and "X-Page-Cache" not in export
