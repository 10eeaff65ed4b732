"""The versioned JSON API: ``/api/v1/``, schema at ``/api/v1/openapi.json``, docs at
``/api/v1/docs``. The routers are the modules of this package, one per app whose data
the API serves (``cocity/api/pacts.py``…): the API is a delivery layer above the domain apps."""

from __future__ import annotations

import copy
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from cocity.api.commons import router as commons_router
from cocity.api.impact import router as impact_router
from cocity.api.municipalities import router as municipalities_router
from cocity.api.opendata import router as opendata_router
from cocity.api.pacts import router as pacts_router

TOO_MANY_REQUESTS: dict[str, Any] = {
    "description": "Too many requests: anonymous clients over `API_RATE_LIMIT` requests a "
    "minute from one IP address, or a token over `WRITE_RATE_LIMIT` writes. Nothing was done.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TooManyRequests"}}},
}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}
TOO_LARGE: dict[str, Any] = {
    "description": "The body is over `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes. Nothing was done.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class CocityAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation can answer 429 (the rate limits are middleware, before any view),
        and every one with a body 413 (Django refuses it before the view): the schema says so
        once here rather than in each router."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"]["TooManyRequests"] = {
            **ERROR_SCHEMA,
            "title": "TooManyRequests",
        }
        schema["components"]["schemas"]["Error"] = copy.deepcopy(ERROR_SCHEMA)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(429, copy.deepcopy(TOO_MANY_REQUESTS))
                if "requestBody" in operation:
                    operation["responses"].setdefault(413, copy.deepcopy(TOO_LARGE))
        return schema


api = CocityAPI(
    title="Co-City API",
    version="1",
    description=(
        "Open data on urban commons and collaboration pacts of the municipalities on the "
        "platform. Read endpoints are public; write endpoints need a staff token. Anonymous "
        "clients may send `API_RATE_LIMIT` requests a minute, each token `WRITE_RATE_LIMIT` "
        "writes (60 a minute unless the deployment says otherwise); beyond, 429 with "
        "`Retry-After`. Every `GET` also answers `HEAD` (the same status and headers, no "
        "body). Every error, whatever its status (an unknown route, a bad cursor or filter, a "
        "server error), is JSON with a `detail`."
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


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A body the schema refuses is a 400 naming the field, like a bad filter
    (docs/decisions/0005), not pydantic's 422 with a list."""
    problems = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ["body", "payload", "title"]: the view's parameter name says nothing to a client.
        field = ".".join(location[2:] if location[:1] == ["body"] else location[1:])
        problems.append(f"{field or (location[0] if location else 'request')}: {error['msg']}")
    return api.create_response(request, {"detail": "; ".join(problems)}, status=400)


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
