"""A write forgets the stored pages of its own city, not every page of every city
(cocity/core/versions.py; docs/decisions/0022-caching-by-scope.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from cocity.accounts.services import user_update_profile
from cocity.commons.services import commons_update
from cocity.core.changes import Change
from cocity.core.versions import moved_by
from tests.commons.factories import CommonsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def _stored(*urls: str) -> list[str]:
    return [Client().get(url)["X-Page-Cache"] for url in urls]


def _rename(commons, name, capture):
    with capture(execute=True):
        commons_update(actor=None, commons=commons, lon=commons.lon, lat=commons.lat, name=name)


def test_a_write_in_one_city_keeps_the_pages_of_the_others(
    torino, reggio, django_capture_on_commit_callbacks
):
    in_turin = CommonsFactory(municipality=torino, name="Giardino Pellizza")
    CommonsFactory(municipality=reggio, name="Orto di via Roma", point=(10.6302, 44.6983))
    pages = ["/torino/commons/", "/reggio-emilia/commons/", "/api/v1/reggio-emilia/commons"]
    _stored(*pages)

    _rename(in_turin, "Giardino Pellizza da Volpedo", django_capture_on_commit_callbacks)

    assert _stored(*pages) == ["miss", "hit", "hit"]
    assert "Giardino Pellizza da Volpedo" in Client().get("/torino/commons/").content.decode()


def test_national_pages_follow_every_city(torino, reggio, django_capture_on_commit_callbacks):
    in_reggio = CommonsFactory(
        municipality=reggio, name="Orto di via Roma", point=(10.6302, 44.6983)
    )
    _stored("/", "/torino/")
    _rename(in_reggio, "Orto condiviso di via Roma", django_capture_on_commit_callbacks)
    assert _stored("/", "/torino/") == ["miss", "hit"]


def test_a_change_of_no_single_city_forgets_every_page(
    torino, reggio, user_factory, django_capture_on_commit_callbacks
):
    """A person's public name shows on the pages of any city."""
    person = user_factory()
    _stored("/torino/", "/reggio-emilia/")
    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=person, display_name="Anna Bianchi", show_name_publicly=True)
    assert _stored("/torino/", "/reggio-emilia/") == ["miss", "miss"]


def test_a_pact_change_moves_that_pact_and_its_city_not_the_rest_of_its_city():
    pact = moved_by(Change(municipality_id=7, kind="pacts.pact", pk=42))
    commons = moved_by(Change(municipality_id=7, kind="commons.commons", pk=3))
    assert pact == ["v:nation", "v:city:7", "v:pacts.pact:42"]
    assert commons == ["v:nation", "v:city:7", "v:city-rest:7", "v:commons.commons:3"]
    assert moved_by(Change(municipality_id=None, kind="accounts.user", pk=1)) == [
        "v:everything",
        "v:nation",
    ]
