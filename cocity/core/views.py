"""Pages that belong to no city: the national view, legal notes, the error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.static import serve

from cocity.municipalities.models import Municipality


@require_GET
def city_switch(request: HttpRequest) -> HttpResponse:
    """The city switcher's form target (works without JavaScript). Redirects only to a city
    that exists, so the target is never user-controlled."""
    slug = request.GET.get("city", "")
    if Municipality.objects.filter(slug=slug).exists():
        return HttpResponseRedirect(reverse("municipalities:home", kwargs={"city": slug}))
    return HttpResponseRedirect(reverse("home"))


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files, outside production (where the web server or a bucket serves them)."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def ping(request: HttpRequest) -> HttpResponse:
    """A constant answer without the database: for load balancers, and the ceiling of the
    benchmark."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def _error(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    return render(request, f"{status}.html", {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and exception.args else ""
    return _error(request, 403, message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return _error(request, 404, message)


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """allauth's answer to a throttled login, sign-up or password reset (``ACCOUNT_RATE_LIMITS``),
    found as ``handler429`` in the URLconf. Not ``429.html``: that is the write limit's page,
    which says how many seconds to wait, and allauth does not tell."""
    return render(request, "core/too_many_attempts.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever failed (the database) may fail again.
    return HttpResponse(render_to_string("500.html"), status=500)
