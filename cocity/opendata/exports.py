"""The open-data exports of a municipality: its pacts and its commons as CSV (RFC 4180, UTF-8,
header row, CRLF) and as GeoJSON (RFC 7946 FeatureCollection), every row, streamed.

Memory stays flat whatever the number of rows: one query reads the rows as tuples in chunks
(``values_list(...).iterator(chunk_size=...)``), each row is written to a small buffer that is
handed to the server every ``FLUSH_BYTES``. The column names are documented in
``docs/opendata.md``; change both together.

Privacy: the rows are public registers. Drafts never appear (``pact_registry`` excludes them);
a private citizen's name appears only with their consent, otherwise "a citizen", and that
choice is made in SQL so that a private name never leaves the database; no e-mail is read."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

from cocity.commons.models import Commons, Hub
from cocity.commons.selectors import commons_filtered
from cocity.core.csvsafe import csv_cell
from cocity.core.versions import city_token
from cocity.municipalities.models import Municipality
from cocity.pacts.models import STAGE_STATUSES
from cocity.pacts.selectors import pact_registry

CHUNK_SIZE = 2000  # rows fetched from the database at a time
FLUSH_BYTES = 64 * 1024  # bytes written before a piece of the body goes to the server

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
GEOJSON_CONTENT_TYPE = "application/geo+json"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "geojson": GEOJSON_CONTENT_TYPE}

# The public name of a private citizen who did not agree to show theirs (same as the API).
A_CITIZEN = "a citizen"

PACT_FIELDS: tuple[str, ...] = (
    "number",
    "title",
    "status",
    "stage",
    "complexity",
    "category",
    "commons_id",
    "commons",
    "district",
    "proponent",
    "proponent_kind",
    "submitted_at",
    "start_date",
    "end_date",
    "url",
    "lon",
    "lat",
)
COMMONS_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "availability",
    "address",
    "district",
    "owning_department",
    "lon",
    "lat",
    "url",
    "is_hub",
)

# JSON types of the GeoJSON properties, for the OpenAPI schema (others: string or null).
_NOT_NULL = ["string"]
PACT_TYPES: dict[str, list[str]] = {
    **dict.fromkeys(("number", "title", "status", "stage", "complexity", "url"), _NOT_NULL),
    "proponent": _NOT_NULL,
    "proponent_kind": _NOT_NULL,
    "commons_id": ["integer", "null"],
}
COMMONS_TYPES: dict[str, list[str]] = {
    **dict.fromkeys(
        ("name", "kind", "availability", "address", "owning_department", "url"), _NOT_NULL
    ),
    "id": ["integer"],
    "is_hub": ["boolean"],
}

_STAGE_OF = {status: stage for stage, statuses in STAGE_STATUSES.items() for status in statuses}
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what ``reverse`` leaves unquoted in a path
_SENTINEL = "cocity0sentinel"
_PK_SENTINEL = 987654321987


def geojson_schema(fields: tuple[str, ...], types: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON Schema of a GeoJSON export, for the OpenAPI description."""
    point = {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
            },
        },
    }
    feature = {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": ["string", "integer"]},
            "geometry": {"anyOf": [point, {"type": "null"}]},
            "properties": {
                "type": "object",
                "required": [f for f in fields if f not in ("lon", "lat")],
                "properties": {
                    f: {"type": types.get(f, ["string", "null"])}
                    for f in fields
                    if f not in ("lon", "lat")
                },
            },
        },
    }
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature},
        },
    }


# Rows ---------------------------------------------------------------------------------------


def _timestamp(value: dt.datetime | None) -> str | None:
    """RFC 3339 in UTC, to the second: ``2026-03-01T09:30:00Z``."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _url_template(request: HttpRequest, url_name: str, **kwargs: Any) -> tuple[str, str]:
    """The absolute URL of ``url_name`` split around the one argument given as the sentinel,
    so that each row's URL is a concatenation instead of a ``reverse``."""
    url = request.build_absolute_uri(reverse(url_name, kwargs=kwargs))
    prefix, sentinel, suffix = url.partition(_SENTINEL)
    assert sentinel and _SENTINEL not in suffix, url
    return prefix, suffix


def pact_rows(request: HttpRequest, municipality: Municipality) -> Iterator[tuple[Any, ...]]:
    """The public pacts of a municipality, newest first, as tuples in ``PACT_FIELDS`` order.
    Reads the database lazily, in one query."""
    prefix, suffix = _url_template(
        request, "pacts:detail", city=municipality.slug, number=_SENTINEL
    )
    on_commons = Q(commons__lon__isnull=False, commons__lat__isnull=False)
    rows = (
        pact_registry(municipality=municipality)
        .annotate(
            public_proponent=Case(
                When(
                    proponent_organisation__isnull=False,
                    then=F("proponent_organisation__name"),
                ),
                When(proponent__show_name_publicly=True, then=F("proponent__display_name")),
                default=Value(A_CITIZEN),
                output_field=CharField(),
            ),
            public_proponent_kind=Case(
                When(
                    proponent_organisation__isnull=False,
                    then=F("proponent_organisation__kind"),
                ),
                default=Value("person"),
                output_field=CharField(),
            ),
            x=Case(
                When(on_commons, then=F("commons__lon")),
                default=F("place_lon"),
                output_field=FloatField(),
            ),
            y=Case(
                When(on_commons, then=F("commons__lat")),
                default=F("place_lat"),
                output_field=FloatField(),
            ),
        )
        .values_list(
            "number",
            "title",
            "status",
            "complexity",
            "category__name",
            "commons_id",
            "commons__name",
            "commons__district__name",
            "public_proponent",
            "public_proponent_kind",
            "submitted_at",
            "start_date",
            "end_date",
            "x",
            "y",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for number, title, status, complexity, *as_read, submitted, start, end, lon, lat in rows:
        # ``as_read``: from the category to the proponent's kind, exported as they are.
        yield (
            number,
            title,
            status,
            _STAGE_OF.get(status, ""),
            complexity,
            *as_read,
            _timestamp(submitted),
            _date(start),
            _date(end),
            f"{prefix}{quote(number, safe=_URL_SAFE)}{suffix}",
            lon,
            lat,
        )


def commons_queryset(municipality: Municipality, **filters: Any) -> QuerySet[Commons]:
    """Every commons of the municipality (or those matching the catalogue's ``filters``)."""
    return commons_filtered(municipality=municipality, **filters).order_by("id")


def commons_rows(
    request: HttpRequest, municipality: Municipality, **filters: Any
) -> Iterator[tuple[Any, ...]]:
    """The commons of a municipality by id, as tuples in ``COMMONS_FIELDS`` order. Reads the
    database lazily, in one query."""
    pk_prefix, pk_suffix = _url_template(
        request, "commons:detail", city=municipality.slug, pk=_PK_SENTINEL, slug=_SENTINEL
    )
    # The template holds both sentinels: split the first part again around the id.
    head, _, middle = pk_prefix.partition(str(_PK_SENTINEL))
    rows = (
        commons_queryset(municipality, **filters)
        .annotate(is_hub=Exists(Hub.objects.filter(commons=OuterRef("pk"))))
        .values_list(
            "id",
            "name",
            "kind",
            "availability",
            "address",
            "district__name",
            "owning_department",
            "lon",
            "lat",
            "slug",
            "is_hub",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for pk, name, kind, availability, address, district, department, lon, lat, slug, hub in rows:
        yield (
            pk,
            name,
            kind,
            availability,
            address,
            district,
            department,
            lon,
            lat,
            f"{head}{pk}{middle}{slug}{pk_suffix}",
            bool(hub),
        )


# Streams ------------------------------------------------------------------------------------


class _Buffer:
    """A pseudo-file for ``csv.writer``: keeps what was written until drained."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def drain(self) -> bytes:
        data = "".join(self.parts).encode()
        self.parts.clear()
        self.size = 0
        return data


def _csv_value(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return csv_cell(value)  # csv writes None as an empty field


def csv_stream(header: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote
    or a line break (quotes doubled); UTF-8 without a byte-order mark. A text that a
    spreadsheet would run as a formula gets a leading ``'`` (cocity/core/csvsafe.py)."""
    buffer = _Buffer()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        if buffer.size >= FLUSH_BYTES:
            yield buffer.drain()
    yield buffer.drain()


def geojson_stream(
    fields: tuple[str, ...], rows: Iterable[tuple[Any, ...]], id_field: str
) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection, one feature per line: a Point at (lon, lat), or a null
    geometry for a row without a position; the other fields are the properties."""
    lon_at, lat_at = fields.index("lon"), fields.index("lat")
    names = [(i, name) for i, name in enumerate(fields) if name not in ("lon", "lat")]
    id_at = fields.index(id_field)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    buffer = _Buffer()
    buffer.write('{"type":"FeatureCollection","features":[')
    separator = "\n"
    for row in rows:
        lon, lat = row[lon_at], row[lat_at]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lon is not None and lat is not None
            else None
        )
        feature = {
            "type": "Feature",
            "id": row[id_at],
            "geometry": geometry,
            "properties": {name: row[i] for i, name in names},
        }
        buffer.write(separator)
        buffer.write(dumps(feature))
        separator = ",\n"
        if buffer.size >= FLUSH_BYTES:
            yield buffer.drain()
    buffer.write("\n]}\n")
    yield buffer.drain()


# Responses ----------------------------------------------------------------------------------


def _streaming(stream: Iterator[bytes], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


STORED_OLD_SECONDS = 600  # other versions of a stored export older than this are removed


def _export(
    request: HttpRequest,
    municipality: Municipality,
    file: str,
    stream: Iterator[bytes],
) -> StreamingHttpResponse:
    """A whole export of the municipality, downloaded as ``<city>-<file>`` (``file``:
    ``pacts.csv``, ``commons.geojson``…; the type follows): streamed while it is written to a
    file under ``var/exports/`` once per version of the city's data (cocity/core/versions.py), then
    served from that file, so that a crawler downloading the register again costs a file read,
    not a query and a CSV writer per row. Memory stays flat either way. With
    ``PAGE_CACHE_SECONDS=0`` every download is built afresh. ``stream`` is a generator: it
    reads nothing unless the export is built."""
    name = f"{municipality.slug}-{file}"
    content_type = CONTENT_TYPES[file.rpartition(".")[2]]
    if not settings.PAGE_CACHE_SECONDS:
        return _streaming(stream, content_type, name)
    language = translation.get_language() or settings.LANGUAGE_CODE
    origin = f"{request.scheme}://{request.get_host()}"
    version = city_token(municipality.pk)
    key = hashlib.sha256(f"{origin}|{language}|{version}".encode()).hexdigest()[:20]
    folder = Path(settings.VAR_DIR) / "exports"
    path = folder / f"{name}.{key}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        return _streaming(_write_through(stream, path, folder, name), content_type, name)
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _write_through(stream: Iterator[bytes], path: Path, folder: Path, name: str) -> Iterator[bytes]:
    """Stream the export to the client and to a temporary file, which becomes the stored
    export only when it is complete (a download cut short leaves nothing behind)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with temporary.open("wb") as handle:
            for chunk in stream:
                handle.write(chunk)
                yield chunk
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # the database cursor of a download cut short
    now = time.time()
    for old in folder.glob(f"{name}.*"):
        if old != path and now - old.stat().st_mtime > STORED_OLD_SECONDS:
            old.unlink(missing_ok=True)


def pacts_csv(request: HttpRequest, municipality: Municipality) -> StreamingHttpResponse:
    rows = pact_rows(request, municipality)
    return _export(request, municipality, "pacts.csv", csv_stream(PACT_FIELDS, rows))


def pacts_geojson(request: HttpRequest, municipality: Municipality) -> StreamingHttpResponse:
    rows = pact_rows(request, municipality)
    return _export(
        request, municipality, "pacts.geojson", geojson_stream(PACT_FIELDS, rows, "number")
    )


def commons_csv(request: HttpRequest, municipality: Municipality) -> StreamingHttpResponse:
    rows = commons_rows(request, municipality)
    return _export(request, municipality, "commons.csv", csv_stream(COMMONS_FIELDS, rows))


def commons_geojson(
    request: HttpRequest, municipality: Municipality, **filters: Any
) -> StreamingHttpResponse:
    """``filters`` are the catalogue's (``q``, ``kind``, ``district``, ``availability``): a
    filtered export is always built afresh."""
    if any(filters.values()):
        return _streaming(
            geojson_stream(COMMONS_FIELDS, commons_rows(request, municipality, **filters), "id"),
            GEOJSON_CONTENT_TYPE,
            f"{municipality.slug}-commons.geojson",
        )
    rows = commons_rows(request, municipality)
    return _export(
        request, municipality, "commons.geojson", geojson_stream(COMMONS_FIELDS, rows, "id")
    )
