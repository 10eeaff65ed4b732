"""The parties' activity log and reports of a pact, and the office's review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.core.formviews import answer
from cocity.core.permissions import can
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact
from cocity.reports import selectors, services
from cocity.reports.forms import ActivityForm, ReportForm, ReviewForm
from cocity.reports.models import Report


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _pact(request: HttpRequest, municipality: Municipality, number: str) -> Pact:
    pact = (
        Pact.objects.select_related("municipality")
        .defer("municipality__boundary")
        .filter(municipality=municipality, number=number)
        .first()
    )
    if pact is None or not can(request.user, "pacts.view", pact):
        raise Http404(
            _("There is no pact %(number)s in %(city)s.")
            % {"number": number, "city": municipality.name}
        )
    return pact


def _own_form(
    request: HttpRequest,
    pact: Pact,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    refusal: str | None,
    done: str,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A page of the pact's log that answers its own form (``form``: bound to what a POST
    sent), ``template`` with ``context()`` and the form: on a GET the page; a POST is refused
    with ``refusal`` (403) when there is one, else answered as ``cocity.core.formviews.answer``
    does, back to the log with ``done``. A POST that sent nothing shows the page as the GET
    does."""

    def page(form: forms.BaseForm) -> HttpResponse:
        return render(request, template, {**context(), "form": form})

    if request.method != "POST":
        return page(form)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if not form.is_bound:
        return page(form)
    return answer(
        request,
        form,
        save,
        done=done,
        then=reverse(
            "reports:activity", kwargs={"city": pact.municipality.slug, "number": pact.number}
        ),
        page=page,
    )


@city_view
@login_required
@require_http_methods(["GET", "POST"])
def activity(request: HttpRequest, municipality: Municipality, number: str) -> HttpResponse:
    pact = _pact(request, municipality, number)
    may_log = can(request.user, "pacts.edit_text", pact)
    form = ActivityForm(
        request.POST or None, request.FILES or None, initial={"date": dt.date.today()}
    )

    def save(data: dict[str, Any]) -> None:
        services.activity_log_add(
            actor=_user(request),
            pact=pact,
            **{
                **data,
                "money_spent": data.get("money_spent") or 0,
                "money_raised": data.get("money_raised") or 0,
            },
        )

    return _own_form(
        request,
        pact,
        form,
        save,
        refusal=None if may_log else _("Only the parties of the pact can record its activities."),
        done=_("The activity has been recorded."),
        template="reports/activity.html",
        context=lambda: {
            "pact": pact,
            "may_log": may_log,
            "entries": selectors.pact_activity(pact=pact)[:50],
            "periods": selectors.pact_periods(pact=pact),
        },
    )


@city_view
@login_required
@require_http_methods(["GET", "POST"])
def report(
    request: HttpRequest, municipality: Municipality, number: str, start: str
) -> HttpResponse:
    pact = _pact(request, municipality, number)
    try:
        period_start = dt.date.fromisoformat(start)
    except ValueError:
        raise Http404(_("This period does not exist.")) from None
    states = {s.period.start: s for s in selectors.pact_periods(pact=pact)}
    state = states.get(period_start)
    if state is None:
        raise Http404(_("This period does not exist."))
    totals = services.period_totals(pact, state.period)
    initial = {}
    if state.report is not None:
        initial = {
            "results": state.report.results,
            "problems": state.report.problems,
            "next_steps": state.report.next_steps,
        }
    form = ReportForm(request.POST or None, initial=initial)
    editable = can(request.user, "pacts.edit_text", pact) and (
        state.report is None or state.report.status == Report.Status.CHANGES_REQUESTED
    )
    return _own_form(
        request,
        pact,
        form,
        lambda data: services.report_submit(
            actor=_user(request), pact=pact, period_start=period_start, **data
        ),
        refusal=None if editable else _("This report cannot be changed."),
        done=_("The report has been sent to the office."),
        template="reports/report.html",
        context=lambda: {"pact": pact, "state": state, "totals": totals, "editable": editable},
    )


@office_view()
def office_reports(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "reports/office_reports.html",
        {**selectors.office_reports(municipality=municipality), "review_form": ReviewForm()},
    )


@office_view()
@require_POST
def office_review(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = (
        Report.objects.select_related("pact").filter(pk=pk, pact__municipality=municipality).first()
    )
    if item is None:
        raise Http404(_("This report does not exist."))
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.report_review(
            actor=_user(request),
            report=item,
            accept=request.POST.get("decision") == "accept",
            note=form.cleaned_data.get("note") or "",
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("The review has been recorded."))
    return redirect("reports_office:list", city=municipality.slug)
