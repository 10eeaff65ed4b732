"""The signed pact as a PDF document (WeasyPrint), made from the same clauses as the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cocity.accounts.models import User
from cocity.core.city import city_view
from cocity.core.permissions import can
from cocity.municipalities.models import Municipality
from cocity.pacts import selectors
from cocity.pacts.models import Pact, Party


def _person(user: User | None, public: bool) -> str:
    if user is None:
        return ""
    return user.display_name if (not public or user.show_name_publicly) else "un cittadino"


def pact_pdf_bytes(pact: Pact, *, public: bool = True) -> bytes:
    """The pact as a PDF, in Italian. The public copy names private citizens only with their
    consent; the parties and the city's staff get the copy with every name."""
    from weasyprint import HTML

    with translation.override("it"):
        for party in pact.parties.all():
            party.legal_name = party.display_name(public=public)  # type: ignore[attr-defined]
            # Who signs for the city does so in office: that name is always public.
            official = party.role == Party.Role.CITY
            party.signer_name = _person(party.signed_by, public and not official)  # type: ignore[attr-defined]
            party.representative_name = _person(party.user, public)  # type: ignore[attr-defined]
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
    public = not can(request.user, "pacts.use_workspace", pact)
    response = HttpResponse(pact_pdf_bytes(pact, public=public), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="patto-{pact.number}.pdf"'
    return response
