"""Public pages of a city."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cocity.core import registry
from cocity.municipalities import selectors
from cocity.municipalities.city import city_view
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


@city_view
@require_GET
def rules(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The city's regulation settings in words, and when and why they changed."""
    return render(
        request,
        "municipalities/rules.html",
        {
            "history": selectors.regulation_history(municipality=municipality),
            "sections": registry.rules_sections(municipality),
        },
    )


@require_GET
def city_switch(request: HttpRequest) -> HttpResponse:
    """The city switcher's form target (works without JavaScript). Redirects only to a city
    that exists, so the target is never user-controlled."""
    slug = request.GET.get("city", "")
    if Municipality.objects.filter(slug=slug).exists():
        return HttpResponseRedirect(reverse("municipalities:home", kwargs={"city": slug}))
    return HttpResponseRedirect(reverse("home"))
