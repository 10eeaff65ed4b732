from django import template

from cocity.pacts.models import Party, Status

register = template.Library()
_LABELS = dict(Status.choices)


@register.filter
def status_label(value: str) -> str:
    return str(_LABELS.get(value, value))


@register.filter
def public_name(party: Party) -> str:
    """A party's name as public pages show it (private citizens only with their consent)."""
    return party.display_name(public=True)
