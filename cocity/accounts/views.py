"""Profile, organisations and invitations. Views validate input, call one service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.accounts import selectors, services
from cocity.accounts.forms import InvitationForm, OrganisationForm, ProfileForm
from cocity.accounts.models import Organisation, User
from cocity.core.forms import add_service_errors
from cocity.core.permissions import can


def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: the admin has no login of its own (docs/decisions/0010). Any method
    is sent to the site's login, which has its limits and the second factor; no password is
    ever checked here. Someone logged in without admin access gets a 403, not a loop back to
    a login that would send them on to the admin again."""
    admin_index = reverse("admin:index")
    target = request.GET.get("next", "")
    if not target.startswith(admin_index) or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = admin_index
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(target)
        raise PermissionDenied(_("Only platform administrators may use the admin."))
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target}, safe='/')}")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "show_name_publicly": user.show_name_publicly},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.user_memberships(user=user),
            "staff_roles": selectors.user_staff_roles(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been created: you are its representative.")
                % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = selectors.organisation_detail(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404(_("This organisation does not exist.")) from None
    user = _user(request)
    if not can(user, "accounts.view_organisation", organisation):
        raise PermissionDenied(_("Only members of the organisation can see this page."))
    can_manage = can(user, "accounts.manage_organisation", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                _("Only a representative of the organisation can invite members.")
            )
        if form.is_valid():
            try:
                services.organisation_invite(
                    actor=user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect(organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "form": form, "can_manage": can_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the invitation is for; POST accepts it."""
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(user=_user(request), token=token)
        except (ValidationError, PermissionDenied) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect(membership.organisation)
    return render(
        request, "accounts/invitation_accept.html", {"error": error}, status=400 if error else 200
    )
