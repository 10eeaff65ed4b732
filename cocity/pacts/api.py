"""``/api/v1/<city>/pacts`` and ``/api/v1/<city>/pacts/<number>``: the public registry, with the
same filters and the same privacy rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cocity.api.pagination import paginate
from cocity.municipalities.selectors import municipality_get
from cocity.pacts import selectors
from cocity.pacts.filters import PactFilterForm
from cocity.pacts.models import Pact, Party

router = Router(tags=["pacts"])


class ErrorOut(Schema):
    detail: str


class PactFilters(Schema):
    q: str = Field("", description="Text in the number, title, objectives or proponent")
    stage: str = Field("", description="proposal, co_design, pact or closed")
    status: str = Field("", description="One of the statuses except draft")
    category: str = Field("", description="The category's slug")
    district: str = Field("", description="The district's slug")
    commons: str = Field("", description="The commons' id")
    year: str = Field("", description="Year of submission")


class PactSummary(Schema):
    number: str
    title: str
    status: str
    stage: str
    complexity: str
    category: str | None
    commons_id: int | None
    commons: str | None
    district: str | None
    proponent: str = Field(
        description="The organisation, or the citizen's name only with "
        "their consent, otherwise “a citizen”"
    )
    submitted_at: dt.datetime | None
    start_date: dt.date | None
    end_date: dt.date | None
    url: str


class PactPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[PactSummary]


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    note: str


class PartyOut(Schema):
    role: str
    name: str
    signed_at: dt.datetime | None


class SupportOut(Schema):
    kind: str
    description: str
    estimated_value: float | None


class PactDetail(PactSummary):
    objectives: str
    activities: str
    parties: list[PartyOut]
    commitments: list[str]
    supports: list[SupportOut]
    events: list[EventOut]
    signed_text_hash: str
    pdf: str | None


def _proponent(pact: Pact) -> str:
    if pact.proponent_organisation_id:
        return pact.proponent_organisation.name if pact.proponent_organisation else ""
    return pact.proponent.display_name if pact.proponent.show_name_publicly else "a citizen"


def _summary(request: HttpRequest, pact: Pact, city: str) -> dict[str, Any]:
    commons = pact.commons
    return {
        "number": pact.number,
        "title": pact.title,
        "status": pact.status,
        "stage": pact.stage,
        "complexity": pact.complexity,
        "category": pact.category.name if pact.category else None,
        "commons_id": pact.commons_id,
        "commons": commons.name if commons else None,
        "district": commons.district.name if commons and commons.district else None,
        "proponent": _proponent(pact),
        "submitted_at": pact.submitted_at,
        "start_date": pact.start_date,
        "end_date": pact.end_date,
        "url": request.build_absolute_uri(pact.url_for(city)),
    }


@router.get(
    "/{city}/pacts",
    response={200: PactPage, 400: ErrorOut, 404: ErrorOut},
    summary="The registry of pacts of a municipality",
    url_name="pacts_list",
)
def pacts_list(
    request: HttpRequest,
    city: str,
    filters: Query[PactFilters],
    page: str = "1",
    page_size: str = "20",
) -> dict[str, Any]:
    """Every pact past its draft, newest first, filtered like the registry page."""
    municipality = municipality_get(slug=city)
    form = PactFilterForm(filters.dict(), municipality=municipality)
    if not form.is_valid():
        raise HttpError(400, "; ".join(f"{k}: {v}" for k, v in form.error_messages().items()))
    qs = selectors.pact_registry(municipality=municipality, **form.filters())
    return paginate(
        request, qs, page=page, page_size=page_size, serialize=lambda p: _summary(request, p, city)
    )


@router.get(
    "/{city}/pacts/{number}",
    response={200: PactDetail, 404: ErrorOut},
    summary="One pact with its history",
    url_name="pacts_detail",
)
def pacts_detail(request: HttpRequest, city: str, number: str) -> dict[str, Any]:
    municipality = municipality_get(slug=city)
    try:
        pact = selectors.pact_get(municipality=municipality, number=number)
    except Pact.DoesNotExist:
        raise HttpError(404, f"There is no pact {number} in {municipality.name}") from None
    return {
        **_summary(request, pact, city),
        "objectives": pact.objectives,
        "activities": pact.activities,
        "parties": [
            {
                "role": p.role,
                "name": p.display_name(public=True)
                if p.role != Party.Role.CITY
                else municipality.name,
                "signed_at": p.signed_at,
            }
            for p in pact.parties.all()
        ],
        "commitments": [c.text for c in pact.commitments.all()],
        "supports": [
            {
                "kind": s.kind,
                "description": s.description,
                "estimated_value": float(s.estimated_value)
                if s.estimated_value is not None
                else None,
            }
            for s in pact.supports.all()
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in pact.events.all()
            if e.to_status or e.action in {"signed", "renewed"}
        ],
        "signed_text_hash": pact.signed_text_hash,
        "pdf": request.build_absolute_uri(f"{pact.url_for(city)}pact.pdf")
        if pact.clauses.all()
        else None,
    }
