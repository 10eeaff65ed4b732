from __future__ import annotations

from html import escape
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from cocity.core import registry
from cocity.core.permissions import can
from cocity.municipalities.selectors import municipality_choices


def site(request: HttpRequest) -> dict[str, Any]:
    """The layout's shared context: the city switcher, the city's menu, the office link."""
    municipality = getattr(request, "municipality", None)
    context: dict[str, Any] = {
        "site_cities": municipality_choices(),
        # Every municipality (300 of them nationally) as the switcher's options, written in
        # Python: one template round per option cost more than the rest of a pact's page.
        "site_city_options": SimpleLazyObject(lambda: _city_options(municipality)),
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


def _city_options(municipality: Any) -> SafeString:
    current = getattr(municipality, "slug", None)
    rows = [
        f'<option value="{escape(slug)}"{" selected" if slug == current else ""}>'
        f"{escape(name)}</option>"
        for slug, name in municipality_choices()
    ]
    return SafeString("\n".join(rows))  # nosec B703: every value is escaped above
