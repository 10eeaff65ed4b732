"""Page-number pagination shared by the list endpoints: validated parameters, absolute links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

MAX_PAGE_SIZE = 100


def paginate(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    page: str,
    page_size: str,
    serialize: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """``count``, ``page``, ``pages``, ``next``, ``previous`` and the serialized ``results``;
    a bad ``page`` or ``page_size`` is a 400 that names them."""
    try:
        number, size = int(page), int(page_size)
    except ValueError:
        raise HttpError(400, "page and page_size must be whole numbers") from None
    if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be ≥ 1 and page_size between 1 and {MAX_PAGE_SIZE}")
    paginator = Paginator(qs, size)
    current = paginator.get_page(number)
    base = request.build_absolute_uri(request.path)
    query = request.GET.copy()

    def link(n: int) -> str:
        query["page"] = str(n)
        return f"{base}?{query.urlencode()}"

    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "next": link(current.next_page_number()) if current.has_next() else None,
        "previous": link(current.previous_page_number()) if current.has_previous() else None,
        "results": [serialize(item) for item in current.object_list],
    }
