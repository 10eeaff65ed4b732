"""The gate of every staff page under ``/<city>/office/``: the domain apps' office views and
the office app's own pages use it, so it sits below them, with the roles it checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cocity.accounts.models import StaffRole
from cocity.core.permissions import can
from cocity.municipalities.city import city_view
from cocity.municipalities.models import Municipality


def office_view(permission: str = "office.access") -> Callable[..., Callable[..., HttpResponse]]:
    """Anonymous users go to the login page; users without the permission get a 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @city_view
        @wraps(view)
        def wrapper(
            request: HttpRequest, municipality: Municipality, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, permission, municipality):
                roles = [
                    str(role.get_role_display())
                    for role in StaffRole.objects.filter(
                        user=request.user, municipality=municipality
                    )
                ]
                if roles:
                    raise PermissionDenied(
                        _(
                            "Your role in %(city)s (%(roles)s) does not give access to this "
                            "page: ask the administrator of your office if you need it."
                        )
                        % {"city": municipality.name, "roles": ", ".join(roles)}
                    )
                raise PermissionDenied(
                    _("You have no role in the administration of %(city)s.")
                    % {"city": municipality.name}
                )
            return view(request, municipality, *args, **kwargs)

        return wrapper

    return decorator
