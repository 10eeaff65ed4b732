"""The signed pact as a PDF document (WeasyPrint), made from the same clauses as the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocity.core.city import city_view
from cocity.core.permissions import can
from cocity.municipalities.models import Municipality
from cocity.pacts import selectors
from cocity.pacts.models import Pact


def pact_pdf_bytes(pact: Pact) -> bytes:
    from weasyprint import HTML

    for party in pact.parties.all():
        # The signed document names every party, private citizens included.
        party.legal_name = party.display_name(public=False)  # type: ignore[attr-defined]
    supports = pact.supports.all()
    values = [s.estimated_value for s in supports if s.estimated_value is not None]
    context = {"pact": pact, "supports_total": sum(values) if values else None}
    html = render_to_string("pacts/pdf.html", context)
    return HTML(string=html).write_pdf()


@city_view
@require_GET
def pact_pdf(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    try:
        pact = selectors.pact_get(municipality=municipality, number=number)
    except Pact.DoesNotExist:
        raise Http404(_("There is no pact %(number)s.") % {"number": number}) from None
    if not pact.clauses.all() or not can(request.user, "pacts.view", pact):
        raise Http404(_("This pact has no text yet."))
    response = HttpResponse(pact_pdf_bytes(pact), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="patto-{pact.number}.pdf"'
    return response
