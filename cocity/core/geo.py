"""Geometry helpers on GeoJSON dicts (RFC 7946, WGS 84 lon/lat), with shapely and no GDAL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely
import shapely.validation
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

GeoJSON = dict[str, Any]


class GeometryError(ValueError):
    """The GeoJSON is malformed, of the wrong type, or not a valid shape."""


def to_shape(geojson: GeoJSON) -> BaseGeometry:
    try:
        geometry = shape(geojson)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryError(str(exc)) from exc
    if geometry.is_empty:
        raise GeometryError("empty geometry")
    return geometry


def valid_area(geojson: GeoJSON) -> BaseGeometry:
    """The shape of a Polygon or MultiPolygon that is valid (no self-intersection)."""
    if not isinstance(geojson, dict) or geojson.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError("not a Polygon or MultiPolygon")
    geometry = to_shape(geojson)
    if not geometry.is_valid:
        raise GeometryError(shapely.validation.explain_validity(geometry))
    return geometry


def bounds_fields(geojson: GeoJSON | None) -> dict[str, float | None]:
    """The values of the GeoBoundsMixin fields for a geometry (or all None)."""
    if not geojson:
        return dict.fromkeys(("min_lon", "min_lat", "max_lon", "max_lat"), None)
    min_lon, min_lat, max_lon, max_lat = to_shape(geojson).bounds
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


def inside_point(geojson: GeoJSON) -> tuple[float, float]:
    """A point guaranteed to lie inside the geometry, as (lon, lat)."""
    point = to_shape(geojson).representative_point()
    return (point.x, point.y)


def contains(geojson: GeoJSON, lon: float, lat: float) -> bool:
    return bool(to_shape(geojson).covers(Point(lon, lat)))


def voronoi_cells(area: GeoJSON, centres: Sequence[tuple[float, float]]) -> list[GeoJSON]:
    """Cells of the given centres, clipped to the area, in the order of ``centres``.

    Used to build believable districts where the real boundaries are not available."""
    region = to_shape(area)
    points = shapely.MultiPoint([Point(lon, lat) for lon, lat in centres])
    cells = shapely.voronoi_polygons(points, extend_to=region.envelope.buffer(0.1))
    result: list[GeoJSON] = []
    for lon, lat in centres:
        centre = Point(lon, lat)
        cell = next(c for c in cells.geoms if c.covers(centre))
        clipped = shapely.set_precision(cell.intersection(region), 1e-6)
        result.append(mapping(clipped))
    return [plain(geometry) for geometry in result]


def plain(geojson: Any) -> Any:
    """Tuples to lists, so that the result is the same JSON after a round trip."""
    if isinstance(geojson, dict):
        return {key: plain(value) for key, value in geojson.items()}
    if isinstance(geojson, list | tuple):
        return [plain(value) for value in geojson]
    return geojson
