"""Reads on the commons catalogue. Every list is bounded by pagination or by the viewport, and
runs a fixed number of queries whatever the size of the catalogue."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Avg, Count, F, FloatField, Max, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Floor

from cocity.commons.filters import BBox
from cocity.commons.models import Commons, Document, Hub, Photo
from cocity.core import search
from cocity.municipalities.models import Municipality

# Below this zoom, or when a viewport holds more commons than this, the map gets clusters.
CLUSTER_BELOW_ZOOM = 16
MAX_FEATURES = 300
CLUSTER_CELL_PX = 80  # the side of a cluster cell on screen
# The searched text of the catalogue, as installed by the migration commons 0002
# (tests/search checks that they agree).
COMMONS_SEARCH = search.Index(
    table="commons_commons", columns=(("name", "A"), ("address", "B"), ("description", "C"))
)


def commons_filtered(
    *,
    municipality: Municipality,
    q: str = "",
    kind: str = "",
    district: str = "",
    availability: str = "",
    bbox: BBox | None = None,
    include_unplaced: bool = False,
) -> QuerySet[Commons]:
    """``q`` is searched in the name, the address and the description (``cocity.core.search``:
    ``commons_list`` puts the best matches first). ``include_unplaced`` keeps commons without
    a position (immaterial ones) in a viewport's list, since no map can show them."""
    qs = Commons.objects.filter(municipality=municipality)
    if q:
        qs = search.search(qs, text=q, index=COMMONS_SEARCH)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district__slug=district)
    if availability:
        qs = qs.filter(availability=availability)
    if bbox is not None:
        in_view = Q(
            min_lon__lte=bbox.max_lon,
            max_lon__gte=bbox.min_lon,
            min_lat__lte=bbox.max_lat,
            max_lat__gte=bbox.min_lat,
        )
        qs = qs.filter(in_view | Q(lon__isnull=True) if include_unplaced else in_view)
    return qs


def commons_list(*, municipality: Municipality, **filters: Any) -> QuerySet[Commons]:
    """The catalogue's rows for a list page (paginate the result): district and the first
    photo's thumbnail come with them; with a search, the best matches first."""
    qs = (
        commons_filtered(municipality=municipality, **filters)
        .select_related("district")
        .defer("boundary", "description", "heritage_notes")
    )
    return search.ranked(qs, "name", "id")


def commons_detail(*, municipality: Municipality, pk: int) -> Commons:
    return (
        Commons.objects.select_related("district", "municipality", "hub", "hub__run_by")
        .defer("district__boundary", "municipality__boundary")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("position", "id")),
            Prefetch("documents", queryset=Document.objects.order_by("title", "id")),
            # The pacts app depends on this one, not the other way round: named by label.
            Prefetch(
                "pacts",
                queryset=apps.get_model("pacts", "Pact")
                .objects.exclude(status="draft")
                .only("number", "title", "status", "commons_id", "municipality_id", "submitted_at")
                .order_by("-submitted_at"),
            ),
        )
        .get(municipality=municipality, pk=pk)
    )


def hub_list(*, municipality: Municipality) -> QuerySet[Hub]:
    return (
        Hub.objects.filter(commons__municipality=municipality)
        .select_related("commons", "commons__district", "run_by")
        .order_by("commons__name")
    )


def commons_counts(ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Commons.objects.filter(municipality_id__in=list(ids))
        .values("municipality_id")
        .annotate(n=Count("id"))
    )
    return {row["municipality_id"]: row["n"] for row in rows}


def hub_counts(ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Hub.objects.filter(commons__municipality_id__in=list(ids))
        .values("commons__municipality_id")
        .annotate(n=Count("id"))
    )
    return {row["commons__municipality_id"]: row["n"] for row in rows}


def _feature(commons: Commons, city: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": commons.pk,
        "geometry": commons.boundary,
        "properties": {
            "id": commons.pk,
            "name": commons.name,
            "kind": commons.kind,
            "availability": commons.availability,
            "url": commons.url_for(city),
        },
    }


def commons_geojson(
    *, municipality: Municipality, zoom: int | None, bbox: BBox | None, **filters: Any
) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection for a map viewport: single commons when few or zoomed in,
    otherwise clusters computed in the database on a grid of the zoom level, with the commons
    of single-member cells returned as themselves. Never more than a few hundred features."""
    qs = commons_filtered(municipality=municipality, bbox=bbox, **filters).exclude(lon=None)
    zoom = 12 if zoom is None else zoom
    fields = ("id", "name", "slug", "kind", "availability", "boundary")
    if zoom >= CLUSTER_BELOW_ZOOM or qs[: MAX_FEATURES + 1].count() <= MAX_FEATURES:
        commons = list(qs.only(*fields).order_by("id")[:MAX_FEATURES])
        return {
            "type": "FeatureCollection",
            "features": [_feature(c, municipality.slug) for c in commons],
        }

    # Degrees of longitude covered by one cell at this zoom (256-pixel tiles); latitude uses
    # the same step, a fair approximation at Italian latitudes for grouping purposes.
    cell = CLUSTER_CELL_PX * 360 / (256 * 2**zoom)
    cells = list(
        qs.annotate(
            cx=Floor(_div("lon", cell)), cy=Floor(_div("lat", cell / math.cos(math.radians(42))))
        )
        .values("cx", "cy")
        .annotate(
            n=Count("id"),
            c_lon=Avg("lon"),
            c_lat=Avg("lat"),
            first=Min("id"),
            w=Min("lon"),
            s=Min("lat"),
            e=Max("lon"),
            n_=Max("lat"),
        )
        .order_by()
    )
    singles = {row["first"] for row in cells if row["n"] == 1}
    single_commons = (
        {c.pk: c for c in Commons.objects.filter(pk__in=singles).only(*fields)} if singles else {}
    )
    features = []
    for row in cells:
        if row["n"] == 1 and row["first"] in single_commons:
            features.append(_feature(single_commons[row["first"]], municipality.slug))
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["c_lon"], row["c_lat"]]},
                "properties": {
                    "cluster": True,
                    "count": row["n"],
                    "bbox": [row["w"], row["s"], row["e"], row["n_"]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _div(field: str, step: float) -> Any:
    return F(field) / Value(step, output_field=FloatField())


def home_hubs(municipality: Municipality) -> dict[str, Any]:
    """The neighbourhood houses for a city's home page."""
    return {"hubs": list(hub_list(municipality=municipality))}


@dataclass(frozen=True)
class CommonsChoices:
    """What a form's choice of one commons offers (``commons_choices``)."""

    count: int  # the commons of the city
    rows: list[tuple[int, str]]  # (id, name), the chosen one first
    matches: int  # how many of ``rows`` match the query (the chosen one too, if it does)


def commons_choices(
    *, municipality: Municipality, q: str = "", chosen: int | None = None, limit: int = 50
) -> CommonsChoices:
    """Every commons of the city when there are at most ``limit``, else the best ``limit``
    matches of ``q`` (none without a query), with ``chosen`` first if it is one of the city's.
    A large city has thousands: a list of them all is unusable and weighs half a megabyte."""
    everything = Commons.objects.filter(municipality=municipality)
    count = everything.count()
    if count <= limit:
        rows = list(everything.order_by("name").values_list("pk", "name"))
        return CommonsChoices(count=count, rows=rows, matches=count)
    first = (
        list(everything.filter(pk=chosen).values_list("pk", "name")) if chosen is not None else []
    )
    found: list[tuple[int, str]] = []
    if q:
        ranked = search.ranked(commons_filtered(municipality=municipality, q=q), "name", "id")
        found = list(ranked.values_list("pk", "name")[:limit])
    rest = [row for row in found if row[0] != chosen]
    return CommonsChoices(count=count, rows=first + rest, matches=len(found))
