"""Public pages of the catalogue: the map and list, a commons' page, the neighbourhood houses."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocity.commons import selectors
from cocity.commons.filters import CommonsFilterForm
from cocity.commons.models import Commons
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality

PAGE_SIZE = 20


def map_config(municipality: Municipality, **extra: object) -> str:
    """What the map script needs, as JSON for a data attribute."""
    return json.dumps(
        {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "bounds": [
                [municipality.min_lat, municipality.min_lon],
                [municipality.max_lat, municipality.max_lon],
            ]
            if municipality.min_lat is not None
            else None,
            **extra,
        }
    )


@city_view
@require_GET
def commons_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = CommonsFilterForm(request.GET, municipality=municipality)
    if form.is_valid():
        qs = selectors.commons_list(
            municipality=municipality, include_unplaced=True, **form.filters()
        )
        status = 200
    else:
        qs = Commons.objects.none()
        status = 400
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("bbox", None)
    query.pop("zoom", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "map_config": map_config(
            municipality,
            geojson=reverse("api-1:commons_geojson", kwargs={"city": municipality.slug}),
            list=request.path,
            filters=query.urlencode(),
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "commons/_list.html", context, status=status)
    return render(request, "commons/list.html", context, status=status)


@city_view
@require_GET
def commons_detail(
    request: HttpRequest, municipality: Municipality, pk: int, slug: str
) -> HttpResponse:
    try:
        commons = selectors.commons_detail(municipality=municipality, pk=pk)
    except Commons.DoesNotExist:
        raise Http404(
            _("This commons does not exist in %(city)s.") % {"city": municipality.name}
        ) from None
    if slug != commons.slug:
        return redirect(commons.url_for(municipality.slug), permanent=True)
    return render(
        request,
        "commons/detail.html",
        {
            "commons": commons,
            "hub": getattr(commons, "hub", None),
            "map_config": map_config(
                municipality,
                feature={
                    "type": "Feature",
                    "geometry": commons.boundary,
                    "properties": {"name": commons.name},
                }
                if commons.boundary
                else None,
            ),
        },
    )


@city_view
@require_GET
def hub_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request, "commons/hubs.html", {"hubs": selectors.hub_list(municipality=municipality)}
    )
