"""The office's import of a register of pacts: ``/<city>/office/import/``.

Upload the CSV and its mapping; the import runs as a dry run and the page shows the first rows
and the problems found; confirming runs it for real. The uploaded file waits in its
``ImportRun`` (not in the media storage) and is dropped once imported."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.municipalities.models import Municipality
from cocity.office.views import office_view
from cocity.opendata import importer
from cocity.opendata.forms import ImportForm
from cocity.opendata.models import ImportRun

manage = office_view("commons.manage")


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _run(municipality: Municipality, pk: int) -> ImportRun:
    run = ImportRun.objects.filter(municipality=municipality, pk=pk).first()
    if run is None:
        raise Http404(_("This import does not exist."))
    return run


@manage
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = _actor(request)
        mapping, source = form.cleaned_data["mapping"], form.cleaned_data["source"]
        report = importer.pacts_import(
            municipality=municipality,
            source=source,
            mapping=mapping,
            file_name=form.file_name(),
            actor=actor,
            dry_run=True,
        )
        # One waiting preview per person: an older one is replaced.
        ImportRun.objects.filter(
            municipality=municipality, created_by=actor, state=ImportRun.State.PREVIEW
        ).delete()
        run = ImportRun.objects.create(
            municipality=municipality,
            created_by=actor,
            file_name=form.file_name(),
            source=form.cleaned_data["register"],
            mapping=mapping.text,
            report=report.as_json(),
        )
        return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)
    return render(
        request,
        "opendata/import.html",
        {
            "form": form,
            "runs": ImportRun.objects.filter(
                municipality=municipality, state=ImportRun.State.DONE
            ).select_related("created_by")[:10],
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
        },
    )


@manage
@require_POST
def confirm(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    actor = _actor(request)
    run = _run(municipality, pk)
    if run.state != ImportRun.State.PREVIEW or run.created_by_id != actor.pk:
        messages.error(request, _("This import is not waiting for your confirmation."))
        return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)
    try:
        mapping = importer.mapping_parse(run.mapping)
        source = importer.read_source(bytes(run.source), mapping)
    except (importer.MappingError, importer.SourceError) as exc:
        messages.error(request, str(exc))
        return redirect("opendata_office:import", city=municipality.slug)
    report = importer.pacts_import(
        municipality=municipality,
        source=source,
        mapping=mapping,
        file_name=run.file_name,
        actor=actor,
        run=run,
    )
    messages.success(
        request,
        _("%(file)s imported: %(summary)s") % {"file": run.file_name, "summary": report.summary()},
    )
    return redirect("opendata_office:import_run", city=municipality.slug, pk=run.pk)
