"""``/api/v1/<city>/impact`` and ``/api/v1/impact``: the indicators as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cocity.api.schemas import CategoryFilter, DistrictFilter, ErrorOut, valid
from cocity.impact import selectors
from cocity.impact.forms import ImpactFilterForm
from cocity.municipalities.selectors import municipality_get

router = Router(tags=["impact"])


class ImpactFilters(Schema):
    year_from: str = Field("", description="First year of submission")
    year_to: str = Field("", description="Last year of submission")
    district: DistrictFilter = ""
    category: CategoryFilter = ""
    programme: str = Field("", description="The programme's id")


class Count(Schema):
    key: str | int | None
    count: int


class MedianStep(Schema):
    status: str
    median_days: float | None
    transitions: int


class Indicators(Schema):
    by_status: list[Count]
    by_category: list[Count]
    by_district: list[Count]
    signed_by_year: list[Count]
    funnel: list[Count] = Field(description="proposals, co_design, signed")
    conversion: float | None = Field(description="Signed pacts per 100 proposals")
    running: int
    organisations: int
    citizens: int
    hours: Decimal
    people_reached: int
    euros_city: Decimal
    euros_city_supports: Decimal
    euros_city_programmes: Decimal
    euros_citizens: Decimal
    commons_under_care: int
    median_days: list[MedianStep]


class ProgrammeTotal(Schema):
    name: str
    funder: str
    budget: Decimal
    projects: int
    organisations: int
    euros: Decimal


class CityImpact(Indicators):
    municipality: str
    programmes: list[ProgrammeTotal]


class ObservatoryRow(Schema):
    slug: str
    name: str
    region: str
    proposals: int
    signed: int
    running: int
    conversion: float | None
    organisations: int
    citizens: int
    hours: Decimal
    people_reached: int
    euros_city: Decimal
    euros_citizens: Decimal
    commons_under_care: int


class NationalImpact(Schema):
    national: Indicators
    municipalities: list[ObservatoryRow]


def _shape(data: dict[str, Any]) -> dict[str, Any]:
    counts = {
        k: [{"key": key, "count": n} for key, n in data[k]]
        for k in ("by_status", "by_category", "by_district", "signed_by_year", "funnel")
    }
    return {
        **data,
        **counts,
        "median_days": [
            {"status": s, "median_days": d, "transitions": n} for s, d, n in data["median_days"]
        ],
    }


@router.get(
    "/{city}/impact",
    response={200: CityImpact, 400: ErrorOut, 404: ErrorOut},
    summary="The impact indicators of a municipality",
    url_name="impact_city",
)
def city_impact(request: HttpRequest, city: str, filters: Query[ImpactFilters]) -> dict[str, Any]:
    municipality = municipality_get(slug=city)
    form = valid(ImpactFilterForm(filters.dict(), municipality=municipality))
    data = selectors.city_indicators(municipality=municipality, filters=form.to_filters())
    return {
        **_shape(data),
        "municipality": municipality.slug,
        "programmes": selectors.programme_totals(municipality=municipality),
    }


@router.get(
    "/impact",
    response=NationalImpact,
    summary="The national observatory",
    url_name="impact_national",
)
def national_impact(request: HttpRequest) -> dict[str, Any]:
    return {
        "national": _shape(selectors.national_indicators()),
        "municipalities": selectors.observatory()["rows"],
    }
