from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cocity.pacts.models import Pact, Party, Status

register = template.Library()
_LABELS = dict(Status.choices)


@register.filter
def status_label(value: str) -> str:
    return str(_LABELS.get(value, value))


@register.filter
def public_name(party: Party) -> str:
    """A party's name as public pages show it (private citizens only with their consent)."""
    return party.display_name(public=True)


@register.simple_tag
def pact_status(pact: Pact) -> SafeString:
    """The badge of a pact's status, written in Python: the registry and the worklist show one
    per row, and an included template per row cost a millisecond each."""
    if pact.starts_later and pact.start_date is not None:
        day = date_format(pact.start_date, "SHORT_DATE_FORMAT")
        label = _("Signed, in force from %(day)s") % {"day": day}
    else:
        label = pact.get_status_display()
    return format_html('<span class="badge pact-status status-{}">{}</span>', pact.status, label)
