"""Pages that belong to no city: legal notes, the error pages, private media in development."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django.views.static import serve

from cocity.core import registry
from cocity.core.paths import API_PREFIX


@login_required
@require_GET
def my_pacts(request: HttpRequest) -> HttpResponse:
    """ "I miei patti": a person's proposals, pacts and duties in every city, from the apps'
    personal sections (``registry.register_personal_section``)."""
    groups = registry.personal_items(request.user)
    return render(
        request,
        "core/my_pacts.html",
        {"groups": groups, "empty": not any(groups.values())},
    )


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Public uploads, outside production (where the web server or a bucket serves them).
    Only MEDIA_ROOT: private files live outside it (PRIVATE_MEDIA_ROOT, docs/decisions/0011),
    and a path that climbs out of it is a 404 like any missing file."""
    try:
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except SuspiciousFileOperation:
        raise Http404(path) from None


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


def _api_error(status: int, detail: str) -> JsonResponse:
    """An error of the API as the API answers its own: JSON with a ``detail``."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a request it refuses before any view: a bad Host header, a body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413 on the API, which says how large it may be)."""
    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(
                413,
                "Request body too large: at most "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes. Nothing was done.",
            )
        return _api_error(400, "Bad request: the request could not be read. Nothing was done.")
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
    if request.path.startswith(API_PREFIX):
        # Nothing of the fault is told: it is in the server's log.
        return _api_error(500, "Server error: the request could not be completed. Try again later.")
    return HttpResponse(render_to_string("500.html"), status=500)
