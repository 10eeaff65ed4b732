"""The site's name and public address, for the words and links of messages.

Links in a message sent while answering a request point to the address that request came to
(its host was checked against ``ALLOWED_HOSTS``), unless ``SITE_URL`` names the public address:
then always there, which production should do. A message sent outside any request (a task,
a command) uses ``SITE_URL``, or the development server's default address.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

SITE_NAME = "Co-City"
DEVELOPMENT_URL = "http://127.0.0.1:8000"

_request_root: ContextVar[str | None] = ContextVar("cocity_request_root", default=None)


def site_url() -> str:
    """The address links in messages start with, without a trailing slash."""
    configured: str = getattr(settings, "SITE_URL", "") or ""
    return (configured or _request_root.get() or DEVELOPMENT_URL).rstrip("/")


class SiteAddressMiddleware:
    """Remember, for the messages rendered while answering, where this request came to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_root.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_root.reset(token)
