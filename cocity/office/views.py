"""The staff area of a municipality: ``/<city>/office/``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts import selectors as account_selectors
from cocity.accounts import services as account_services
from cocity.accounts.models import ApiToken, User
from cocity.accounts.office import office_view
from cocity.core import registry
from cocity.core.forms import add_service_errors
from cocity.core.permissions import can
from cocity.municipalities import selectors as municipality_selectors
from cocity.municipalities import services as municipality_services
from cocity.municipalities.models import Municipality
from cocity.office.forms import (
    ApiTokenForm,
    ArticleFormSet,
    RegulationForm,
    RegulationNoteForm,
    StaffRoleGrantForm,
)
from cocity.pacts import selectors as pact_selectors
from cocity.pacts import services as pact_services
from cocity.pacts.clauses import PLACEHOLDERS, municipality_template


@office_view()
def dashboard(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "office/dashboard.html",
        {
            "can_manage_staff": can(request.user, "office.manage_staff", municipality),
            "office_menu": registry.menu_links("office", municipality.slug),
            "summary": pact_selectors.office_summary(municipality=municipality),
        },
    )


@office_view("office.manage_staff")
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = StaffRoleGrantForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            role = account_services.staff_role_grant(
                actor=request.user,  # type: ignore[arg-type]
                municipality=municipality,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s.")
                % {"user": role.user.display_name, "role": role.get_role_display()},
            )
            return redirect("office:staff", city=municipality.slug)
    return render(
        request,
        "office/staff.html",
        {
            "form": form,
            "roles": account_selectors.staff_role_list(municipality=municipality),
        },
        status=400 if form.errors else 200,
    )


@office_view("office.manage_staff")
@require_POST
def staff_revoke(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    try:
        account_services.staff_role_revoke(
            actor=request.user,  # type: ignore[arg-type]
            staff_role_id=pk,
            municipality=municipality,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("office:staff", city=municipality.slug)


@office_view()
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """API tokens for systems that write through the API. A new token is shown once, on the
    answer to the form, and only its hash is kept."""
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            try:
                account_services.api_token_revoke(actor=user, token_id=int(request.POST["revoke"]))
            except (PermissionDenied, ValueError):
                messages.error(request, _("You may not revoke this token."))
            else:
                messages.success(request, _("The token has been revoked."))
            return redirect("office:tokens", city=municipality.slug)
        if form.is_valid():
            try:
                _token, created = account_services.api_token_create(
                    actor=user, municipality=municipality, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                form = ApiTokenForm()
    manage_all = can(user, "office.manage_staff", municipality)
    listed = ApiToken.objects.filter(municipality=municipality).select_related("user")
    if not manage_all:
        listed = listed.filter(user=user)
    response = render(
        request,
        "office/tokens.html",
        {"form": form, "tokens": listed, "created": created},
        status=400 if form.errors else 200,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@office_view()
@require_http_methods(["GET", "POST"])
def regulation(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The municipality's regulation settings and their history; the office and the
    administrators change them (``office.change_regulation``), other staff read them."""
    initial = {f: getattr(municipality, f) for f in municipality_services.SETTING_FIELDS}
    form = RegulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        note = values.pop("note")
        if not form.has_changed() or form.changed_data == ["note"]:
            messages.info(request, _("No setting was changed."))
            return redirect("office:regulation", city=municipality.slug)
        try:
            municipality_services.municipality_update_settings(
                municipality=municipality, actor=request.user, note=note, **values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The settings are saved: deadlines follow them from now on.")
            )
            return redirect("office:regulation", city=municipality.slug)
    return render(
        request,
        "office/regulation.html",
        {
            "form": form,
            "can_change": can(request.user, "office.change_regulation", municipality),
            "history": municipality_selectors.regulation_history(municipality=municipality),
        },
        status=400 if request.method == "POST" else 200,
    )


@office_view("office.change_regulation")
@require_http_methods(["GET", "POST"])
def articles(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The articles of the municipality's model pact, which new pacts start from in
    co-design; emptying every article restores the default ones."""
    initial = [{"title": t, "text": x} for _k, t, x in municipality_template(municipality)]
    formset = ArticleFormSet(request.POST or None, initial=initial, prefix="article")
    note_form = RegulationNoteForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note_form.is_valid():
        rows = [
            (f.cleaned_data.get("title", ""), f.cleaned_data.get("text", ""))
            for f in formset.forms
            if f.cleaned_data.get("title", "").strip() or f.cleaned_data.get("text", "").strip()
        ]
        try:
            pact_services.clause_template_set(
                actor=request.user,  # type: ignore[arg-type]
                municipality=municipality,
                articles=rows,
                note=note_form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The model pact is saved: new pacts in co-design start from it.")
            )
            return redirect("office:articles", city=municipality.slug)
    return render(
        request,
        "office/articles.html",
        {
            "formset": formset,
            "note_form": note_form,
            "placeholders": ["{" + name + "}" for name in PLACEHOLDERS],
        },
        status=400 if request.method == "POST" else 200,
    )
