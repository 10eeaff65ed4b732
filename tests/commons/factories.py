"""Commons for the tests, made through ``cocity.commons.services``: a building by the Mole in
Turin unless told otherwise."""

from __future__ import annotations

import random

import factory

from cocity.commons.models import Commons
from cocity.commons.services import commons_create
from cocity.municipalities.models import Municipality
from tests.municipalities.factories import MunicipalityFactory

# Points inside Turin (lon, lat).
MOLE = (7.69305, 45.06903)
VALENTINO = (7.68550, 45.05440)
# A park by the Valentino, as a polygon (lon, lat).
PARK_AREA = {
    "type": "Polygon",
    "coordinates": [
        [[7.684, 45.053], [7.687, 45.053], [7.687, 45.056], [7.684, 45.056], [7.684, 45.053]]
    ],
}


class CommonsFactory(factory.Factory):
    """``point=(lon, lat)`` places it (the Mole by default; ``None`` for none); a ``polygon=``
    draws it instead."""

    class Meta:
        model = Commons

    class Params:
        point = MOLE

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Ex bagni pubblici"
    kind = Commons.Kind.BUILDING
    address = "via Roma 1"
    lon = factory.LazyAttribute(lambda o: o.point[0] if o.point else None)
    lat = factory.LazyAttribute(lambda o: o.point[1] if o.point else None)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return commons_create(actor=None, **kwargs)


def many_commons(municipality: Municipality, n: int, seed: int = 1) -> None:
    """``n`` commons scattered around central Turin."""
    rng = random.Random(seed)
    kinds = list(Commons.Kind.values)
    kinds.remove(Commons.Kind.IMMATERIAL)
    for i in range(n):
        CommonsFactory(
            municipality=municipality,
            name=f"Bene {i:04d}",
            kind=rng.choice(kinds),
            point=(7.64 + rng.random() * 0.06, 45.04 + rng.random() * 0.05),
        )
