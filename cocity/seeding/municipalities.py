"""Demo municipalities and their districts.

Real district boundaries are not in the reference data: each district here is the Voronoi
cell of an approximate centre, clipped to the real city boundary (see data/README.md)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from cocity.core import geo
from cocity.municipalities import reference
from cocity.municipalities.models import Municipality
from cocity.municipalities.services import district_create, municipality_create


@dataclass(frozen=True)
class DemoCity:
    slug: str
    istat: str
    name: str
    districts: tuple[tuple[str, float, float], ...]  # name, lon, lat of an approximate centre
    settings: tuple[tuple[str, Any], ...] = ()


DEMO_CITIES = (
    DemoCity(
        slug="torino",
        istat="001272",
        name="Torino",
        districts=(
            ("Centro – Crocetta", 7.680, 45.064),
            ("Santa Rita – Mirafiori Nord – Mirafiori Sud", 7.633, 45.030),
            ("San Paolo – Cenisia – Pozzo Strada – Cit Turin – Borgata Lesna", 7.625, 45.068),
            ("San Donato – Campidoglio – Parella", 7.648, 45.089),
            ("Borgo Vittoria – Madonna di Campagna – Lucento – Vallette", 7.655, 45.112),
            (
                "Barriera di Milano – Regio Parco – Barca – Bertolla – Falchera – Rebaudengo – "
                "Villaretto",
                7.705,
                45.108,
            ),
            ("Aurora – Vanchiglia – Sassi – Madonna del Pilone", 7.712, 45.076),
            (
                "San Salvario – Cavoretto – Borgo Po – Nizza Millefonti – Lingotto – Filadelfia",
                7.680,
                45.035,
            ),
        ),
    ),
    DemoCity(
        slug="reggio-emilia",
        istat="035033",
        name="Reggio Emilia",
        districts=(
            ("Centro storico", 10.631, 44.698),
            ("Santa Croce – Ospizio", 10.652, 44.712),
            ("Rosta Nuova – Pieve Modolena", 10.602, 44.704),
            ("Buco del Signore – Rivalta", 10.624, 44.668),
            ("San Pellegrino – Canali", 10.657, 44.680),
            ("Mancasale – Villa Sesso", 10.628, 44.742),
            ("Gavassa – Massenzatico", 10.690, 44.722),
            ("Cadè – Gaida", 10.560, 44.722),
        ),
        # Reggio Emilia's citizenship agreements are co-designed in the neighbourhood councils.
        settings=(("consultation_days", 20), ("report_interval_months", 12)),
    ),
    DemoCity(
        slug="latina",
        istat="059011",
        name="Latina",
        districts=(
            ("Latina Centro", 12.904, 41.467),
            ("Latina Scalo", 12.965, 41.520),
            ("Borgo Sabotino – Foce Verde", 12.835, 41.430),
            ("Borgo Podgora – Borgo Carso", 12.875, 41.525),
            ("Borgo San Michele – Borgo Faiti", 12.995, 41.445),
            ("Borgo Grappa – Borgo Bainsizza", 12.925, 41.395),
        ),
        settings=(("simple_pacts_skip_consultation", True),),
    ),
)


def seed(*, rng: random.Random) -> list[Municipality]:
    """Create the demo cities that are missing; leave existing ones as they are."""
    cities = []
    for demo in DEMO_CITIES:
        municipality = Municipality.objects.filter(slug=demo.slug).first()
        if municipality is None:
            municipality = municipality_create(
                slug=demo.slug, name=demo.name, istat_code=demo.istat, **dict(demo.settings)
            )
        if not municipality.districts.exists():
            ref = reference.by_istat(demo.istat)
            assert ref is not None
            centres = [(name, (lon, lat)) for name, lon, lat in demo.districts]
            districts_create(municipality, ref.boundary, centres)
        cities.append(municipality)
    return cities


def districts_create(
    municipality: Municipality,
    boundary: dict[str, Any],
    centres: Sequence[tuple[str, tuple[float, float]]],
) -> None:
    """The districts of a seeded city: the Voronoi cells of their named centres (lon, lat)
    inside its boundary, numbered from 1 in the order given, each slug led by its number."""
    cells = geo.voronoi_cells(boundary, [centre for _, centre in centres])
    for number, ((name, _), cell) in enumerate(zip(centres, cells, strict=True), start=1):
        district_create(
            municipality=municipality,
            name=name,
            number=number,
            boundary=cell,
            slug=f"{number}-{slugify(name)}"[:80],
        )
