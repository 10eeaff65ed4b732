"""Public pages of a city."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cocity.core import registry
from cocity.core.city import city_view
from cocity.municipalities import selectors
from cocity.municipalities.models import Municipality


@city_view
def home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "municipalities/home.html",
        {
            "figures": selectors.municipality_figures(municipality=municipality),
            "districts": selectors.district_list(municipality=municipality),
            "sections": registry.home_sections(municipality),
        },
    )
