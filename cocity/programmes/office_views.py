"""``/<city>/office/programmes/``: funding programmes and the pacts they fund."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.core.forms import add_service_errors
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact
from cocity.programmes import services
from cocity.programmes.forms import FundingForm, ProgrammeForm
from cocity.programmes.models import Programme


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@office_view("commons.manage")
@require_http_methods(["GET", "POST"])
def programme_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_create(
                actor=_user(request), municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme has been added."))
            return redirect("programmes_office:list", city=municipality.slug)
    programmes = Programme.objects.filter(municipality=municipality).annotate(
        projects=Count("fundings"), euros=Sum("fundings__amount")
    )
    return render(
        request,
        "programmes/office_list.html",
        {"form": form, "programmes": programmes},
        status=400 if form.errors else 200,
    )


@office_view("commons.manage")
@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    try:
        programme = Programme.objects.get(municipality=municipality, pk=pk)
    except Programme.DoesNotExist:
        raise Http404(_("This programme does not exist.")) from None
    form = FundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pact = Pact.objects.filter(
            municipality=municipality, number=form.cleaned_data["number"].strip()
        ).first()
        if pact is None:
            form.add_error("number", _("There is no pact with this number."))
        else:
            try:
                services.funding_set(
                    actor=_user(request),
                    programme=programme,
                    pact=pact,
                    amount=form.cleaned_data["amount"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The funding has been recorded."))
                return redirect("programmes_office:detail", city=municipality.slug, pk=pk)
    fundings = programme.fundings.select_related("pact").order_by("pact__number")
    return render(
        request,
        "programmes/office_detail.html",
        {"programme": programme, "fundings": fundings, "form": form},
        status=400 if form.errors else 200,
    )
