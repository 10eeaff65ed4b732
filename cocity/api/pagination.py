"""Cursor pagination for the list endpoints: the cursor carries the sort key of the last row
seen, so a deep page costs what the first one does (no OFFSET), and rows added meanwhile
neither repeat nor go missing."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from cocity.api.schemas import PageQuery
from cocity.core.integers import fits_bigint

MAX_PAGE_SIZE = 100


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


BAD_CURSOR = "cursor: not a cursor of this API (use the `next` link)"
# The instants a database column holds whatever the offset: Django converts to UTC first.
_EARLIEST = dt.datetime(1, 1, 2)
_LATEST = dt.datetime(9999, 12, 30)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is in no cursor of this API")


def _plain(value: Any) -> bool:
    """A value such as ``_encode`` writes: text without NUL (PostgreSQL refuses it), or an
    integer that the database holds. Never a float (NaN, 1e400), a list, a dict or null."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return fits_bigint(value)
    return isinstance(value, str) and "\x00" not in value


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        values = json.loads(text, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, BAD_CURSOR) from None
    if not isinstance(values, list) or len(values) != size or not all(map(_plain, values)):
        raise HttpError(400, BAD_CURSOR)
    return values


def _storable(value: Any) -> bool:
    """A parsed key the database can compare with: no overflow in SQLite, no instant that
    falls off the calendar once moved to UTC."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return fits_bigint(value)
    if isinstance(value, dt.datetime):
        try:
            moment = value.astimezone(dt.UTC) if value.tzinfo else value
        except OverflowError:
            return False
        return _EARLIEST <= moment.replace(tzinfo=None) <= _LATEST
    return True


def _field_parser(model: type[Model], name: str) -> Callable[[Any], Any]:
    """The model field's own conversion (``"abc"`` for an id is refused), or none for an
    annotation."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    return field.to_python if isinstance(field, Field) else lambda value: value


def _parse(values: list[Any], parsers: Sequence[Callable[[Any], Any]]) -> list[Any]:
    try:
        parsed = [p(v) for p, v in zip(parsers, values, strict=True)]
    except (TypeError, ValueError, OverflowError, ValidationError):
        raise HttpError(400, BAD_CURSOR) from None
    if not all(map(_storable, parsed)):
        raise HttpError(400, BAD_CURSOR)
    return parsed


def paginate(
    request: HttpRequest,
    qs: QuerySet[Any],
    page: PageQuery,
    *,
    ordering: Sequence[str],
    serialize: Callable[[Any], dict[str, Any]],
    parse: Sequence[Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """The page of ``qs`` that the paging parameters ask for: ``count``, ``next`` (a link with
    the cursor of the following page, or null) and the serialized ``results``. ``ordering``
    are the sort fields, all ascending or all descending (``-field``), the last one unique
    (the id); ``parse`` turns a cursor's JSON values back into field values (dates), by
    default each model field's ``to_python``. A cursor that this API did not write is a 400,
    never a query that fails."""
    try:
        size = int(page.page_size)
    except ValueError:
        raise HttpError(400, "page_size: a whole number") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page_size: between 1 and {MAX_PAGE_SIZE}")
    descending = ordering[0].startswith("-")
    fields = [f.lstrip("-") for f in ordering]
    count = qs.count()
    page_qs = qs.order_by(*ordering)
    if page.cursor:
        parsers = parse or [_field_parser(qs.model, f) for f in fields]
        values = _parse(_decode(page.cursor, len(fields)), parsers)
        op = "lt" if descending else "gt"
        after = Q()
        for i, field in enumerate(fields):
            step = Q(**{f"{field}__{op}": values[i]})
            for earlier, value in zip(fields[:i], values[:i], strict=False):
                step &= Q(**{earlier: value})
            after |= step
        page_qs = page_qs.filter(after)
    rows = list(page_qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_link = None
    if more:
        last = rows[-1]
        query = request.GET.copy()
        query["cursor"] = _encode([getattr(last, f) for f in fields])
        next_link = f"{request.build_absolute_uri(request.path)}?{query.urlencode()}"
    return {"count": count, "next": next_link, "results": [serialize(r) for r in rows]}
