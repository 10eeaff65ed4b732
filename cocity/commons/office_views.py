"""The office's pages for the catalogue: ``/<city>/office/commons/``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.models import User
from cocity.accounts.office import office_view
from cocity.commons import selectors, services
from cocity.commons.filters import CommonsFilterForm
from cocity.commons.forms import CommonsForm, DocumentForm, HubForm, PhotoForm
from cocity.commons.models import Commons, Photo
from cocity.commons.views import map_config
from cocity.core.forms import add_service_errors, page_forms
from cocity.core.formviews import answer, posted_from
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


def edit_url(municipality: Municipality, pk: int, **_kwargs: Any) -> str:
    """The office's page of a commons, which holds its forms."""
    return reverse("commons_office:edit", kwargs={"city": municipality.slug, "pk": pk})


@manage
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The office's page of a commons (GET) and its main form, the commons' card (POST)."""
    commons = _commons(municipality, pk)
    if request.method != "POST":
        return _edit_page(request, municipality, commons)
    return _edit_answer(
        request,
        municipality,
        commons,
        CommonsForm(request.POST, instance=commons, prefix="commons"),
        lambda data: services.commons_update(actor=_actor(request), commons=commons, **data),
        done=_("The changes have been saved."),
    )


def _edit_page(
    request: HttpRequest,
    municipality: Municipality,
    commons: Commons,
    sent: forms.BaseForm | None = None,
) -> HttpResponse:
    """The office's page of a commons with its forms: ``sent`` is the one just sent and
    refused."""
    form, photo_form, document_form, hub_form = page_forms(
        sent,
        CommonsForm(instance=commons, prefix="commons"),
        PhotoForm(prefix="photo"),
        DocumentForm(prefix="document"),
        HubForm(prefix="hub", initial=_hub_initial(commons)),
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
    )


def _hub_initial(commons: Commons) -> dict[str, Any]:
    hub = getattr(commons, "hub", None)
    if hub is None:
        return {"is_hub": False}
    fields = ("opening_hours", "services", "run_by", "phone", "email", "website")
    return {"is_hub": True, **{field: getattr(hub, field) for field in fields}}


def _edit_answer(
    request: HttpRequest,
    municipality: Municipality,
    commons: Commons,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    error_field: str | None = None,
) -> HttpResponse:
    return answer(
        request,
        form,
        save,
        done=done,
        then=edit_url(municipality, commons.pk),
        page=lambda sent: _edit_page(request, municipality, commons, sent),
        error_field=error_field,
    )


def _upload_view(
    form: type[forms.Form],
    prefix: str,
    file_field: str,
    add: Callable[..., object],
    *,
    done: Promise,
) -> Callable[..., HttpResponse]:
    """The view of a form of the edit page that adds a file to the commons: ``add`` (a
    service) takes the form's ``file_field`` as ``upload`` and its other fields as they are. A
    refusal of the file itself is shown on that field."""

    def view(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
        commons = _commons(municipality, pk)

        def save(data: dict[str, Any]) -> object:
            fields = dict(data)
            upload = fields.pop(file_field)
            return add(actor=_actor(request), commons=commons, upload=upload, **fields)

        return _edit_answer(
            request,
            municipality,
            commons,
            form(request.POST, request.FILES, prefix=prefix),
            save,
            done=str(done),
            error_field=file_field,
        )

    return manage(posted_from(edit_url)(view))


office_photo_add = _upload_view(
    PhotoForm,
    "photo",
    "image",
    services.commons_photo_add,
    done=gettext_lazy("The photo has been added."),
)
office_document_add = _upload_view(
    DocumentForm,
    "document",
    "file",
    services.commons_document_add,
    done=gettext_lazy("The document has been added."),
)


@manage
@posted_from(edit_url)
def office_hub(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The neighbourhood-house profile: set with its details, or removed when the box is not
    ticked."""
    commons = _commons(municipality, pk)

    def save(data: dict[str, Any]) -> None:
        details = dict(data)
        if details.pop("is_hub"):
            services.hub_set(actor=_actor(request), commons=commons, **details)
        else:
            services.hub_remove(actor=_actor(request), commons=commons)

    return _edit_answer(
        request,
        municipality,
        commons,
        HubForm(request.POST, prefix="hub"),
        save,
        done=_("The neighbourhood-house profile has been saved."),
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
