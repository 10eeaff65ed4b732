"""The office's pages for the catalogue: ``/<city>/office/commons/``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.commons import selectors, services
from cocity.commons.filters import CommonsFilterForm
from cocity.commons.forms import CommonsForm, DocumentForm, HubForm, PhotoForm
from cocity.commons.models import Commons, Photo
from cocity.commons.views import map_config
from cocity.core.forms import add_service_errors
from cocity.municipalities.models import Municipality

manage = office_view("commons.manage")


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _commons(municipality: Municipality, pk: int) -> Commons:
    try:
        return selectors.commons_detail(municipality=municipality, pk=pk)
    except Commons.DoesNotExist:
        raise Http404(
            _("This commons does not exist in %(city)s.") % {"city": municipality.name}
        ) from None


@manage
def office_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = CommonsFilterForm(request.GET, municipality=municipality)
    qs = (
        selectors.commons_list(municipality=municipality, **form.filters())
        if form.is_valid()
        else Commons.objects.none()
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commons/office_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if form.is_valid() else 400,
    )


@manage
@require_http_methods(["GET", "POST"])
def office_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = CommonsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commons = services.commons_create(
                actor=_actor(request), municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been added to the catalogue.") % {"name": commons.name}
            )
            return redirect("commons_office:edit", city=municipality.slug, pk=commons.pk)
    return render(
        request,
        "commons/office_form.html",
        {"form": form, "map_config": map_config(municipality, pick=True)},
        status=400 if form.errors else 200,
    )


@manage
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    commons = _commons(municipality, pk)
    hub = getattr(commons, "hub", None)
    form = CommonsForm(request.POST or None, instance=commons, prefix="commons")
    photo_form = PhotoForm(prefix="photo")
    document_form = DocumentForm(prefix="document")
    hub_form = HubForm(
        prefix="hub",
        initial={
            "is_hub": hub is not None,
            **(
                {
                    "opening_hours": hub.opening_hours,
                    "services": hub.services,
                    "run_by": hub.run_by,
                    "phone": hub.phone,
                    "email": hub.email,
                    "website": hub.website,
                }
                if hub
                else {}
            ),
        },
    )
    action = request.POST.get("action")
    if request.method == "POST":
        if action == "photo":
            photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
            if photo_form.is_valid():
                try:
                    services.commons_photo_add(
                        actor=_actor(request),
                        commons=commons,
                        upload=photo_form.cleaned_data["image"],
                        alt_text=photo_form.cleaned_data["alt_text"],
                        caption=photo_form.cleaned_data["caption"],
                    )
                except ValidationError as exc:
                    photo_form.add_error("image" if not hasattr(exc, "error_dict") else None, exc)
                else:
                    messages.success(request, _("The photo has been added."))
                    return redirect("commons_office:edit", city=municipality.slug, pk=pk)
        elif action == "document":
            document_form = DocumentForm(request.POST, request.FILES, prefix="document")
            if document_form.is_valid():
                try:
                    services.commons_document_add(
                        actor=_actor(request),
                        commons=commons,
                        upload=document_form.cleaned_data["file"],
                        title=document_form.cleaned_data["title"],
                    )
                except ValidationError as exc:
                    document_form.add_error("file" if not hasattr(exc, "error_dict") else None, exc)
                else:
                    messages.success(request, _("The document has been added."))
                    return redirect("commons_office:edit", city=municipality.slug, pk=pk)
        elif action == "hub":
            hub_form = HubForm(request.POST, prefix="hub")
            if hub_form.is_valid():
                data = dict(hub_form.cleaned_data)
                try:
                    if data.pop("is_hub"):
                        services.hub_set(actor=_actor(request), commons=commons, **data)
                    else:
                        services.hub_remove(actor=_actor(request), commons=commons)
                except ValidationError as exc:
                    add_service_errors(hub_form, exc)
                else:
                    messages.success(request, _("The neighbourhood-house profile has been saved."))
                    return redirect("commons_office:edit", city=municipality.slug, pk=pk)
        elif form.is_valid():
            try:
                services.commons_update(actor=_actor(request), commons=commons, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("commons_office:edit", city=municipality.slug, pk=pk)
    has_errors = (
        any(f.errors for f in (form, photo_form, document_form, hub_form))
        and request.method == "POST"
    )
    return render(
        request,
        "commons/office_form.html",
        {
            "commons": commons,
            "form": form,
            "photo_form": photo_form,
            "document_form": document_form,
            "hub_form": hub_form,
            "map_config": map_config(municipality, pick=True),
        },
        status=400 if has_errors else 200,
    )


@manage
@require_POST
def office_photo_delete(
    request: HttpRequest, municipality: Municipality, pk: int, photo_pk: int
) -> HttpResponse:
    try:
        photo = Photo.objects.select_related("commons__municipality").get(
            pk=photo_pk, commons_id=pk, commons__municipality=municipality
        )
    except Photo.DoesNotExist:
        raise Http404(_("This photo does not exist.")) from None
    services.commons_photo_delete(actor=_actor(request), photo=photo)
    messages.success(request, _("The photo has been removed."))
    return redirect("commons_office:edit", city=municipality.slug, pk=pk)
