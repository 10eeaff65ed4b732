"""Open-data endpoints: the streamed exports and the DCAT-AP_IT catalogue.

``/api/v1/<city>/commons.geojson`` lives in ``cocity.api.commons`` (the map's viewport
endpoint): without ``bbox`` and ``zoom`` it answers the full export built here."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Router

from cocity.api.schemas import ErrorOut
from cocity.municipalities.selectors import municipality_get
from cocity.opendata import catalog, exports

router = Router(tags=["open data"])

JSONLD_CONTENT_TYPE = "application/ld+json"
FIELDS_DOC = "Field names and meanings: docs/opendata.md."


def _streamed(media_type: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI description of a 200 answered with a file rather than a JSON schema."""
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}}
        }
    }


CSV_200 = _streamed(
    "text/csv",
    "RFC 4180 CSV in UTF-8 (no byte-order mark), header row, CRLF line ends; streamed.",
    {"type": "string"},
)
GEOJSON_DESCRIPTION = (
    "An RFC 7946 FeatureCollection of Point features (geometry null when the row has no "
    "position); streamed."
)


@router.get(
    "/catalog.jsonld",
    summary="The open-data catalogue (DCAT-AP_IT, JSON-LD)",
    description=(
        "A DCAT-AP_IT catalogue as JSON-LD (`application/ld+json`, inline `@context`): for "
        "each municipality a *pacts* and a *commons* dataset, each with a CSV and a GeoJSON "
        "distribution (the exports below), licence, publisher (the municipality, identified "
        "by its IPA code, else its ISTAT code), themes, update frequency and last change."
    ),
    url_name="catalog",
    openapi_extra={
        "responses": {
            200: {
                "description": "The catalogue",
                "content": {JSONLD_CONTENT_TYPE: {"schema": {"type": "object"}}},
            }
        }
    },
)
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        json.dumps(catalog.catalog(request), ensure_ascii=False, indent=1),
        content_type=JSONLD_CONTENT_TYPE,
    )


@router.get(
    "/{city}/pacts.csv",
    response={404: ErrorOut},
    summary="Every public pact of a municipality as CSV",
    description=(
        "One row per pact past its draft, newest first. Private citizens appear only by name "
        "with their consent, otherwise as “a citizen”; no e-mail address. " + FIELDS_DOC
    ),
    url_name="pacts_csv",
    openapi_extra=CSV_200,
)
def pacts_csv(request: HttpRequest, city: str) -> StreamingHttpResponse:
    return exports.pacts_csv(request, municipality_get(slug=city))


@router.get(
    "/{city}/pacts.geojson",
    response={404: ErrorOut},
    summary="Every public pact of a municipality as GeoJSON",
    description=(
        "The pacts of the CSV export as RFC 7946 features: a Point at the commons' position, "
        "or at the place pinned by the proponent, or a null geometry. " + FIELDS_DOC
    ),
    url_name="pacts_geojson",
    openapi_extra=_streamed(
        exports.GEOJSON_CONTENT_TYPE,
        GEOJSON_DESCRIPTION,
        exports.geojson_schema(exports.PACT_FIELDS, exports.PACT_TYPES),
    ),
)
def pacts_geojson(request: HttpRequest, city: str) -> StreamingHttpResponse:
    return exports.pacts_geojson(request, municipality_get(slug=city))


@router.get(
    "/{city}/commons.csv",
    response={404: ErrorOut},
    summary="Every commons of a municipality as CSV",
    description=(
        "One row per commons, by id; "
        "`/api/v1/{city}/commons.geojson` without `bbox` and `zoom` is the same data as "
        "GeoJSON. " + FIELDS_DOC
    ),
    url_name="commons_csv",
    openapi_extra=CSV_200,
)
def commons_csv(request: HttpRequest, city: str) -> StreamingHttpResponse:
    return exports.commons_csv(request, municipality_get(slug=city))
