"""The registry's and the catalogue's pages searched through ``?q=``, in Italian, as a citizen
opens them (the selectors' results are in ``test_engines.py``)."""

from __future__ import annotations

import re

import pytest

from cocity.commons.models import Commons
from cocity.pacts.models import Status
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.commons.factories import CommonsFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db

# The registry's search page: the city, the filters' categories and districts, the count,
# the page's keys, then its pacts, then one query for each kind of row the page names
# (categories, commons with their districts, organisations, people): the same for any number
# of pacts.
REGISTRY_SEARCH_QUERIES = 10


@pytest.fixture
def registry(cast):
    return {
        "lamarmora": PactFactory(
            cast=cast,
            status=Status.ACTIVE,
            title="Cura del giardino di via Lamarmora",
            objectives="Aiuole fiorite.",
        ),
        "scuola": PactFactory(
            cast=cast,
            status=Status.CONSULTATION,
            title="Orti condivisi della scuola",
            objectives="Coltivare i giardini della città.",
        ),
    }


def numbers(response) -> list[str]:
    return [pact.number for pact in response.context["page"].object_list]


def test_the_registry_finds_word_forms_best_first(client, registry):
    response = client.get("/torino/pacts/", {"q": "giardini"})

    assert response.status_code == 200
    assert numbers(response) == [registry["lamarmora"].number, registry["scuola"].number]
    html = response.content.decode()
    assert "Patti di collaborazione di Torino" in html
    assert 'value="giardini"' in html  # the query stays in its field


def test_the_registry_finds_a_word_without_its_accent(client, registry):
    response = client.get("/torino/pacts/", {"q": "citta"})

    assert numbers(response) == [registry["scuola"].number]


def test_a_query_of_stop_words_shows_the_empty_registry_not_everything(client, registry):
    response = client.get("/torino/pacts/", {"q": "della"})

    assert response.status_code == 200
    assert numbers(response) == []
    assert "Nessun patto corrisponde a questi filtri." in response.content.decode()


@pytest.mark.parametrize("q", ['"giardino', "giardino*", "(AND)", "NEAR(", "x" * 100])
def test_malformed_queries_are_answered(client, registry, q):
    assert client.get("/torino/pacts/", {"q": q}).status_code == 200
    assert client.get("/torino/commons/", {"q": q}).status_code == 200
    assert client.get("/api/v1/torino/pacts", {"q": q}).status_code == 200


def test_a_nul_byte_is_a_form_error_not_a_crash(client, registry):
    assert client.get("/torino/pacts/", {"q": "giardino\x00"}).status_code == 400
    assert client.get("/torino/commons/", {"q": "giardino\x00"}).status_code == 400


def test_a_number_finds_its_pact(client, registry):
    number = registry["scuola"].number

    assert numbers(client.get("/torino/pacts/", {"q": number.lower()})) == [number]


def test_the_registry_search_makes_a_fixed_number_of_queries(
    client, registry, cast, django_assert_num_queries
):
    representative = UserFactory()
    PactFactory(
        cast=cast,
        status=Status.ACTIVE,
        title="Giardino del comitato",
        proponent=representative,
        proponent_organisation=OrganisationFactory(
            representative=representative, name="Comitato Aurora"
        ),
    )
    client.get("/torino/pacts/", {"q": "giardini"})  # per-process lookups, as in production
    with django_assert_num_queries(REGISTRY_SEARCH_QUERIES):
        client.get("/torino/pacts/", {"q": "giardini"})

    for i in range(6):
        PactFactory(
            cast=cast,
            status=Status.ACTIVE,
            title=f"Giardino numero {i}",
            objectives="Giardini",
        )
    with django_assert_num_queries(REGISTRY_SEARCH_QUERIES):
        response = client.get("/torino/pacts/", {"q": "giardini"})
    assert len(numbers(response)) == 9


def test_the_api_searches_as_the_page(client, registry):
    body = client.get("/api/v1/torino/pacts", {"q": "giardini"}).json()

    # The API pages by date (its cursor), not by rank.
    assert [pact["number"] for pact in body["results"]] == [
        registry["scuola"].number,
        registry["lamarmora"].number,
    ]


@pytest.fixture
def catalogue(torino):
    return [
        CommonsFactory(municipality=torino, name="Scuola Pascoli", kind=Commons.Kind.SCHOOL),
        CommonsFactory(
            municipality=torino,
            name="Bocciofila della città",
            kind=Commons.Kind.SPORTS_FACILITY,
            description="Attività per tutte le età.",
        ),
        CommonsFactory(municipality=torino, name="Giardino delle scuole", address="via Po 3"),
    ]


def names(response) -> list[str]:
    return [commons.name for commons in response.context["page"].object_list]


def test_the_catalogue_finds_word_forms_best_first(client, catalogue):
    response = client.get("/torino/commons/", {"q": "scuole"})

    assert response.status_code == 200
    # Both have it in their names: equal ranks go by name.
    assert names(response) == ["Giardino delle scuole", "Scuola Pascoli"]
    assert "Cerca" in response.content.decode()


def test_the_catalogue_finds_a_word_without_its_accent(client, catalogue):
    assert names(client.get("/torino/commons/", {"q": "attivita"})) == ["Bocciofila della città"]


def test_the_catalogue_list_alone_answers_a_search(client, catalogue):
    response = client.get("/torino/commons/", {"q": "citta"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert re.findall(r"Bocciofila della città", html)
    assert "Scuola Pascoli" not in html


def test_a_catalogue_query_of_stop_words_shows_nothing(client, catalogue):
    response = client.get("/torino/commons/", {"q": "di"})

    assert names(response) == []
    assert "Nessun bene comune corrisponde a questi filtri." in response.content.decode()


def test_the_map_clusters_a_search(client, catalogue, monkeypatch):
    monkeypatch.setattr("cocity.commons.selectors.MAX_FEATURES", 1)  # clusters from 2 commons
    bbox = "7.57,44.99,7.78,45.15"

    found = client.get("/api/v1/torino/commons.geojson", {"bbox": bbox, "zoom": 10, "q": "scuole"})
    none = client.get("/api/v1/torino/commons.geojson", {"bbox": bbox, "zoom": 10, "q": "di"})

    assert found.status_code == 200
    assert sum(f["properties"].get("count", 1) for f in found.json()["features"]) == 2
    assert none.json()["features"] == []
