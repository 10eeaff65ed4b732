"""Municipalities and districts for the tests, made through ``cocity.municipalities.services``."""

from __future__ import annotations

import factory

from cocity.municipalities.models import District, Municipality
from cocity.municipalities.services import district_create, municipality_create


class MunicipalityFactory(factory.Factory):
    """A city without a boundary (``istat_code=`` brings the real one from the reference)."""

    class Meta:
        model = Municipality

    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"Test City {n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return municipality_create(**kwargs)


class DistrictFactory(factory.Factory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Circoscrizione {n}")
    number = factory.Sequence(lambda n: n + 1)
    boundary = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return district_create(**kwargs)
