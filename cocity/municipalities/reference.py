"""Reference data on Italian municipalities (ISTAT, via Openpolis; CC BY 4.0), shipped in
``data/``. The demo cities have finer boundaries (about 20 m) than the national file (300 m)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
NATIONAL_FILE = DATA_DIR / "italy-municipalities.geojson.gz"
DEMO_FILE = DATA_DIR / "demo-city-boundaries.geojson"


@dataclass(frozen=True)
class ReferenceMunicipality:
    istat: str
    name: str
    province: str
    region: str
    lon: float
    lat: float
    boundary: dict[str, Any]


def _read(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        features: list[dict[str, Any]] = json.load(handle)["features"]
        return features


def _record(feature: dict[str, Any]) -> ReferenceMunicipality:
    props = feature["properties"]
    return ReferenceMunicipality(
        istat=props["istat"],
        name=props["name"],
        province=props.get("province") or "",
        region=props.get("region") or "",
        lon=float(props["lon"]),
        lat=float(props["lat"]),
        boundary=feature["geometry"],
    )


@cache
def national() -> dict[str, ReferenceMunicipality]:
    """Every municipality by ISTAT code, the demo cities with their finer boundaries."""
    records = {r.istat: r for r in map(_record, _read(NATIONAL_FILE))}
    records.update({r.istat: r for r in map(_record, _read(DEMO_FILE))})
    return records


def by_istat(code: str) -> ReferenceMunicipality | None:
    return national().get(code)


def by_name(name: str) -> ReferenceMunicipality | None:
    """The municipality of that name, if exactly one has it."""
    wanted = name.strip().casefold()
    matches = [r for r in national().values() if r.name.casefold() == wanted]
    return matches[0] if len(matches) == 1 else None
