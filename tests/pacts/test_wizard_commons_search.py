"""The proposal's first step in a city with thousands of commons: the person searches the
catalogue (without JavaScript), the list shows what matches, and nothing is saved until they
choose and continue (issue #14: the list of all 9,000 commons of Turin weighed 538 KB)."""

from __future__ import annotations

import pytest

from cocity.pacts.forms import PlaceForm
from cocity.pacts.models import Pact
from tests.accounts.factories import UserFactory
from tests.commons.factories import CommonsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(torino, monkeypatch):
    """Turin with more commons than the list shows whole (3 of them, over a limit of 2)."""
    monkeypatch.setattr(PlaceForm, "ALL_COMMONS_UP_TO", 2)
    return {
        name: CommonsFactory(municipality=torino, name=name)
        for name in ("Ex lavatoio di via Paradisi", "Giardino Pellizza", "Bocciofila Vanchiglia")
    }


@pytest.fixture
def citizen(client):
    person = UserFactory()
    client.force_login(person)
    return person


def _options(page: str) -> int:
    select = page.split('name="commons"', 1)[1].split("</select>", 1)[0]
    return select.count("<option value=") - 1  # less "— choose a commons —"


def test_a_large_catalogue_is_searched_not_listed(client, citizen, large):
    page = client.get("/torino/pacts/new/").content.decode()
    assert "Cerca nel catalogo" in page and "Il catalogo ha 3 beni comuni" in page
    assert _options(page) == 0


def test_searching_keeps_what_was_written_and_saves_nothing(client, citizen, large):
    found = client.post(
        "/torino/pacts/new/",
        {"title": "Riapriamo il lavatoio", "commons_search": "lavatoi", "find_commons": "1"},
    )
    page = found.content.decode()

    assert found.status_code == 200
    assert 'value="Riapriamo il lavatoio"' in page
    assert "Ex lavatoio di via Paradisi" in page and "Giardino Pellizza" not in page
    assert "1 bene comune corrisponde a «lavatoi»" in page
    assert "is-invalid" not in page and 'aria-invalid="true"' not in page
    assert not Pact.objects.exists()

    chosen = large["Ex lavatoio di via Paradisi"]
    saved = client.post(
        "/torino/pacts/new/", {"title": "Riapriamo il lavatoio", "commons": chosen.pk}
    )
    assert saved.status_code == 302
    assert Pact.objects.get().commons == chosen


def test_a_search_that_finds_nothing_says_what_to_do(client, citizen, large):
    page = client.post(
        "/torino/pacts/new/", {"title": "", "commons_search": "zzzz", "find_commons": "1"}
    ).content.decode()
    assert "Nessun bene comune corrisponde a «zzzz»" in page
    assert not Pact.objects.exists()


def test_the_commons_chosen_from_its_page_is_offered(client, citizen, large):
    chosen = large["Giardino Pellizza"]
    page = client.get(f"/torino/pacts/new/?commons={chosen.pk}").content.decode()
    assert f'<option value="{chosen.pk}" selected>Giardino Pellizza</option>' in page
    assert _options(page) == 1


def test_a_small_catalogue_is_listed_whole_without_a_search(client, citizen, torino):
    for name in ("Giardino Pellizza", "Bocciofila Vanchiglia"):
        CommonsFactory(municipality=torino, name=name)
    page = client.get("/torino/pacts/new/").content.decode()
    assert "Cerca nel catalogo" not in page and _options(page) == 2


def test_the_count_of_matches_holds_the_chosen_commons_when_it_matches(client, citizen, large):
    """Searching again with a commons already chosen: it stays first, and counts as found."""
    chosen = large["Ex lavatoio di via Paradisi"]
    page = client.post(
        "/torino/pacts/new/",
        {"title": "", "commons": chosen.pk, "commons_search": "lavatoio", "find_commons": "1"},
    ).content.decode()
    assert "1 bene comune corrisponde a «lavatoio»" in page
    assert _options(page) == 1
