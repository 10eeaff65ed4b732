"""What the pages of a pact share (the citizens' and the office's views, the PDF): the pact
named by the URL, as the person may see it, or the 404 page; the answer to a form of a page
that holds several."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cocity.core.formviews import answer
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


def pact_head_or_404(request: HttpRequest, municipality: Municipality, number: str) -> Pact:
    """As ``pact_or_404``, with only what the page's head shows (``selectors.
    pact_head_for_user``): for the pact's public page, whose fragments load the rest when
    the cache does not have them."""
    try:
        return selectors.pact_head_for_user(
            municipality=municipality, number=number, user=request.user
        )
    except Pact.DoesNotExist:
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        ) from None


@dataclass(frozen=True)
class FormPage:
    """A page of a pact that holds forms, each sent to an address of its own
    (``cocity.core.formviews``)."""

    #: The page's address, from the municipality and the pact's number.
    url: Callable[..., str]
    #: The pact named by the URL, as the page reads it for the person (or the 404 page).
    pact: Callable[[HttpRequest, Municipality, str], Pact]
    #: The page, with the form just sent and refused (``None``: every form empty).
    build: Callable[[HttpRequest, Pact, forms.BaseForm | None], HttpResponse]

    def show(self, request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
        """The page itself (its GET), every form empty."""
        return self.build(request, self.pact(request, municipality, number), None)

    def answer(
        self,
        request: HttpRequest,
        pact: Pact,
        form: forms.BaseForm,
        save: Callable[[dict[str, Any]], object],
        *,
        done: str,
    ) -> HttpResponse:
        """The answer to one of the page's forms: saved, back to the page with ``done``;
        refused, the page again with the form and its errors."""
        return answer(
            request,
            form,
            save,
            done=done,
            then=self.url(pact.municipality, pact.number),
            page=lambda sent: self.build(request, pact, sent),
        )
