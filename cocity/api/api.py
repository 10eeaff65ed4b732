"""The versioned JSON API: ``/api/v1/``, schema at ``/api/v1/openapi.json``, docs at
``/api/v1/docs``. Each app contributes its router from its own ``api.py``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

api = NinjaAPI(
    title="Co-City API",
    version="1",
    description=(
        "Open data on urban commons and collaboration pacts of the municipalities on the "
        "platform. Read endpoints are public; write endpoints need a staff token."
    ),
    urls_namespace="api-1",
)


class HealthOut(Schema):
    status: str
    version: str


@api.get("/health", response=HealthOut, tags=["platform"], summary="Service health")
def health(request: HttpRequest) -> dict[str, str]:
    """Answers ``ok`` when the application is up and its database answers."""
    from cocity.municipalities.models import Municipality

    Municipality.objects.exists()
    return {"status": "ok", "version": api.version}
