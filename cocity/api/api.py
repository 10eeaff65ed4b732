"""The versioned JSON API: ``/api/v1/``, schema at ``/api/v1/openapi.json``, docs at
``/api/v1/docs``. Each app contributes its router from its own ``api.py``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from cocity.commons.api import router as commons_router
from cocity.impact.api import router as impact_router
from cocity.municipalities.api import router as municipalities_router
from cocity.opendata.api import router as opendata_router
from cocity.pacts.api import router as pacts_router

api = NinjaAPI(
    title="Co-City API",
    version="1",
    description=(
        "Open data on urban commons and collaboration pacts of the municipalities on the "
        "platform. Read endpoints are public; write endpoints need a staff token."
    ),
    urls_namespace="api-1",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) if exc.args and isinstance(exc.args[0], str) else "Not found"
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


class HealthOut(Schema):
    status: str
    version: str


@api.get("/health", response=HealthOut, tags=["platform"], summary="Service health")
def health(request: HttpRequest) -> dict[str, str]:
    """Answers ``ok`` when the application is up and its database answers."""
    from cocity.municipalities.models import Municipality

    Municipality.objects.exists()
    return {"status": "ok", "version": api.version}


api.add_router("/", municipalities_router)
api.add_router("/", commons_router)
api.add_router("/", pacts_router)
api.add_router("/", impact_router)
# Before the city routers' paths in the URL map: "/catalog.jsonld" is no city.
api.add_router("/", opendata_router)
