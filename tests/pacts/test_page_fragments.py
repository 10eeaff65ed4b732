"""The parts of a pact's page and of the registry that every visitor sees alike are kept by
the version of what they show (docs/decisions/0022-caching-by-scope.md): reused by the pages
of signed-in people, who get only their own parts rendered, and forgotten by the writes that
change them, not by the writes of other pacts or cities."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocity.accounts.models import StaffRole
from cocity.commons.services import commons_update
from cocity.pacts import services
from cocity.pacts.models import Status
from tests.accounts.factories import UserFactory, staff
from tests.pacts.factories import Cast, PactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600


def _page(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_gets_the_shared_parts_and_her_own(cast):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION, title="Orto condiviso")
    url = f"/torino/pacts/{pact.number}/"
    citizen = UserFactory()
    first, cold = _page(_signed_in(citizen), url)
    again, warm = _page(_signed_in(citizen), url)
    anonymous, _ = _page(Client(), url)
    form = reverse("pacts:observe", kwargs={"city": "torino", "number": pact.number})

    assert warm < cold  # the parties, texts, observations and history came from the cache
    for page in (first, again):
        assert "Orto condiviso" in page and "Cronologia" in page
        assert f'action="{form}"' in page  # her observation form
    assert "Cronologia" in anonymous and form not in anonymous


def test_an_observation_shows_at_once(cast, django_capture_on_commit_callbacks):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    url = f"/torino/pacts/{pact.number}/"
    _page(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        services.observation_add(actor=UserFactory(), pact=pact, text="Serve una fontanella.")
    page, _ = _page(Client(), url)
    assert "Serve una fontanella." in page


def test_a_write_on_another_pact_keeps_this_pages_parts(cast, django_capture_on_commit_callbacks):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    other = PactFactory(cast=cast, status=Status.CONSULTATION)
    url = f"/torino/pacts/{pact.number}/"
    _page(Client(), url)
    _, warm = _page(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        services.observation_add(actor=UserFactory(), pact=other, text="Bella idea.")
    _, after = _page(Client(), url)
    assert after == warm


def test_a_renamed_commons_shows_on_its_pacts_page(cast, django_capture_on_commit_callbacks):
    pact = PactFactory(cast=cast, status=Status.CONSULTATION)
    url = f"/torino/pacts/{pact.number}/"
    _page(Client(), url)
    commons = cast.commons
    with django_capture_on_commit_callbacks(execute=True):
        commons_update(
            actor=None, commons=commons, lon=commons.lon, lat=commons.lat, name="Giardino Artom"
        )
    page, _ = _page(Client(), url)
    assert "Giardino Artom" in page


def test_the_registry_shows_a_new_pact_at_once_and_keeps_its_rows_for_other_cities(
    cast, reggio, django_capture_on_commit_callbacks
):
    PactFactory(cast=cast, status=Status.CONSULTATION, title="Aiuola di corso Francia")
    _page(Client(), "/torino/pacts/")
    _, warm = _page(Client(), "/torino/pacts/")
    with django_capture_on_commit_callbacks(execute=True):
        PactFactory(cast=Cast(reggio), status=Status.SUBMITTED)
    page, after = _page(Client(), "/torino/pacts/")
    assert after == warm and "Aiuola di corso Francia" in page

    with django_capture_on_commit_callbacks(execute=True):
        PactFactory(cast=cast, status=Status.SUBMITTED, title="Murales di via Nizza")
    page, _ = _page(Client(), "/torino/pacts/")
    assert "Murales di via Nizza" in page and "Aiuola di corso Francia" in page


def test_the_worklist_is_kept_for_every_officer_and_shows_a_new_proposal_at_once(
    cast, django_capture_on_commit_callbacks
):
    PactFactory(cast=cast, status=Status.SUBMITTED, title="Aiuola di corso Francia")
    colleague = staff(municipality=cast.municipality, role=StaffRole.Role.OFFICE)
    url = "/torino/office/pacts/"
    first, cold = _page(_signed_in(cast.office), url)
    theirs, warm = _page(_signed_in(colleague), url)
    assert warm < cold
    assert "Aiuola di corso Francia" in first and "Aiuola di corso Francia" in theirs

    with django_capture_on_commit_callbacks(execute=True):
        PactFactory(cast=cast, status=Status.SUBMITTED, title="Murales di via Nizza")
    page, _ = _page(_signed_in(colleague), url)
    assert "Murales di via Nizza" in page
