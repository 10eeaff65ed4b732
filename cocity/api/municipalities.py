"""``/api/v1/municipalities`` and ``/api/v1/<city>/districts``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cocity.api.schemas import ErrorOut
from cocity.municipalities.models import District, Municipality
from cocity.municipalities.selectors import municipality_get

router = Router(tags=["municipalities"])


class RegulationOut(Schema):
    consultation_days: int
    completeness_check_days: int
    evaluation_days: int
    report_interval_months: int
    ordinary_max_months: int
    complex_max_months: int
    simple_pacts_skip_consultation: bool


class MunicipalityOut(Schema):
    slug: str
    name: str
    istat_code: str | None
    ipa_code: str = Field(description="Index of Italian public administrations; may be empty")
    province: str
    region: str
    lon: float | None = Field(description="A point inside the municipality (WGS 84)")
    lat: float | None
    bbox: list[float] | None = Field(description="minLon, minLat, maxLon, maxLat")
    open_data_licence: str
    regulation: RegulationOut
    url: str


class MunicipalityDetail(MunicipalityOut):
    boundary: dict[str, Any] | None = Field(description="GeoJSON (Multi)Polygon")


class DistrictOut(Schema):
    slug: str
    number: int | None
    name: str
    lon: float | None
    lat: float | None
    bbox: list[float] | None
    boundary: dict[str, Any] | None = Field(description="GeoJSON (Multi)Polygon")


def _bbox(item: Municipality | District) -> list[float] | None:
    if item.min_lon is None or item.min_lat is None or item.max_lon is None or item.max_lat is None:
        return None
    return [item.min_lon, item.min_lat, item.max_lon, item.max_lat]


def _municipality(request: HttpRequest, m: Municipality) -> dict[str, Any]:
    return {
        "slug": m.slug,
        "name": m.name,
        "istat_code": m.istat_code,
        "ipa_code": m.ipa_code,
        "province": m.province,
        "region": m.region,
        "lon": m.lon,
        "lat": m.lat,
        "bbox": _bbox(m),
        "open_data_licence": m.open_data_licence,
        "regulation": {field: getattr(m, field) for field in RegulationOut.model_fields},
        "url": request.build_absolute_uri(m.get_absolute_url()),
    }


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    summary="The municipalities on the platform",
    url_name="municipalities_list",
)
def municipalities_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every municipality with its regulation settings (a few hundred at most: not paged)."""
    return [
        _municipality(request, m) for m in Municipality.objects.defer("boundary").order_by("name")
    ]


@router.get(
    "/municipalities/{slug}",
    response={200: MunicipalityDetail, 404: ErrorOut},
    summary="One municipality with its boundary",
    url_name="municipalities_detail",
)
def municipalities_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    municipality = municipality_get(slug=slug)
    return {**_municipality(request, municipality), "boundary": municipality.boundary}


@router.get(
    "/{city}/districts",
    response={200: list[DistrictOut], 404: ErrorOut},
    summary="The districts of a municipality",
    url_name="districts_list",
)
def districts_list(request: HttpRequest, city: str) -> list[dict[str, Any]]:
    municipality = municipality_get(slug=city)
    districts = District.objects.filter(municipality=municipality).order_by("number", "name")
    return [
        {
            "slug": d.slug,
            "number": d.number,
            "name": d.name,
            "lon": d.lon,
            "lat": d.lat,
            "bbox": _bbox(d),
            "boundary": d.boundary,
        }
        for d in districts
    ]
