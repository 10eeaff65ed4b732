"""The office's import of a register of pacts: ``/<city>/office/import/``.

Upload the CSV and its mapping; the worker checks it (a dry run) while the run's page shows
the progress; the page then shows the first rows and the problems found; confirming queues
the import, whose page shows its progress again and then its summary. The pages refresh
themselves while the worker is busy (no JavaScript needed). The uploaded file waits in its
``ImportRun`` (not in the media storage) and is dropped once imported."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.municipalities.models import Municipality
from cocity.opendata import selectors, services
from cocity.opendata.forms import ImportForm
from cocity.opendata.models import ImportRun

manage = office_view("commons.manage")
REFRESH_SECONDS = 3


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _run(municipality: Municipality, pk: int) -> ImportRun:
    try:
        return selectors.import_run_detail(municipality=municipality, pk=pk)
    except ImportRun.DoesNotExist:
        raise Http404(_("This import does not exist.")) from None


@manage
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = services.import_run_upload(
            actor=_actor(request),
            municipality=municipality,
            file_name=form.file_name(),
            data=form.cleaned_data["register"],
            mapping=form.cleaned_data["mapping"],
            source=form.cleaned_data["source"],
        )
        return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)
    return render(
        request,
        "opendata/import.html",
        {
            "form": form,
            "runs": selectors.import_run_list(municipality=municipality),
        },
        status=400 if form.errors else 200,
    )


@manage
@require_GET
def preview(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    run = _run(municipality, pk)
    return render(
        request,
        "opendata/import.html",
        {
            "run": run,
            "report": run.report,
            "may_confirm": run.state == ImportRun.State.PREVIEW
            and run.created_by_id == request.user.pk,
            "refresh_seconds": REFRESH_SECONDS if run.working and not run.stalled else None,
        },
    )


@manage
@require_POST
def confirm(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    run = _run(municipality, pk)
    try:
        services.import_run_confirm(actor=_actor(request), run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import has started: this page shows how far it got."))
    return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)


@manage
@require_POST
def resume(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    run = _run(municipality, pk)
    try:
        services.import_run_resume(actor=_actor(request), run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)
