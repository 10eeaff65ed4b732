"""``/api/v1/<city>/pacts`` and ``/api/v1/<city>/pacts/<number>``: the public registry, with the
same filters and the same privacy rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cocity.api.auth import StaffToken, token_of
from cocity.api.pagination import paginate
from cocity.api.schemas import CategoryFilter, DistrictFilter, ErrorOut, PageQuery, valid
from cocity.api.types import Text
from cocity.municipalities.selectors import municipality_get
from cocity.pacts import limits, selectors, services
from cocity.pacts.filters import PactFilterForm
from cocity.pacts.models import Category, Pact, Party
from cocity.pacts.services import PactChanged

router = Router(tags=["pacts"])


class PactFilters(Schema):
    q: str = Field("", description="Text in the number, title, objectives or proponent")
    stage: str = Field("", description="proposal, co_design, pact or closed")
    status: str = Field("", description="One of the statuses except draft")
    category: CategoryFilter = ""
    district: DistrictFilter = ""
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
    next: str | None = Field(description="The next page, or null on the last one")
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
    page: Query[PageQuery],
) -> dict[str, Any]:
    """Every pact past its draft, newest first, filtered like the registry page, paginated by
    cursor."""
    municipality = municipality_get(slug=city)
    form = valid(PactFilterForm(filters.dict(), municipality=municipality))
    qs = selectors.pact_registry(municipality=municipality, **form.filters())
    return paginate(
        request,
        qs.annotate(sort_at=Coalesce("submitted_at", "created_at")),
        page,
        ordering=("-sort_at", "-id"),
        parse=(dt.datetime.fromisoformat, int),
        serialize=lambda p: _summary(request, p, city),
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
            for s in pact.confirmed_supports
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


# --- Writes, for systems with a staff token ------------------------------------------------


class TransitionIn(Schema):
    action: Text = Field(
        max_length=40, description="An action of the workflow, e.g. publish, admit, approve"
    )
    note: Text = Field(
        "", max_length=limits.NOTE, description="The reason, where the action needs one"
    )
    version: int | None = Field(
        None, description="The version the client saw: a stale one is refused with 409"
    )


class ProposalIn(Schema):
    """The texts have the limits of the proposal's form (``cocity.pacts.limits``): a longer
    one is a 400 naming the field."""

    title: Text = Field(max_length=limits.TITLE)
    category: Text = Field(max_length=limits.CATEGORY_NAME, description="The category's slug")
    commons: int | None = Field(None, description="The commons' id, or give place_name")
    place_name: Text = Field("", max_length=limits.PLACE_NAME)
    complexity: Text = Field("ordinary", max_length=20)
    objectives: Text = Field(max_length=limits.OBJECTIVES)
    activities: Text = Field(max_length=limits.ACTIVITIES)
    duration_months: int
    submit: bool = Field(True, description="Submit at once (otherwise a draft is kept)")


class WriteError(Schema):
    detail: str


def _scoped(request: HttpRequest, city: str) -> Any:
    token = token_of(request)
    if token.municipality.slug != city:
        raise HttpError(403, "This token belongs to another municipality")
    return token


def _refusal(exc: Exception) -> HttpError:
    if isinstance(exc, PactChanged):
        return HttpError(409, " ".join(exc.messages))
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc))
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        # Like a body the schema refuses: each problem after the field it is about.
        return HttpError(
            400,
            "; ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in exc.message_dict.items()
            ),
        )
    return HttpError(400, " ".join(exc.messages))


@router.post(
    "/{city}/pacts/{number}/transitions",
    auth=StaffToken(),
    response={
        200: PactDetail,
        400: WriteError,
        401: WriteError,
        403: WriteError,
        404: WriteError,
        409: WriteError,
    },
    summary="Perform a transition of a pact",
    url_name="pacts_transition",
)
def pacts_transition(
    request: HttpRequest, city: str, number: str, payload: TransitionIn
) -> dict[str, Any]:
    """The same service and permission checks as the office's buttons."""
    token = _scoped(request, city)
    pact = Pact.objects.filter(municipality=token.municipality, number=number).first()
    if pact is None:
        raise HttpError(404, f"There is no pact {number} in {token.municipality.name}")
    try:
        services.pact_transition(
            actor=token.user,
            pact=pact,
            action=payload.action,
            note=payload.note,
            expected_version=payload.version,
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refusal(exc) from exc
    return pacts_detail(request, city, number)


@router.post(
    "/{city}/proposals",
    auth=StaffToken(),
    response={
        201: PactDetail,
        200: dict,
        400: WriteError,
        401: WriteError,
        403: WriteError,
        404: WriteError,
    },
    summary="Submit a proposal on behalf of the token's user",
    url_name="pacts_propose",
)
def pacts_propose(request: HttpRequest, city: str, payload: ProposalIn) -> Any:
    token = _scoped(request, city)
    municipality = token.municipality
    category = Category.objects.filter(municipality=municipality, slug=payload.category).first()
    if category is None:
        raise HttpError(400, f"category: no category {payload.category!r} in {municipality}")
    commons = (
        selectors.commons_for_pact(municipality=municipality, pk=payload.commons)
        if payload.commons
        else None
    )
    if payload.commons and commons is None:
        raise HttpError(400, f"commons: no commons {payload.commons} in {municipality}")
    try:
        with transaction.atomic():
            pact = services.pact_create_draft(
                actor=token.user,
                municipality=municipality,
                title=payload.title,
                category=category,
                commons=commons,
                place_name=payload.place_name,
                complexity=payload.complexity,
                objectives=payload.objectives,
                activities=payload.activities,
                duration_months=payload.duration_months,
            )
            if payload.submit:
                pact = services.pact_transition(actor=token.user, pact=pact, action="submit")
    except (ValidationError, PermissionDenied) as exc:
        raise _refusal(exc) from exc
    if not pact.number:
        return 200, {"id": pact.pk, "status": pact.status}
    return 201, pacts_detail(request, city, pact.number)
