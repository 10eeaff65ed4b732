"""Cursor pagination for the list endpoints: the cursor carries the sort key of the last row
seen, so a deep page costs what the first one does (no OFFSET), and rows added meanwhile
neither repeat nor go missing."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

MAX_PAGE_SIZE = 100


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "cursor: not a cursor of this API (use the `next` link)") from None
    if not isinstance(values, list) or len(values) != size:
        raise HttpError(400, "cursor: not a cursor of this API (use the `next` link)")
    return values


def paginate(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    cursor: str,
    page_size: str,
    ordering: Sequence[str],
    serialize: Callable[[Any], dict[str, Any]],
    parse: Sequence[Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """``count``, ``next`` (a link with the cursor of the following page, or null) and the
    serialized ``results``. ``ordering`` are the sort fields, all ascending or all descending
    (``-field``), the last one unique (the id); ``parse`` turns a cursor's JSON values back
    into field values (dates)."""
    try:
        size = int(page_size)
    except ValueError:
        raise HttpError(400, "page_size: a whole number") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page_size: between 1 and {MAX_PAGE_SIZE}")
    descending = ordering[0].startswith("-")
    fields = [f.lstrip("-") for f in ordering]
    count = qs.count()
    page_qs = qs.order_by(*ordering)
    if cursor:
        values = _decode(cursor, len(fields))
        if parse:
            try:
                values = [p(v) for p, v in zip(parse, values, strict=True)]
            except (TypeError, ValueError):
                raise HttpError(400, "cursor: not a cursor of this API") from None
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
