"""The import of a register of pacts exported by another system: a CSV file and a TOML mapping
that says which column is which field and which source value is which of our statuses (see
``docs/import.md``).

Rows are found again by their source id (``ImportedPact``), so a newer snapshot of the same
register updates the pacts it made, and the same file imported twice changes nothing. A file
is checked and imported in the background, in batches of ``BATCH_ROWS`` rows, each batch one
transaction that also records the run's progress, so that a run that stops is resumed from its
last batch (see "Runs" below, and docs/decisions/0012-background-imports.md); a row that
cannot be imported is rolled back alone (a savepoint) and reported with its line number and
reasons.

**The one exception to "only ``pact_transition`` changes a status".** The source register is
authoritative: the status it gives is written as it is, even where our workflow would not
allow that step (a proposal that became active elsewhere, a concluded pact reopened), by
``pacts.services.imports``, with a ``PactEvent`` (action ``import``) recording the old and
new status, the source value and the import. Only the pact services write ``Pact.status``.

Messages go through gettext: the management command runs in English, the office's imports in
the language of the person who uploaded the file (kept on the run for the worker)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from shapely.geometry import Point

from cocity.accounts.models import Organisation, User
from cocity.accounts.services import user_create
from cocity.commons.models import Commons
from cocity.commons.services import commons_create, commons_set_availability
from cocity.core import changes, geo
from cocity.municipalities.models import District, Municipality
from cocity.municipalities.services import district_create
from cocity.opendata import tasks
from cocity.opendata.models import ImportedPact, ImportRun
from cocity.pacts.models import Category, Pact, Party, Status
from cocity.pacts.services import category_create, pact_import_new, pact_import_status

logger = logging.getLogger(__name__)

FALLBACK = "*"
PERSON = "person"
NEARBY_METRES = 30  # an existing commons this close to a row's point is the row's commons
PREVIEW_ROWS = 20
MAX_LISTED = 500  # rows with problems or notes kept in a run's report (the counts are exact)
# What the office's page accepts (the command has no limit): a register of every pact of the
# largest Italian programme is a few thousand rows; the background import of 20,000 takes
# about ten minutes.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Rows per transaction: what a resumed import does again at most, and how long (a second or
# two) a submission in the city may wait for the protocol counter during an import.
BATCH_ROWS = 50
# How far outside the municipality's reference boundary a register's point is still taken as
# the register gives it (docs/import.md: the national boundaries are simplified to about
# 300 m; the register's points are often geocoded addresses).
BOUNDARY_TOLERANCE_METRES = 1_000
METRES_PER_DEGREE_LAT = 110_574
METRES_PER_DEGREE_LON = 111_320  # at the equator; times the cosine of the latitude
PLACEHOLDER_NAME = "Registro importato"

# Our fields that a mapping may name in [columns].
COLUMN_FIELDS = (
    "title",
    "status",
    "description",
    "category",
    "kind",
    "proponent_name",
    "proponent_kind",
    "proponent_tax_code",
    "representative",
    "commons_name",
    "address",
    "district",
    "latitude",
    "longitude",
    "coordinates",
    "start_date",
    "end_date",
    "signed_date",
    "note",
    "document_url",
)
TABLES = ("source", "columns", "status", "proponent_kind", "kind")
SOURCE_KEYS = ("delimiter", "encoding", "id", "date_format", "create_districts", "commons_kind")
# Statuses of a pact that has started: it needs its start and end dates.
STARTED = (Status.ACTIVE, Status.SUSPENDED, Status.CONCLUDED, Status.TERMINATED)
RUNNING = (Status.ACTIVE, Status.SUSPENDED)
# Which fields of ``values`` decide the commons, and the proponent.
COMMONS_KEYS = ("commons_name", "address", "district", "latitude", "longitude", "unlocated")
PROPONENT_KEYS = ("proponent_name", "proponent_kind", "proponent_tax_code", "representative")
DATE_KEYS = ("start_date", "end_date", "signed_date", "status")


class MappingError(ValueError):
    """The mapping file is malformed; the message names the key at fault."""


class SourceError(ValueError):
    """The register file cannot be read (encoding, CSV syntax, a header without a column the
    mapping names)."""


class RowRejected(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def norm(value: str) -> str:
    """How source values and headers are compared: case-insensitive, spaces collapsed."""
    return " ".join(value.split()).casefold()


# --- The mapping -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    id_column: str
    columns: dict[str, str]  # our field -> the source's header
    statuses: dict[str, str]  # normalised source value (or "*") -> our status
    proponent_kinds: dict[str, str]  # normalised source value (or "*") -> kind or "person"
    kinds: dict[str, str]  # normalised source value (or "*") -> ordinary/complex
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    date_format: str = "%Y-%m-%d"
    create_districts: bool = False
    commons_kind: str = Commons.Kind.BUILDING
    text: str = ""


def _table(data: dict[str, Any], name: str, *, required: bool) -> dict[str, Any]:
    if name not in data:
        if required:
            raise MappingError(_("mapping: [%(table)s] is missing") % {"table": name})
        return {}
    return data[name]


def _value_table(
    data: dict[str, Any], name: str, allowed: set[str], message: str
) -> dict[str, str]:
    table: dict[str, str] = {}
    originals: dict[str, str] = {}
    for key, value in _table(data, name, required=False).items():
        if not isinstance(value, str) or value.strip() not in allowed:
            raise MappingError(message % {"key": key, "value": value})
        normal = FALLBACK if key.strip() == FALLBACK else norm(key)
        if normal in table and table[normal] != value.strip():
            raise MappingError(
                _("mapping: [%(table)s] '%(first)s' and '%(second)s' are the same value")
                % {"table": name, "first": originals[normal], "second": key}
            )
        table[normal] = value.strip()
        originals[normal] = key
    return table


def _check_date_format(value: Any) -> str:
    sample = dt.date(2024, 12, 31)
    try:
        if not isinstance(value, str) or "%" not in value:
            raise ValueError(value)
        if dt.datetime.strptime(sample.strftime(value), value).date() != sample:
            raise ValueError(value)
    except ValueError:
        raise MappingError(
            _("mapping: [source] date_format '%(value)s' is not a date format like \"%%d/%%m/%%Y\"")
            % {"value": value}
        ) from None
    return value


def _source_options(source: dict[str, Any]) -> dict[str, Any]:
    for key in source:
        if key not in SOURCE_KEYS:
            raise MappingError(_("mapping: unknown key '%(key)s' in [source]") % {"key": key})
    options: dict[str, Any] = {}
    id_column = source.get("id")
    if id_column is None:
        raise MappingError(_("mapping: [source] id is missing"))
    if not isinstance(id_column, str) or not id_column.strip():
        raise MappingError(_("mapping: [source] id must name a column of the file"))
    options["id_column"] = id_column.strip()
    if "delimiter" in source:
        delimiter = source["delimiter"]
        if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
            raise MappingError(_('mapping: [source] delimiter must be one character, such as ";"'))
        options["delimiter"] = delimiter
    if "encoding" in source:
        encoding = source["encoding"]
        try:
            if not isinstance(encoding, str):
                raise LookupError(encoding)
            name = codecs.lookup(encoding).name
        except LookupError:
            raise MappingError(
                _("mapping: [source] encoding '%(value)s' is not a known encoding")
                % {"value": encoding}
            ) from None
        # A byte-order mark is skipped whether or not the file has one.
        options["encoding"] = "utf-8-sig" if name in {"utf-8", "utf-8-sig"} else name
    if "date_format" in source:
        options["date_format"] = _check_date_format(source["date_format"])
    if "create_districts" in source:
        if not isinstance(source["create_districts"], bool):
            raise MappingError(_("mapping: [source] create_districts must be true or false"))
        options["create_districts"] = source["create_districts"]
    if "commons_kind" in source:
        if source["commons_kind"] not in Commons.Kind.values:
            raise MappingError(
                _("mapping: [source] commons_kind '%(value)s' is not a kind of commons (%(kinds)s)")
                % {"value": source["commons_kind"], "kinds": ", ".join(Commons.Kind.values)}
            )
        options["commons_kind"] = source["commons_kind"]
    return options


def _columns(data: dict[str, Any]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for key, value in _table(data, "columns", required=True).items():
        if key not in COLUMN_FIELDS:
            raise MappingError(_("mapping: unknown column field '%(field)s'") % {"field": key})
        if not isinstance(value, str) or not value.strip():
            raise MappingError(
                _("mapping: [columns] %(field)s must name a column of the file") % {"field": key}
            )
        columns[key] = value.strip()
    if "title" not in columns:
        raise MappingError(_("mapping: [columns] title is missing"))
    if ("latitude" in columns) != ("longitude" in columns):
        raise MappingError(_("mapping: [columns] latitude and longitude go together"))
    if "coordinates" in columns and "latitude" in columns:
        raise MappingError(
            _("mapping: [columns] give coordinates or latitude and longitude, not both")
        )
    if "proponent_kind" in columns and "proponent_name" not in columns:
        raise MappingError(_("mapping: [columns] proponent_kind needs proponent_name"))
    return columns


def mapping_parse(text: str) -> Mapping:
    """Read and check a mapping file; a ``MappingError`` names the key at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(_("mapping: not valid TOML: %(error)s") % {"error": exc}) from None
    for key, value in data.items():
        if key not in TABLES:
            raise MappingError(
                _("mapping: unknown table [%(key)s]") % {"key": key}
                if isinstance(value, dict)
                else _("mapping: unknown key '%(key)s' outside the tables") % {"key": key}
            )
        if not isinstance(value, dict):
            raise MappingError(_("mapping: [%(table)s] must be a table") % {"table": key})
    options = _source_options(_table(data, "source", required=True))
    columns = _columns(data)
    if "status" not in data:
        raise MappingError(_("mapping: [status] is missing"))
    statuses = _value_table(
        data,
        "status",
        set(Status.values) - {Status.DRAFT},
        _("mapping: [status] '%(key)s' = '%(value)s' is not a status"),
    )
    if "status" not in columns and FALLBACK not in statuses:
        raise MappingError(
            _('mapping: [columns] status is missing (or give a "*" fallback in [status])')
        )
    proponent_kinds = _value_table(
        data,
        "proponent_kind",
        {*Organisation.Kind.values, PERSON},
        _(
            "mapping: [proponent_kind] '%(key)s' = '%(value)s' is not an organisation kind or "
            '"person"'
        ),
    )
    if "proponent_kind" in columns and "proponent_kind" not in data:
        raise MappingError(_("mapping: [proponent_kind] is missing"))
    if (
        "proponent_name" in columns
        and "proponent_kind" not in columns
        and FALLBACK not in proponent_kinds
    ):
        raise MappingError(
            _(
                "mapping: [columns] proponent_kind is missing "
                '(or give a "*" fallback in [proponent_kind])'
            )
        )
    kinds = {"ordinary": "ordinary", "complex": "complex"}
    kinds.update(
        _value_table(
            data,
            "kind",
            set(Pact.Complexity.values),
            _("mapping: [kind] '%(key)s' = '%(value)s' is not ordinary or complex"),
        )
    )
    return Mapping(
        columns=columns,
        statuses=statuses,
        proponent_kinds=proponent_kinds,
        kinds=kinds,
        text=text,
        **options,
    )


# --- The file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    line: int  # where the row starts in the file (the header is line 1)
    source_id: str
    cells: dict[str, str]  # our field -> the source's value, stripped
    extra_fields: int = 0  # fields beyond the header's
    missing_fields: int = 0  # fields short of the header's (taken as empty)


@dataclass(frozen=True)
class Source:
    headers: list[str]  # the id's header, then the header of each of ``fields``
    fields: list[str]  # our fields that the mapping names, in its order
    rows: list[SourceRow]


def _delimiter_hint(header: list[str], mapping: Mapping) -> str:
    if len(header) == 1 and any(c in header[0] for c in ";,\t|" if c != mapping.delimiter):
        return " " + _("(is the delimiter right?)")
    return ""


def _nul_line(text: str) -> int | None:
    position = text.find("\x00")
    return None if position < 0 else text.count("\n", 0, position) + 1


def _swallowed_line(record: list[str], header: list[str], delimiter: str) -> int | None:
    """Within the quoted values of a record, the first continuation line that looks like a row
    of its own (as many delimiters as the header): a quote left open took it in. Returns its
    offset in lines from the start of the record, else ``None``."""
    needed = max(1, len(header) - 1)
    offset = 0
    for cell in record:
        parts = cell.split("\n")
        for extra, part in enumerate(parts[1:], start=1):
            if part.count(delimiter) >= needed:
                return offset + extra
        offset += len(parts) - 1
    return None


def read_source(data: bytes, mapping: Mapping) -> Source:
    """The rows of the register, with their line numbers; a ``SourceError`` when the file
    cannot be read with this mapping. The file fails as a whole, naming the line at fault,
    when a quote is left open (read leniently, it would swallow the rows after it) or when it
    holds a NUL character (no text field of PostgreSQL can store one)."""
    try:
        text = data.decode(mapping.encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(
            _("file: not readable as %(encoding)s (byte %(position)s): check [source] encoding")
            % {"encoding": mapping.encoding, "position": exc.start}
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise SourceError(_("file: the file is empty"))
    nul = _nul_line(text)
    if nul is not None:
        raise SourceError(
            _(
                "file: line %(line)s contains a NUL character: this is not a CSV text file "
                "(a spreadsheet, or a text in UTF-16?)"
            )
            % {"line": nul}
        )
    # strict: a quote closed in the middle of a value, or never closed, is an error.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True)
    start = 1
    try:
        header = next(reader)
        positions = {norm(h): i for i, h in reversed(list(enumerate(header)))}
        wanted = {"id": mapping.id_column, **mapping.columns}
        index: dict[str, int] = {}
        for our_field, column in wanted.items():
            if norm(column) not in positions:
                raise SourceError(
                    _(
                        "file: the header has no column '%(column)s' (mapped to %(field)s); "
                        "it has: %(found)s"
                    )
                    % {
                        "column": column,
                        "field": our_field,
                        "found": ", ".join(f"'{h}'" for h in header),
                    }
                    + _delimiter_hint(header, mapping)
                )
            if sum(1 for h in header if norm(h) == norm(column)) > 1:
                raise SourceError(
                    _("file: the column '%(column)s' appears twice in the header")
                    % {"column": column}
                )
            index[our_field] = positions[norm(column)]
        rows: list[SourceRow] = []
        last_line = reader.line_num
        start = last_line + 1
        for record in reader:
            last_line = reader.line_num
            line, start = start, last_line + 1
            if last_line > line:
                swallowed = _swallowed_line(record, header, mapping.delimiter)
                if swallowed is not None:
                    raise SourceError(
                        _(
                            "file: the quote opened on line %(line)s is not closed on its line: "
                            "the rows up to line %(end)s would become one value"
                        )
                        % {"line": line, "end": last_line}
                    )
            if not any(cell.strip() for cell in record):
                continue
            cells = {
                f: (record[i].strip() if i < len(record) else "")
                for f, i in index.items()
                if f != "id"
            }
            source_id = record[index["id"]].strip() if index["id"] < len(record) else ""
            rows.append(
                SourceRow(
                    line=line,
                    source_id=source_id,
                    cells=cells,
                    extra_fields=max(0, len(record) - len(header)),
                    missing_fields=max(0, len(header) - len(record)),
                )
            )
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise SourceError(
                _("file: the quote opened on line %(line)s is never closed") % {"line": start}
            ) from None
        if reader.line_num > start:
            raise SourceError(
                _(
                    "file: the quote opened on line %(line)s is not closed on its line: the "
                    "value runs to line %(end)s and breaks there (%(error)s)"
                )
                % {"line": start, "end": reader.line_num, "error": exc}
            ) from None
        raise SourceError(
            _(
                "file: line %(line)s cannot be read: %(error)s (a quote inside a quoted value "
                'is written twice: "")'
            )
            % {"line": reader.line_num, "error": exc}
        ) from None
    fields = list(mapping.columns)
    headers = [header[index["id"]], *(header[index[f]] for f in fields)]
    return Source(headers=headers, fields=fields, rows=rows)


# --- The report ----------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    source_id: str
    outcome: str  # created, updated, unchanged, rejected
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the office should look at although the row went in (a point outside the city…).
    warnings: list[str] = field(default_factory=list)
    number: str = ""
    from_status: str = ""
    to_status: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "source_id": self.source_id,
            "outcome": self.outcome,
            "reasons": self.reasons,
            "notes": self.notes,
            "warnings": self.warnings,
            "number": self.number,
            "from_status": self.from_status,
            "to_status": self.to_status,
        }


OUTCOMES = ("created", "updated", "unchanged", "rejected")
LISTS = ("rejected", "warned", "noted")


def _report_new(*, file_name: str, dry_run: bool, source: Source) -> dict[str, Any]:
    """The report of a run, as its ``ImportRun.report`` keeps it: each batch adds its rows, so
    that a resumed run goes on with the counts of the batches before."""
    return {
        "file_name": file_name,
        "dry_run": dry_run,
        "counts": dict.fromkeys(OUTCOMES, 0),
        "total": len(source.rows),
        "columns": source.headers,
        "rows": [],  # the first PREVIEW_ROWS rows, with their source values
        "rejected": [],
        "warned": [],
        "noted": [],
        "unlisted": dict.fromkeys(LISTS, 0),  # rows beyond MAX_LISTED (the counts are exact)
    }


def _report_add(
    report: dict[str, Any], rows: list[SourceRow], results: list[RowResult], fields: list[str]
) -> None:
    for source_row, result in zip(rows, results, strict=True):
        report["counts"][result.outcome] += 1
        if len(report["rows"]) < PREVIEW_ROWS:
            report["rows"].append(
                {
                    **result.as_json(),
                    "cells": [source_row.source_id] + [source_row.cells.get(f, "") for f in fields],
                }
            )
        rejected = result.outcome == "rejected"
        for name, belongs in (
            ("rejected", rejected),
            ("warned", not rejected and bool(result.warnings)),
            ("noted", not rejected and bool(result.notes)),
        ):
            if not belongs:
                continue
            if len(report[name]) < MAX_LISTED:
                report[name].append(result.as_json())
            else:
                report["unlisted"][name] += 1


def report_summary(report: dict[str, Any]) -> str:
    return (
        _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected."
        )
        % report["counts"]
    )


def report_lines(report: dict[str, Any]) -> list[str]:
    """The summary at the end of the command: counts, rejected rows, warnings, notes."""
    lines = [
        _("%(file)s: %(summary)s")
        % {"file": report["file_name"], "summary": report_summary(report)}
    ]
    sections = (
        ("rejected", _("Rejected rows:"), "reasons"),
        ("warned", _("Warnings:"), "warnings"),
        ("noted", _("Notes:"), "notes"),
    )
    for name, title, key in sections:
        if not report[name]:
            continue
        lines.append(str(title))
        lines += [
            "  "
            + _("line %(line)s (id %(id)s): %(text)s")
            % {"line": r["line"], "id": r["source_id"] or "—", "text": "; ".join(r[key])}
            for r in report[name]
        ]
        if report["unlisted"][name]:
            lines.append("  " + _("… and %(count)s more") % {"count": report["unlisted"][name]})
    if report["dry_run"]:
        lines.append(_("Dry run: nothing was written."))
    return lines


# --- Reading one row -------------------------------------------------------------------------


def _number(raw: str) -> float:
    text = raw.replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Italian decimals: 45,0703
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


COORDINATES = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$")


class Boundary:
    """A municipality's boundary, prepared once for the many points of a register.

    The reference boundaries are generalised (docs/import.md): a point of the register a few
    hundred metres outside is as likely the boundary's error as the register's, so distances
    outside are measured, in metres on a local plane around the point (exact enough at the
    scale of the tolerance)."""

    def __init__(self, geojson: dict[str, Any] | None):
        self.shape = geo.to_shape(geojson) if geojson else None
        if self.shape is not None:
            shapely.prepare(self.shape)

    def covers(self, lon: float, lat: float) -> bool:
        return self.shape is None or bool(self.shape.covers(Point(lon, lat)))

    def metres_outside(self, lon: float, lat: float) -> float:
        if self.shape is None:
            return 0.0
        scale = (METRES_PER_DEGREE_LON * math.cos(math.radians(lat)), METRES_PER_DEGREE_LAT)
        local = shapely.transform(self.shape, lambda c: (c - (lon, lat)) * scale)
        return float(local.distance(Point(0, 0)))


def _distance(metres: float) -> str:
    """``60 m``, ``1,1 km``, ``526 km``: no more precise than the boundaries are."""
    if metres < 995:
        return f"{formats.number_format(max(10, int(round(metres, -1))))} m"
    km = round(metres / 1000, 1 if metres < 9950 else 0)
    return f"{formats.number_format(km, decimal_pos=0 if km.is_integer() else 1)} km"


class _Reader:
    """Turns a source row into the values we store (JSON-friendly), or the reasons why not."""

    def __init__(self, municipality: Municipality, mapping: Mapping, boundary: Boundary):
        self.municipality = municipality
        self.mapping = mapping
        self.boundary = boundary
        self.reasons: list[str] = []
        self.notes: list[str] = []
        self.warnings: list[str] = []
        # The row gives a point that cannot be used: its pact has no location, unless a
        # commons of the same name is found (no pact is dropped for its geometry).
        self.unlocated = False

    def column(self, our_field: str) -> str:
        return self.mapping.columns.get(our_field, "")

    def lookup(self, table: dict[str, str], raw: str) -> str | None:
        return table.get(norm(raw), table.get(FALLBACK))

    def date(self, row: SourceRow, our_field: str) -> str:
        raw = row.cells.get(our_field, "")
        if not raw:
            return ""
        fmt = self.mapping.date_format
        try:
            return dt.datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            self.reasons.append(
                _("the date '%(value)s' in '%(column)s' is not a valid date like %(example)s")
                % {
                    "value": raw,
                    "column": self.column(our_field),
                    "example": dt.date(2024, 12, 31).strftime(fmt),
                }
            )
            return ""

    def unusable(self, message: str) -> tuple[None, None]:
        self.warnings.append(message + ": " + _("not used"))
        self.unlocated = True
        return None, None

    def point(self, row: SourceRow) -> tuple[float | None, float | None]:
        cells = row.cells
        if "coordinates" in cells:
            raw = cells["coordinates"]
            if not raw:
                return None, None
            match = COORDINATES.match(raw)
            if not match:
                return self.unusable(
                    _("the coordinates '%(value)s' in '%(column)s' are not \"lat, lon\"")
                    % {"value": raw, "column": self.column("coordinates")}
                )
            lat, lon = float(match.group(1)), float(match.group(2))
        else:
            raw_lat, raw_lon = cells.get("latitude", ""), cells.get("longitude", "")
            if not raw_lat and not raw_lon:
                return None, None
            if not raw_lat or not raw_lon:
                return self.unusable(_("give both latitude and longitude, or neither"))
            try:
                lat, lon = _number(raw_lat), _number(raw_lon)
            except ValueError:
                return self.unusable(
                    _("the coordinates '%(lat)s', '%(lon)s' are not numbers")
                    % {"lat": raw_lat, "lon": raw_lon}
                )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return self.unusable(
                _("the coordinates (%(lat)s, %(lon)s) are out of range") % {"lat": lat, "lon": lon}
            )
        if self.boundary.covers(lon, lat):
            return lat, lon
        outside = self.boundary.metres_outside(lon, lat)
        values = {
            "lat": lat,
            "lon": lon,
            "distance": _distance(outside),
            "city": self.municipality.name,
            "tolerance": _distance(BOUNDARY_TOLERANCE_METRES),
        }
        if outside <= BOUNDARY_TOLERANCE_METRES:
            self.warnings.append(
                _(
                    "the point (%(lat)s, %(lon)s) lies %(distance)s outside the boundary of "
                    "%(city)s in the reference data: kept (within %(tolerance)s of it)"
                )
                % values
            )
            return lat, lon
        hint = ""
        if -90 <= lon <= 90 and self.boundary.covers(lat, lon):
            hint = " " + _("(latitude and longitude look swapped)")
        return self.unusable(
            _("the point (%(lat)s, %(lon)s) lies %(distance)s outside %(city)s") % values + hint
        )

    def read(self, row: SourceRow) -> dict[str, Any]:
        cells, mapping = row.cells, self.mapping
        if row.extra_fields:
            self.reasons.append(
                _("the row has %(extra)s field(s) more than the header (a stray delimiter?)")
                % {"extra": row.extra_fields}
            )
        if row.missing_fields:
            self.notes.append(
                _("the row has %(missing)s field(s) fewer than the header: taken as empty")
                % {"missing": row.missing_fields}
            )
        title = cells.get("title", "")
        if not title:
            self.reasons.append(
                _("the title ('%(column)s') is empty") % {"column": self.column("title")}
            )
        elif len(title) > 200:
            self.notes.append(_("the title was cut to 200 characters"))
            title = title[:200]
        raw_status = cells.get("status", "")
        status = self.lookup(mapping.statuses, raw_status)
        if status is None:
            self.reasons.append(
                _("unknown status '%(value)s' (add it to [status] or give a \"*\" fallback)")
                % {"value": raw_status}
                if raw_status
                else _("the status ('%(column)s') is empty") % {"column": self.column("status")}
            )
        raw_kind = cells.get("kind", "")
        complexity = self.lookup(mapping.kinds, raw_kind) if raw_kind else "ordinary"
        if complexity is None:
            self.reasons.append(
                _("unknown kind '%(value)s' (add it to [kind])") % {"value": raw_kind}
            )
        proponent = cells.get("proponent_name", "")
        proponent_kind = ""
        if proponent:
            raw = cells.get("proponent_kind", "")
            proponent_kind = self.lookup(mapping.proponent_kinds, raw) or ""
            if not proponent_kind:
                self.reasons.append(
                    _(
                        "unknown proponent kind '%(value)s' (add it to [proponent_kind] or give "
                        'a "*" fallback)'
                    )
                    % {"value": raw}
                )
        tax_code = cells.get("proponent_tax_code", "").replace(" ", "").upper()
        if tax_code and not re.fullmatch(r"\d{11}|[A-Z0-9]{16}", tax_code):
            self.notes.append(
                _("the tax code '%(value)s' is not valid: ignored") % {"value": tax_code}
            )
            tax_code = ""
        if proponent_kind == PERSON:
            tax_code = ""  # never stored for a private person
        lat, lon = self.point(row)
        dates = {key: self.date(row, key) for key in ("start_date", "end_date", "signed_date")}
        document_url = cells.get("document_url", "")
        if document_url:
            try:
                URLValidator(schemes=["http", "https"])(document_url)
            except ValidationError:
                self.notes.append(
                    _("'%(value)s' is not a web address: ignored") % {"value": document_url}
                )
                document_url = ""
        return {
            "title": title,
            "status": status or "",
            "description": cells.get("description", ""),
            "category": cells.get("category", ""),
            "kind": complexity or "",
            "proponent_name": " ".join(proponent.split()),
            "proponent_kind": proponent_kind,
            "proponent_tax_code": tax_code,
            "representative": " ".join(cells.get("representative", "").split()),
            "commons_name": " ".join(cells.get("commons_name", "").split()),
            "address": " ".join(cells.get("address", "").split()),
            "district": " ".join(cells.get("district", "").split()),
            "latitude": lat,
            "longitude": lon,
            **dates,
            "note": cells.get("note", ""),
            "document_url": document_url,
            # Only when it applies: the values of rows imported before stay the same.
            **({"unlocated": True} if self.unlocated else {}),
        }


def _row_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _day(iso: str) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _months(start: dt.date, end: dt.date) -> int | None:
    months = (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day)
    return months if 1 <= months <= 240 else None


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance on the sphere (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


# --- Writing --------------------------------------------------------------------------------


class _Importer:
    """Writes the rows of one register, batch after batch (``begin`` before each)."""

    def __init__(
        self,
        *,
        municipality: Municipality,
        mapping: Mapping,
        source: Source,
        actor: User | None,
        run: ImportRun,
        file_name: str,
    ):
        self.municipality = municipality
        self.mapping = mapping
        self.actor = actor
        self.run = run
        self.file_name = file_name
        self.dry_run = False
        self.now = timezone.now()
        self.boundary = Boundary(municipality.boundary)
        # The first line of each id, from the whole file: a later batch, or a resumed run,
        # knows the duplicates as well as the first batch does.
        self.first_lines: dict[str, int] = {}
        for row in source.rows:
            if row.source_id and len(row.source_id) <= 200:
                self.first_lines.setdefault(row.source_id, row.line)
        # What this run has said it created: a dry run rolls each batch back, so the next
        # batch would create (and say so) again.
        self.made: set[tuple[str, str]] = set()
        self._placeholder: User | None = None

    def begin(self, run: ImportRun, *, dry_run: bool) -> None:
        self.run, self.dry_run = run, dry_run
        self._placeholder = None  # a rolled-back batch may have taken it away

    def rows(
        self, rows: list[SourceRow], progress: Callable[[int], object] | None
    ) -> list[RowResult]:
        if rows:
            self.placeholder()  # before the rows' savepoints, which may roll back
        results = []
        for row in rows:
            results.append(self.row(row))
            if progress is not None:
                progress(1)
        return results

    def made_note(self, kind: str, name: str, notes: list[str], note: str) -> None:
        if (kind, norm(name)) not in self.made:
            self.made.add((kind, norm(name)))
            notes.append(note)

    # The placeholder proponent: one inactive user per municipality, with no usable password.
    def placeholder(self) -> User:
        if self._placeholder is None:
            email = f"import.{self.municipality.slug}@cocity.invalid"
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = user_create(email=email, password=None, display_name=PLACEHOLDER_NAME)
                user.is_active = False
                user.save(update_fields=["is_active"])
            self._placeholder = user
        return self._placeholder

    def row(self, row: SourceRow) -> RowResult:
        result = RowResult(line=row.line, source_id=row.source_id, outcome="rejected")
        if not row.source_id:
            result.reasons.append(
                _("the id ('%(column)s') is empty") % {"column": self.mapping.id_column}
            )
            return result
        if len(row.source_id) > 200:
            result.reasons.append(_("the id is longer than 200 characters"))
            return result
        first = self.first_lines.get(row.source_id, row.line)
        if first != row.line:
            result.reasons.append(
                _("the id '%(id)s' is also on line %(line)s") % {"id": row.source_id, "line": first}
            )
            return result
        reader = _Reader(self.municipality, self.mapping, self.boundary)
        values = reader.read(row)
        result.notes, result.warnings = reader.notes, reader.warnings
        if reader.reasons:
            result.reasons = reader.reasons
            return result
        try:
            with transaction.atomic():  # a savepoint: a rejected row leaves nothing behind
                self.write(row, values, result)
        except RowRejected as exc:
            result.outcome, result.reasons = "rejected", exc.reasons
        except ValidationError as exc:
            result.outcome, result.reasons = "rejected", list(exc.messages)
        except IntegrityError:
            # Only a check can meet this: it runs beside the city's one import, which has
            # just written the same row.
            result.outcome = "rejected"
            result.reasons = [_("another import wrote this row meanwhile: check the file again")]
        return result

    def write(self, row: SourceRow, values: dict[str, Any], result: RowResult) -> None:
        row_hash = _row_hash(values)
        imported = (
            # Lock the row only: the commons is the nullable side of an outer join.
            ImportedPact.objects.select_for_update(of=("self",))
            .select_related("pact__commons")
            .filter(municipality=self.municipality, source_id=row.source_id)
            .first()
        )
        if imported is not None and imported.row_hash == row_hash:
            result.outcome, result.number = "unchanged", imported.pact.number
            return
        if imported is None:
            pact = self.create(row, values, result)
            ImportedPact.objects.create(
                municipality=self.municipality,
                source_id=row.source_id,
                pact=pact,
                row_hash=row_hash,
                values=values,
                document_url=values["document_url"],
                last_run=self.run,
            )
            result.outcome = "created"
        else:
            pact = self.update(row, imported, values, result)
            imported.row_hash, imported.values = row_hash, values
            imported.document_url, imported.last_run = values["document_url"], self.run
            imported.save()
            result.outcome = "updated"
        result.number = pact.number

    # --- the parts of a pact

    def district(self, name: str, notes: list[str]) -> District | None:
        if not name:
            return None
        found = (
            District.objects.filter(municipality=self.municipality, name__iexact=name).first()
            or District.objects.filter(municipality=self.municipality, slug=slugify(name)).first()
        )
        if found or not self.mapping.create_districts:
            if not found:
                notes.append(
                    _("the district '%(name)s' is unknown: ignored (create_districts is off)")
                    % {"name": name}
                )
            return found
        self.made_note(
            "district", name, notes, _("the district '%(name)s' was created") % {"name": name}
        )
        return district_create(municipality=self.municipality, name=name)

    def nearby(self, lon: float, lat: float) -> Commons | None:
        dlat = NEARBY_METRES / 111_320
        dlon = dlat / math.cos(math.radians(lat))
        candidates = Commons.objects.filter(
            municipality=self.municipality,
            min_lon__lte=lon + dlon,
            max_lon__gte=lon - dlon,
            min_lat__lte=lat + dlat,
            max_lat__gte=lat - dlat,
        ).order_by("pk")
        best: tuple[float, Commons] | None = None
        for commons in candidates:
            if commons.lon is None or commons.lat is None:
                continue
            distance = _metres(lon, lat, commons.lon, commons.lat)
            if (
                commons.boundary
                and commons.boundary.get("type") != "Point"
                and geo.contains(commons.boundary, lon, lat)
            ):
                distance = 0.0
            if distance <= NEARBY_METRES and (best is None or distance < best[0]):
                best = (distance, commons)
        return best[1] if best else None

    def location(self, values: dict[str, Any], result: RowResult) -> dict[str, Any]:
        """The pact's place: the commons of the same name, else one within ~30 m of the row's
        point, else a new commons. No pact is dropped for its geometry: without a usable
        point (or any position for a new commons) the pact has no location, and a point just
        outside the boundary (which the catalogue's commons may not have) stays the pact's
        own place. Returns the pact's fields."""
        notes, warnings = result.notes, result.warnings
        district = self.district(values["district"], notes)
        name = (values["commons_name"] or values["address"] or values["title"])[:200]
        place_name = (values["commons_name"] or values["address"])[:200]

        def place(lon: float | None = None, lat: float | None = None) -> dict[str, Any]:
            return {"commons": None, "place_name": place_name, "place_lon": lon, "place_lat": lat}

        found = (
            Commons.objects.filter(municipality=self.municipality, name__iexact=name)
            .order_by("pk")
            .first()
        )
        if found:
            return {"commons": found, "place_name": "", "place_lon": None, "place_lat": None}
        lon, lat = values["longitude"], values["latitude"]
        placed = lon is not None and lat is not None
        if placed:
            near = self.nearby(lon, lat)
            if near:
                notes.append(
                    _("attached to the commons '%(name)s' at the same place") % {"name": near.name}
                )
                return {"commons": near, "place_name": "", "place_lon": None, "place_lat": None}
        kind = self.mapping.commons_kind
        if values.get("unlocated") and kind != Commons.Kind.IMMATERIAL:
            warnings.append(_("the pact is imported without a location"))
            return place()
        if placed and not self.boundary.covers(lon, lat):
            warnings.append(
                _(
                    "the point is the pact's own place, without a commons: the catalogue holds "
                    "only commons inside %(city)s"
                )
                % {"city": self.municipality.name}
            )
            return place(lon, lat)
        if not placed and kind != Commons.Kind.IMMATERIAL:
            if district is not None and district.lon is not None:
                lon, lat = district.lon, district.lat
                notes.append(
                    _("no coordinates: the commons is placed at the centre of %(district)s")
                    % {"district": district.name}
                )
            elif self.municipality.lon is not None:
                lon, lat = self.municipality.lon, self.municipality.lat
                notes.append(
                    _("no coordinates: the commons is placed at the centre of %(city)s")
                    % {"city": self.municipality.name}
                )
            else:
                warnings.append(
                    _(
                        "no coordinates, and neither the district nor %(city)s has a centre: "
                        "the pact is imported without a location"
                    )
                    % {"city": self.municipality.name}
                )
                return place()
        commons = commons_create(
            actor=None,
            municipality=self.municipality,
            name=name,
            kind=kind,
            lon=lon,
            lat=lat,
            address=values["address"][:255],
        )
        self.made_note("commons", name, notes, _("new commons '%(name)s'") % {"name": commons.name})
        if district is not None and (commons.district_id is None or not placed):
            Commons.objects.filter(pk=commons.pk).update(district=district)
            commons.district = district
        return {"commons": commons, "place_name": "", "place_lon": None, "place_lat": None}

    def category(self, name: str, notes: list[str]) -> Category | None:
        if not name:
            return None
        found = (
            Category.objects.filter(municipality=self.municipality, name__iexact=name).first()
            or Category.objects.filter(
                municipality=self.municipality, slug=slugify(name)[:120]
            ).first()
        )
        if found:
            return found
        self.made_note(
            "category", name, notes, _("the category '%(name)s' was created") % {"name": name}
        )
        return category_create(municipality=self.municipality, name=name[:120])

    def organisation(self, values: dict[str, Any]) -> Organisation | None:
        """The proponent as an organisation (reused by tax code, else by name); never an
        account for a private person."""
        name, kind = values["proponent_name"], values["proponent_kind"]
        if not name or kind == PERSON:
            return None
        tax_code = values["proponent_tax_code"]
        if tax_code:
            found = Organisation.objects.filter(tax_code=tax_code).first()
            if found:
                return found
        found = (
            Organisation.objects.filter(municipality=self.municipality, name__iexact=name)
            .order_by("pk")
            .first()
        )
        if found:
            return found
        organisation = Organisation(
            name=name[:200],
            kind=kind,
            tax_code=tax_code,
            informal=not tax_code,
            municipality=self.municipality,
            created_by=self.placeholder(),
        )
        organisation.full_clean()
        organisation.save()
        return organisation

    def people(self, values: dict[str, Any]) -> str:
        lines = []
        if values["proponent_name"] and values["proponent_kind"] == PERSON:
            lines.append(_("Proponent: %(name)s") % {"name": values["proponent_name"]})
        if values["representative"]:
            lines.append(_("Representative: %(name)s") % {"name": values["representative"]})
        return "\n".join(lines)

    def dates(self, values: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        start, end = _day(values["start_date"]), _day(values["end_date"])
        signed = _day(values["signed_date"])
        if values["status"] in STARTED:
            start = start or signed
            if start is None:
                notes.append(_("the register gives no start date"))
            if end is None:
                notes.append(_("the register gives no end date"))
        if start and end and end < start:
            raise RowRejected([_("the end date is before the start date")])
        return {
            "start_date": start,
            "end_date": end,
            "duration_months": _months(start, end) if start and end else None,
        }

    def follow_commons(self, commons: Commons | None) -> None:
        """A commons is under a pact while one runs on it, open again when none does."""
        if commons is None:
            return
        if Pact.objects.filter(commons=commons, status__in=RUNNING).exists():
            commons_set_availability(commons=commons, availability=Commons.Availability.UNDER_PACT)
        elif commons.availability == Commons.Availability.UNDER_PACT:
            commons_set_availability(commons=commons, availability=Commons.Availability.OPEN)

    def source(self, row: SourceRow) -> dict[str, Any]:
        """What the ``import`` event records of the row it came from."""
        return {
            "source_id": row.source_id,
            "source_status": row.cells.get("status", ""),
            "import": self.run.pk,
            "file": self.file_name,
            "line": row.line,
        }

    def moment(self, values: dict[str, Any]) -> dt.datetime:
        """When the pact counts as submitted: the signature or start date when known."""
        day = _day(values["signed_date"]) or _day(values["start_date"])
        if day is None:
            return self.now
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    def create(self, row: SourceRow, values: dict[str, Any], result: RowResult) -> Pact:
        notes = result.notes
        organisation = self.organisation(values)
        location = self.location(values, result)
        at = self.moment(values)
        pact = Pact(
            municipality=self.municipality,
            title=values["title"],
            category=self.category(values["category"], notes),
            complexity=values["kind"],
            **location,
            objectives=values["description"],
            people_involved=self.people(values),
            proponent=self.placeholder(),
            proponent_organisation=organisation,
            **self.dates(values, notes),
        )
        # Our protocol number, of the year of signature or start; a check would hold the
        # city's counter of the year for nothing.
        pact_import_new(
            pact,
            status=values["status"],
            actor=self.actor,
            now=self.now,
            submitted=at,
            note=values["note"],
            data=self.source(row),
            numbered=not self.dry_run,
        )
        if organisation is not None:
            Party.objects.create(
                pact=pact, role=Party.Role.PROPONENT, organisation=organisation, signs=False
            )
        self.follow_commons(pact.commons)
        result.to_status = pact.status
        return pact

    def update(
        self, row: SourceRow, imported: ImportedPact, values: dict[str, Any], result: RowResult
    ) -> Pact:
        """Only what changed in the register since the last import is written: the office's
        own edits of the other fields stay."""
        notes = result.notes
        old = imported.values
        changed = {key for key in {*values, *old} if old.get(key) != values.get(key)}
        pact = (
            Pact.objects.select_for_update(of=("self",))
            .select_related("commons")
            .get(pk=imported.pact_id)
        )
        if "title" in changed:
            pact.title = values["title"]
        if "description" in changed:
            pact.objectives = values["description"]
        if "category" in changed:
            pact.category = self.category(values["category"], notes)
        if "kind" in changed:
            pact.complexity = values["kind"]
        if changed & set(DATE_KEYS):
            for name, value in self.dates(values, notes).items():
                setattr(pact, name, value)
        previous_commons = pact.commons
        if changed & set(COMMONS_KEYS):
            for name, value in self.location(values, result).items():
                setattr(pact, name, value)
        if changed & set(PROPONENT_KEYS):
            organisation = self.organisation(values)
            pact.proponent_organisation = organisation
            pact.people_involved = self.people(values)
            party = pact.parties.filter(role=Party.Role.PROPONENT).first()
            if organisation is None and party is not None:
                party.delete()
            elif organisation is not None and party is None:
                Party.objects.create(
                    pact=pact, role=Party.Role.PROPONENT, organisation=organisation, signs=False
                )
            elif organisation is not None and party is not None:
                party.organisation = organisation
                party.save(update_fields=["organisation"])
        old_status = pact.status
        status_changed = values["status"] != old_status
        pact.full_clean()
        pact.save()
        if status_changed:
            # The register is authoritative: its status is written as it is (module doc).
            pact_import_status(
                pact,
                status=values["status"],
                actor=self.actor,
                now=self.now,
                note=values["note"],
                data=self.source(row),
            )
            result.from_status, result.to_status = old_status, pact.status
        if status_changed or pact.commons_id != (previous_commons.pk if previous_commons else None):
            self.follow_commons(pact.commons)
            if previous_commons is not None and previous_commons.pk != pact.commons_id:
                previous_commons.refresh_from_db(fields=["availability"])
                self.follow_commons(previous_commons)
        return pact


# --- Runs: checked and applied in batches, in the background ------------------------------
#
# A run is processed one batch of BATCH_ROWS rows per transaction. Each batch locks its
# ImportRun row (and no other row that the city's other writes need), writes its rows, and
# records in the same transaction how far the run got and the batch's results. A worker that
# dies loses at most the batch it was writing, which the database rolls back whole; the run
# stays "running" and is resumed from its last batch (``import_run_resume``). Rows are found
# again by their source id, so a batch done twice over (two tasks for one run) writes nothing
# twice. A check (the dry run) is processed the same way, each batch rolled back.
#
# One import writes at a time in a city (the constraint ``importrun_one_writing_per_city``):
# two at once would race for the same source ids. A check may run beside it.


def _writing_elsewhere(run: ImportRun) -> ImportRun | None:
    return (
        ImportRun.objects.filter(municipality_id=run.municipality_id, state__in=ImportRun.WRITING)
        .exclude(pk=run.pk)
        .first()
    )


def _busy(other: ImportRun | None, municipality: Municipality) -> ValidationError:
    return ValidationError(
        _(
            "Another import of %(city)s is under way (%(file)s): wait until it is finished, "
            "or resume it if it stopped, then confirm this one."
        )
        % {"city": municipality.name, "file": other.file_name if other else "—"}
    )


def _take_the_city(run: ImportRun) -> None:
    """Save ``run``, now writing, as its city's one writing import; ``ValidationError`` when
    another one is. Inside the caller's transaction."""
    other = _writing_elsewhere(run)
    if other is not None:
        raise _busy(other, run.municipality)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:  # confirmed at the same moment as another
        raise _busy(_writing_elsewhere(run), run.municipality) from None


def _enqueue(run: ImportRun) -> None:
    run_id = run.pk
    transaction.on_commit(lambda: tasks.import_process.enqueue(run_id=run_id))


def _new_run(
    municipality: Municipality,
    file_name: str,
    data: bytes,
    mapping: Mapping,
    source: Source,
    state: ImportRun.State,
    *,
    created_by: User | None = None,
) -> ImportRun:
    """A run of the file ``data`` read with ``mapping`` (``source``: the rows read), in the
    active language, not saved yet."""
    return ImportRun(
        municipality=municipality,
        created_by=created_by,
        state=state,
        file_name=file_name[:255],
        source=data,
        mapping=mapping.text,
        language=translation.get_language() or "",
        rows_total=len(source.rows),
        heartbeat_at=timezone.now(),
    )


@transaction.atomic
def import_run_upload(
    *,
    municipality: Municipality,
    actor: User,
    file_name: str,
    data: bytes,
    mapping: Mapping,
    source: Source,
) -> ImportRun:
    """The office's upload (the file read with its mapping by the caller): kept in a new run
    that the worker checks after commit. An earlier upload of the same person that was not
    confirmed is dropped."""
    ImportRun.objects.filter(
        municipality=municipality,
        created_by=actor,
        state__in=[ImportRun.State.CHECKING, ImportRun.State.PREVIEW],
    ).delete()
    state = ImportRun.State.CHECKING
    run = _new_run(municipality, file_name, data, mapping, source, state, created_by=actor)
    run.save(force_insert=True)
    _enqueue(run)
    return run


@transaction.atomic
def import_run_start(
    *,
    municipality: Municipality,
    file_name: str,
    data: bytes,
    mapping: Mapping,
    source: Source,
    dry_run: bool,
) -> ImportRun:
    """The command's run, which the command then processes itself: a check for a dry run,
    else an import that takes the city's one place (``ValidationError`` when taken)."""
    state = ImportRun.State.CHECKING if dry_run else ImportRun.State.QUEUED
    run = _new_run(municipality, file_name, data, mapping, source, state)
    if dry_run:
        run.save()
    else:
        _take_the_city(run)
    return run


@transaction.atomic
def import_run_confirm(*, run: ImportRun, actor: User) -> ImportRun:
    """The uploader confirms a checked run: it is queued for the worker (after commit)."""
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.state != ImportRun.State.PREVIEW or locked.created_by_id != actor.pk:
        raise ValidationError(_("This import is not waiting for your confirmation."))
    locked.state = ImportRun.State.QUEUED
    locked.rows_done, locked.report, locked.error = 0, {}, ""
    locked.heartbeat_at = timezone.now()
    _take_the_city(locked)
    _enqueue(locked)
    return locked


@transaction.atomic
def import_run_resume(*, run: ImportRun) -> ImportRun:
    """Queue again a run that stopped (``ImportRun.stalled``): it goes on from its last
    batch. Anyone who may import in the city may resume; the pacts' history keeps the
    uploader as the actor."""
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not locked.working:
        raise ValidationError(_("This import is not under way."))
    if not locked.stalled:
        raise ValidationError(
            _(
                "This import is still under way: it can be resumed if it makes no progress "
                "for %(minutes)s minutes."
            )
            % {"minutes": int(ImportRun.STALL_AFTER.total_seconds() // 60)}
        )
    locked.heartbeat_at, locked.error = timezone.now(), ""
    locked.save(update_fields=["heartbeat_at", "error"])
    _enqueue(locked)
    return locked


@dataclass
class _Job:
    run_id: int
    source: Source
    importer: _Importer


def _batch(job: _Job, progress: Callable[[int], object] | None) -> bool:
    """Process the next batch of the run; ``False`` when there is nothing more to do."""
    with transaction.atomic():
        # The run's row only: it orders two tasks of the same run, and no other write needs it.
        run = ImportRun.objects.select_for_update().filter(pk=job.run_id).first()
        if run is None or not run.working:
            return False
        dry_run = run.state == ImportRun.State.CHECKING
        start = run.rows_done
        rows = job.source.rows[start : start + BATCH_ROWS]
        job.importer.begin(run, dry_run=dry_run)
        results: list[RowResult] = []
        if dry_run:
            try:
                with transaction.atomic():
                    results = job.importer.rows(rows, progress)
                    raise _DryRun
            except _DryRun:
                pass
        else:
            results = job.importer.rows(rows, progress)
        report = run.report or _report_new(
            file_name=run.file_name, dry_run=dry_run, source=job.source
        )
        _report_add(report, rows, results, job.source.fields)
        now = timezone.now()
        run.report, run.rows_done = report, start + len(rows)
        run.heartbeat_at, run.error = now, ""
        finished = run.rows_done >= len(job.source.rows)
        if finished and dry_run:
            run.state = ImportRun.State.PREVIEW
        elif finished:
            run.state, run.finished_at = ImportRun.State.DONE, now
            run.source = b""  # the register may hold names: not kept once imported
        elif not dry_run:
            run.state = ImportRun.State.RUNNING
        run.save()
        if not dry_run and any(r.outcome in {"created", "updated"} for r in results):
            changes.changed(municipality_id=run.municipality_id, kind="pacts.pact")
        return not finished


def _record_error(run_id: int, exc: Exception) -> None:
    try:
        ImportRun.objects.filter(pk=run_id, state__in=ImportRun.WORKING).update(
            error=f"{type(exc).__name__}: {exc}"[:2000]
        )
    except DatabaseError:
        logger.exception("import %s: the error could not be recorded", run_id)


def import_run_process(
    *, run_id: int, progress: Callable[[int], object] | None = None
) -> ImportRun | None:
    """Check or apply the run from its recorded progress to its end, batch by batch (see
    above). Called by the task ``import_process`` and by the command; safe to call twice at
    once, and again after any failure. An error stops the run, recorded on it, and is raised
    again; the run can then be resumed. ``progress`` is called with 1 after each row."""
    run = ImportRun.objects.select_related("municipality", "created_by").filter(pk=run_id).first()
    if run is None or not run.working:
        return run
    with translation.override(run.language or settings.LANGUAGE_CODE):
        try:
            mapping = mapping_parse(run.mapping)
            source = read_source(bytes(run.source), mapping)
            job = _Job(
                run_id=run.pk,
                source=source,
                importer=_Importer(
                    municipality=run.municipality,
                    mapping=mapping,
                    source=source,
                    actor=run.created_by,
                    run=run,
                    file_name=run.file_name,
                ),
            )
            while _batch(job, progress):
                pass
        except Exception as exc:
            logger.exception("import %s stopped", run_id)
            _record_error(run_id, exc)
            raise
    return ImportRun.objects.filter(pk=run_id).first()
