"""A cache of whole public pages for anonymous visitors.

Most visits are anonymous reads of the same public pages (a city's home, the registry, a
pact, the impact dashboard, the national observatory). Rendering them is most of the work of
the application, so their HTML is kept in the cache for ``PAGE_CACHE_SECONDS`` and served
again to the next anonymous visitor of the same URL in the same language.

- Only GET and HEAD, without a session cookie, a pending message, an ``Authorization``
  header (API tokens), or a path of the office, accounts or admin; only answers 200 in HTML
  or JSON (the anonymous API reads, inside the API's own middleware: CORS, conditional
  requests and its rate limit apply to stored answers too) that set no cookie and left the
  session untouched. Streamed exports are never stored.
- What must differ on every response does: the Content-Security-Policy nonce and the CSRF
  tokens of the page's forms are stored as placeholders and filled in for each visitor.
- A write forgets the stored pages of its own city: each service announces its change
  (``cocity.core.changes``) and, after the commit, the versions of the scopes it touches move
  (``cocity.core.versions``). A page of ``/<city>/…`` (or ``/api/v1/<city>/…``) is stored
  under its city's version, national pages under the nation's, which every change moves. A
  page rendered from the old data meanwhile was stored under the old version, which no reader
  asks for any more. Writes that announce nothing (the Django admin) show within the expiry.

With the default per-process memory cache each worker keeps its own pages and its own
versions: a write forgets the pages of the worker that made it at once, the others' within
``PAGE_CACHE_SECONDS``. With Redis (``REDIS_URL``) the versions are shared and every worker
forgets at once. docs/decisions/0009-page-cache.md, 0022-caching-by-scope.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

from cocity.core.versions import kept, path_token

NONCE_MARK = b"\x00cocity-nonce\x00"
CSRF_MARK = b"\x00cocity-csrf\x00"
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
EXCLUDED = ("/office/", "/accounts/", "/admin/", "/static/", "/media/", "/i18n/", "/ping")
CONTENT_TYPES = ("text/html", "application/json", "application/geo+json")
KEPT_HEADERS = ("Content-Type", "Content-Language")


class PageCacheMiddleware:
    """Serve anonymous visitors the stored copy of a public page (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        entry = cache.get(key)
        if entry is not None:
            return self._replay(request, entry)
        # From the primary: the page is kept under the current version (versions.kept).
        response = kept(lambda: self.get_response(request))
        if self._cacheable_response(request, response):
            assert isinstance(response, HttpResponse)
            cache.set(key, self._entry(request, response), seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(EXCLUDED) or "/office/" in request.path:
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _key(request: HttpRequest) -> str:
        partial = "1" if request.headers.get("HX-Request") else "0"
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        return f"page:{path_token(request.path)}:{language}:{partial}:{url}"

    @staticmethod
    def _cacheable_response(request: HttpRequest, response: HttpResponseBase) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if not isinstance(response, HttpResponse):
            return False
        if not response.get("Content-Type", "").startswith(CONTENT_TYPES):
            return False
        if response.cookies or "private" in response.get("Cache-Control", ""):
            return False
        if "no-store" in response.get("Cache-Control", ""):
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)

    @staticmethod
    def _entry(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
        content = response.content
        nonce = get_nonce(request)
        if nonce:  # generated: the page used it
            content = content.replace(str(nonce).encode(), NONCE_MARK)
        content = CSRF_FIELD.sub(rb"\1" + CSRF_MARK + rb"\3", content)
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        return {"content": content, "headers": headers}

    @staticmethod
    def _replay(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        content: bytes = entry["content"]
        if NONCE_MARK in content:
            content = content.replace(NONCE_MARK, str(get_nonce(request)).encode())
        if CSRF_MARK in content:
            content = content.replace(CSRF_MARK, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
