"""What the pages of a pact share (the citizens' and the office's views, the PDF): the pact
named by the URL, as the person may see it, or the 404 page."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cocity.municipalities.models import Municipality
from cocity.pacts import selectors
from cocity.pacts.models import Pact


def pact_or_404(
    request: HttpRequest, municipality: Municipality, number: str, *, office: bool = False
) -> Pact:
    """The pact ``number`` as the person may see it (``selectors.pact_for_user``; ``office``:
    as the office's page shows it), or the 404 page saying that there is no such pact."""
    try:
        return selectors.pact_for_user(
            municipality=municipality, number=number, user=request.user, office=office
        )
    except Pact.DoesNotExist:
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        ) from None
