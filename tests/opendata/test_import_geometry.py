"""The register is authoritative: no pact of it is dropped for its geometry. A point a few
tens of metres outside the city's boundary (the reference boundaries are generalised) is kept
with a warning; a point far away, or coordinates that cannot be read, import the pact without
a location, and the summary says so on the row's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cocity.commons.models import Commons
from cocity.core import geo
from cocity.opendata.models import ImportedPact
from cocity.pacts.models import Pact
from tests.municipalities.factories import MunicipalityFactory
from tests.opendata.support import HEADER, import_register

# The westmost corner of Turin's boundary is at (45.04183, 7.57783).
JUST_OUTSIDE = (45.04183, 7.57707)  # about 60 m west of it
BEYOND_TOLERANCE = (45.04183, 7.56385)  # about 1.1 km west of it
COLOSSEO = (41.8902, 12.4922)


def row(source_id: str, address: str, point: tuple[float, float] | None) -> str:
    lat, lon = point if point else ("", "")
    return f"{source_id};Patto {source_id};Firmato;;;{address};;{lat};{lon};01/02/2024"


def command(rows: list[str], tmp_path: Path, city: str = "torino") -> str:
    return import_register("\n".join([HEADER, *rows]), tmp_path, city=city)


def pact(source_id: str) -> Pact:
    return ImportedPact.objects.select_related("pact__commons").get(source_id=source_id).pact


def line_of(output: str, source_id: str) -> str:
    return next(line for line in output.splitlines() if f"(id {source_id})" in line)


@pytest.mark.django_db
def test_a_point_just_outside_the_boundary_is_kept_with_a_warning(torino, tmp_path):
    lat, lon = JUST_OUTSIDE
    assert not geo.contains(torino.boundary, lon, lat)

    output = command([row("G-1", "Strada del Confine 1", JUST_OUTSIDE)], tmp_path)

    assert output.splitlines()[0].endswith("1 created, 0 updated, 0 unchanged, 0 rejected.")
    kept = pact("G-1")
    # The catalogue holds only commons inside the city: the point is the pact's own place.
    assert kept.commons is None
    assert (kept.place_lat, kept.place_lon) == JUST_OUTSIDE
    assert kept.place_name == "Strada del Confine 1"
    assert not Commons.objects.exists()
    warning = line_of(output.split("Warnings:\n", 1)[1], "G-1")
    assert warning.startswith("  line 2 (id G-1): the point (45.04183, 7.57707) lies 60 m ")
    assert "outside the boundary of Torino in the reference data: kept" in warning


@pytest.mark.django_db
def test_a_point_far_away_imports_the_pact_without_a_location(torino, tmp_path):
    output = command(
        [
            row("G-1", "Piazza del Colosseo", COLOSSEO),
            row("G-2", "Strada Lontana 2", BEYOND_TOLERANCE),
            row("G-3", "Via Po 1", (7.6869, 45.0703)),  # latitude and longitude swapped
            "G-4;Patto G-4;Firmato;;;Via Po 2;;quarantacinque;sette;01/02/2024",
        ],
        tmp_path,
    )

    assert output.splitlines()[0].endswith("4 created, 0 updated, 0 unchanged, 0 rejected.")
    for source_id, address in [
        ("G-1", "Piazza del Colosseo"),
        ("G-2", "Strada Lontana 2"),
        ("G-3", "Via Po 1"),
        ("G-4", "Via Po 2"),
    ]:
        imported = pact(source_id)
        assert imported.commons is None, source_id
        assert imported.place_name == address
        assert (imported.place_lon, imported.place_lat) == (None, None)
    assert not Commons.objects.exists()
    warnings = output.split("Warnings:\n", 1)[1]
    colosseo = line_of(warnings, "G-1")
    assert colosseo.startswith("  line 2 (id G-1): the point (41.8902, 12.4922) lies 5")
    assert "km outside Torino: not used" in colosseo
    assert "the pact is imported without a location" in colosseo
    assert "lies 1.1 km outside Torino: not used" in line_of(warnings, "G-2")
    assert "(latitude and longitude look swapped)" in line_of(warnings, "G-3")
    assert "'quarantacinque', 'sette' are not numbers: not used" in line_of(warnings, "G-4")


@pytest.mark.django_db
def test_a_far_point_still_finds_its_commons_by_name(torino, tmp_path):
    command([row("G-1", "Via Nizza 10", (45.056, 7.68))], tmp_path)

    output = command(
        [row("G-1", "Via Nizza 10", (45.056, 7.68)), row("G-2", "Via Nizza 10", COLOSSEO)],
        tmp_path,
    )

    assert output.splitlines()[0].endswith("1 created, 0 updated, 1 unchanged, 0 rejected.")
    assert pact("G-2").commons == pact("G-1").commons
    assert "without a location" not in line_of(output, "G-2")


@pytest.mark.django_db
def test_a_newer_snapshot_moving_a_point_far_away_detaches_the_commons(torino, tmp_path):
    command([row("G-1", "Via Nizza 10", (45.056, 7.68))], tmp_path)
    commons = pact("G-1").commons

    output = command([row("G-1", "Via Nizza 11", COLOSSEO)], tmp_path)

    assert output.splitlines()[0].endswith("0 created, 1 updated, 0 unchanged, 0 rejected.")
    moved = pact("G-1")
    assert moved.commons is None and moved.place_name == "Via Nizza 11"
    commons.refresh_from_db()
    assert commons.availability == Commons.Availability.OPEN


@pytest.mark.django_db
def test_a_city_without_a_boundary_imports_the_pact_without_a_location(db, tmp_path):
    city = MunicipalityFactory(slug="borgo", name="Borgo Immaginario")
    assert city.boundary is None and city.lon is None

    output = command([row("G-1", "Via Po 1", None)], tmp_path, city="borgo")

    assert output.splitlines()[0].endswith("1 created, 0 updated, 0 unchanged, 0 rejected.")
    assert pact("G-1").commons is None
    assert "the pact is imported without a location" in line_of(output, "G-1")
