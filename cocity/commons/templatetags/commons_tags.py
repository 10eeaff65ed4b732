from typing import Any

from django import template

from cocity.commons.models import Commons

register = template.Library()


@register.filter
def commons_url(commons: Commons, city: str) -> str:
    """A commons' page, without loading its municipality once per row."""
    return commons.url_for(city)


@register.simple_tag
def pick_map_config(municipality: Any) -> str:
    """The point picker's map configuration (``views.map_config``), for a form with longitude
    and latitude fields: the proposal's new place, the office's new commons."""
    from cocity.commons.views import map_config

    return map_config(municipality, pick=True)
