"""One form, one address (issue #12). A page that holds several forms is answered by one view
(the GET); each of its forms is sent to an address of its own, whose view reads that form and
calls one service. When the input is refused the page is rendered again, with that form and
its errors and the other forms as they were, as a 400; when it is saved, a message and a
redirect (a reload sends nothing again). No view reads an ``action`` field to know what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from cocity.core import unsent
from cocity.core.forms import add_service_errors

View = Callable[..., HttpResponse]


def posted_from(
    page: Callable[..., str], *, login: bool = False, keep_text: bool = False
) -> Callable[[View], View]:
    """For a view that answers the POST of a form shown on another page. ``page`` gives the
    address of that page from the view's arguments (those after the request: for a city's
    views the municipality, then the values of the URL).

    A GET of the form's address goes to the page: the login brings a person whose session
    expired back to the address they sent the form to. Other methods are refused (405).
    With ``login``, an anonymous person is sent to the login, which brings them back to the
    page; with ``keep_text`` what the form carried is kept for them, to be given back on the
    page (``unsent.keep``: the page calls ``unsent.give_back``), as
    ``unsent.login_required_keeping_text`` does for a page that answers its own form."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(page(*args, **kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            if (login or keep_text) and not request.user.is_authenticated:
                back_to = page(*args, **kwargs)
                if keep_text:
                    unsent.keep(request, back_to=back_to)
                return redirect_to_login(back_to)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def answer(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    then: str,
    page: Callable[[forms.BaseForm], HttpResponse],
    error_field: str | None = None,
) -> HttpResponse:
    """The answer to the POST of ``form`` (bound). Valid, ``save`` calls the service with the
    cleaned data; once it is done, the message ``done`` and a redirect to ``then``. Refused by
    the form or by the service (its ``ValidationError`` goes on the form: on the field it
    names, else on ``error_field`` or above the form), ``page`` renders the page that holds
    the form again with it, as a 400. A ``PermissionDenied`` of the service is left to the
    403 page, which shows its message."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            if error_field is not None and not hasattr(exc, "error_dict"):
                form.add_error(error_field, exc)
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(then)
    return refused(page(form))


def refused(response: HttpResponse) -> HttpResponse:
    """A page rendered again because what was sent was refused: a 400."""
    response.status_code = 400
    return response
