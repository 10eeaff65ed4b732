"""The city of a request: views under ``/<city>/`` resolve it once, here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.http import HttpRequest, HttpResponse

from cocity.municipalities.models import Municipality
from cocity.municipalities.selectors import municipality_get

CityView = Callable[Concatenate[HttpRequest, Municipality, ...], HttpResponse]


def city_view(view: CityView) -> Callable[..., HttpResponse]:
    """Resolve ``city`` from the URL (404 when unknown), keep it on the request for the layout,
    and pass it to the view as its second argument."""

    @wraps(view)
    def wrapper(request: HttpRequest, city: str, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = municipality_get(slug=city)
        request.municipality = municipality  # type: ignore[attr-defined]
        return view(request, municipality, *args, **kwargs)

    return wrapper
