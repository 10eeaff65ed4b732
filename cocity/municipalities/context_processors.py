from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cocity.core import registry
from cocity.core.forms import option_tags
from cocity.core.permissions import can
from cocity.municipalities.selectors import municipality_choices


def site(request: HttpRequest) -> dict[str, Any]:
    """The layout's shared context: the city switcher, the city's menu, the office link."""
    municipality = getattr(request, "municipality", None)
    context: dict[str, Any] = {
        # Every municipality (300 of them nationally) as the switcher's options, written in
        # Python: one template round per option cost more than the rest of a pact's page.
        "site_city_options": SimpleLazyObject(
            lambda: option_tags(
                municipality_choices(), {municipality.slug} if municipality is not None else ()
            )
        ),
        "municipality": municipality,
        "city_menu": [],
        "can_access_office": False,
    }
    if municipality is not None:
        context["city_menu"] = registry.menu_links("city", municipality.slug)
        user = getattr(request, "user", None)
        context["can_access_office"] = bool(
            user is not None and can(user, "office.access", municipality)
        )
    return context
