from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from cocity.municipalities.models import Municipality
from tests.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Each test starts with an empty cache and the Italian default."""
    cache.clear()
    translation.activate("it")
    yield
    cache.clear()


@pytest.fixture
def torino(db) -> Municipality:
    """Turin with its real boundary (from the ISTAT reference data)."""
    return MunicipalityFactory(slug="torino", name="Torino", istat_code="001272")


@pytest.fixture
def reggio(db) -> Municipality:
    return MunicipalityFactory(slug="reggio-emilia", name="Reggio Emilia", istat_code="035033")
