"""HTTP behaviour of the public API (``/api/v1/``): CORS for reads, conditional requests
(``ETag`` and ``Last-Modified``), ``HEAD`` on every ``GET`` route, errors always as JSON, and
a per-IP rate limit for anonymous clients."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from cocity.core.paths import API_PREFIX
from cocity.impact.cache import last_change

PREFIX = API_PREFIX
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After",
    "Access-Control-Max-Age": "86400",
}


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            preflight = HttpResponse(status=204)
            return self._cors(preflight)
        limited = self._rate_limit(request)
        if limited is not None:
            return self._cors(limited)
        method = request.method
        response = self._as_get(request) if method == "HEAD" else self.get_response(request)
        if method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(request, response)
        response = self._json_error(response)
        if method == "HEAD":
            response = self._without_body(response)
        return self._cors(response) if method in READ_METHODS else response

    def _as_get(self, request: HttpRequest) -> HttpResponse:
        """HEAD is GET without the body (RFC 9110, 9.3.2), and django-ninja answers 405 to a
        HEAD on a route declared for GET: the request goes to the routes as a GET."""
        request.method = request.META["REQUEST_METHOD"] = "GET"
        try:
            return self.get_response(request)
        finally:
            request.method = request.META["REQUEST_METHOD"] = "HEAD"

    @staticmethod
    def _without_body(response: HttpResponse) -> HttpResponse:
        """The GET's status and headers, its ``Content-Length`` included, and no body. A
        streamed export is never started (no query runs, no file is written): its iterator,
        database cursor or open file is closed with the response."""
        if isinstance(response, StreamingHttpResponse):  # FileResponse too
            response.streaming_content = []
        elif response.content:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response

    @staticmethod
    def _json_error(response: HttpResponse) -> HttpResponse:
        """Every error under ``/api/v1/`` is JSON with a ``detail``, like the API's own, also
        when Django or django-ninja answered before any handler of ours: an unknown route
        (Django's 404 page), a method that the route does not take (ninja's plain 405)."""
        media = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if response.status_code < 400 or media == "application/json" or media.endswith("+json"):
            return response
        status = response.status_code
        detail = f"{response.reason_phrase}."
        if status == 404:
            detail = "Not found: the API has no such route (its routes: /api/v1/docs)."
        elif status == 405:
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m}
            if "GET" in allowed:
                allowed.add("HEAD")
            response.headers["Allow"] = ", ".join(sorted(allowed))
            detail = f"Method not allowed: this route answers {response.headers['Allow']}."
        answer = JsonResponse({"detail": detail}, status=status)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response.headers:
                answer.headers[header] = response.headers[header]
        return answer

    @staticmethod
    def _cors(response: HttpResponse) -> HttpResponse:
        for header, value in CORS_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Last-Modified is the last change of the municipality's data (or of any, for
        national endpoints); the ETag is the body's hash. Both answer 304 when unchanged."""
        city = request.path[len(PREFIX) :].split("/", 1)[0]
        changed = last_change(city if "/" in request.path[len(PREFIX) :] else None)
        if changed is not None and "Last-Modified" not in response.headers:
            response.headers["Last-Modified"] = http_date(changed)
        if not response.streaming and "ETag" not in response.headers:
            set_response_etag(response)
        conditional = get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=int(changed) if changed is not None else None,
            response=response,
        )
        return conditional or response

    @staticmethod
    def _rate_limit(request: HttpRequest) -> HttpResponse | None:
        """Anonymous clients get ``API_RATE_LIMIT`` requests a minute per IP address (as
        ``cocity.core.client_address`` finds it behind the deployment's proxies)."""
        from cocity.core.client_address import client_address

        limit = settings.API_RATE_LIMIT
        if not limit or getattr(request, "user", None) and request.user.is_authenticated:
            return None
        now = time.time()
        window = int(now // 60)
        key = f"api:rate:{client_address(request)}:{window}"
        count = cache.get_or_set(key, 0, 90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, 90)
            count = 1
        if count <= limit:
            return None
        retry_after = max(1, int((window + 1) * 60 - now))
        response = JsonResponse(
            {
                "detail": f"Too many requests: at most {limit} a minute for anonymous clients. "
                f"Retry in {retry_after} s."
            },
            status=429,
        )
        response.headers["Retry-After"] = str(retry_after)
        response.headers["Date"] = formatdate(usegmt=True)
        return response
