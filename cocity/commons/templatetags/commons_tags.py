from django import template

from cocity.commons.models import Commons

register = template.Library()


@register.filter
def commons_url(commons: Commons, city: str) -> str:
    """A commons' page, without loading its municipality once per row."""
    return commons.url_for(city)
