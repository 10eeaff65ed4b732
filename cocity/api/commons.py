"""``/api/v1/<city>/commons`` and ``/api/v1/<city>/commons.geojson``."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema

from cocity.api.pagination import paginate
from cocity.api.schemas import DistrictFilter, ErrorOut, PageQuery, valid
from cocity.commons import selectors
from cocity.commons.filters import CommonsFilterForm
from cocity.municipalities.models import Municipality
from cocity.municipalities.selectors import municipality_get
from cocity.opendata import exports

router = Router(tags=["commons"])


class CommonsFilters(Schema):
    """Every filter is a string, validated by the same form as the page, so that a bad value
    gives a 400 that names the parameter."""

    q: str = Field("", description="Text in the name, address or description")
    kind: str = Field(
        "", description="building, green_area, square_street, school, sports_facility or immaterial"
    )
    district: DistrictFilter = ""
    availability: str = Field("", description="open, under_pact or unavailable")
    bbox: str = Field("", description="minLon,minLat,maxLon,maxLat (WGS 84)")


class CommonsOut(Schema):
    id: int
    name: str
    kind: str
    availability: str
    address: str
    district: str | None = Field(None, description="The district's name")
    lon: float | None
    lat: float | None
    url: str


class CommonsPage(Schema):
    count: int
    next: str | None = Field(description="The next page, or null on the last one")
    results: list[CommonsOut]


class PointGeometry(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class AreaGeometry(Schema):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any]


class FeatureProperties(Schema):
    id: int | None = None
    name: str | None = None
    kind: str | None = None
    availability: str | None = None
    url: str | None = None
    cluster: bool | None = Field(None, description="true for a cluster of several commons")
    count: int | None = Field(None, description="how many commons a cluster holds")
    bbox: list[float] | None = Field(None, description="the extent of a cluster's commons")


class Feature(Schema):
    type: Literal["Feature"]
    id: int | None = None
    geometry: PointGeometry | AreaGeometry
    properties: FeatureProperties


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[Feature]


def _validated(
    request: HttpRequest, city: str, params: dict[str, Any]
) -> tuple[Municipality, CommonsFilterForm]:
    municipality = municipality_get(slug=city)
    return municipality, valid(CommonsFilterForm(params, municipality=municipality))


@router.get(
    "/{city}/commons",
    response={200: CommonsPage, 400: ErrorOut, 404: ErrorOut},
    summary="Commons of a municipality",
    url_name="commons_list",
)
def commons_list(
    request: HttpRequest,
    city: str,
    filters: Query[CommonsFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The catalogue, filtered like the page, ordered by name, paginated by cursor."""
    municipality, form = _validated(request, city, filters.dict())
    qs = selectors.commons_list(municipality=municipality, **form.filters())
    return paginate(
        request,
        qs,
        page,
        ordering=("name", "id"),
        serialize=lambda c: {
            "id": c.pk,
            "name": c.name,
            "kind": c.kind,
            "availability": c.availability,
            "address": c.address,
            "district": c.district.name if c.district else None,
            "lon": c.lon,
            "lat": c.lat,
            "url": request.build_absolute_uri(c.url_for(municipality.slug)),
        },
    )


@router.get(
    "/{city}/commons.geojson",
    response={200: FeatureCollection, 400: ErrorOut, 404: ErrorOut},
    summary="Commons of a municipality as GeoJSON: a map viewport, or the full export",
    url_name="commons_geojson",
    exclude_none=True,
    openapi_extra={
        "responses": {
            200: {
                "description": "With bbox or zoom: the viewport's features (application/json). "
                "With neither: the full export, streamed (application/geo+json).",
                "content": {
                    exports.GEOJSON_CONTENT_TYPE: {
                        "schema": exports.geojson_schema(
                            exports.COMMONS_FIELDS, exports.COMMONS_TYPES
                        )
                    }
                },
            }
        }
    },
)
def commons_geojson(
    request: HttpRequest, city: str, filters: Query[CommonsFilters], zoom: str = ""
) -> dict[str, Any] | HttpResponseBase:
    """With ``bbox`` or ``zoom`` (the map): an RFC 7946 FeatureCollection of the commons in the
    viewport ``bbox``. At low zoom, or when the viewport holds many commons, clusters come as
    Point features with ``"cluster": true`` and ``"count"``; never more than a few hundred
    features.

    With neither ``bbox`` nor ``zoom`` (the open-data export): every commons of the
    municipality, or those matching ``q``, ``kind``, ``district`` and ``availability``, streamed
    as ``application/geo+json``, one Point feature at each commons' position (a null geometry
    for a commons without one) with the properties of ``commons.csv`` (see docs/opendata.md)."""
    municipality, form = _validated(request, city, {**filters.dict(), "zoom": zoom})
    if not filters.bbox and not zoom:
        return exports.commons_geojson(request, municipality, **form.filters())
    return selectors.commons_geojson(
        municipality=municipality, zoom=form.cleaned_data["zoom"], **form.filters()
    )
