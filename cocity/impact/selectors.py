"""The impact indicators: read-only selectors over pacts, reports and programmes.

Each indicator is one aggregate query whatever the number of pacts and activity entries, and
the whole set is cached until a write changes it (``cocity.impact.cache``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from cocity.impact.cache import cached
from cocity.municipalities.models import Municipality
from cocity.pacts import figures
from cocity.pacts.models import Pact, PactEvent, Party, Status, Support
from cocity.programmes.models import Funding, Programme
from cocity.reports.models import ActivityLog, Report

SIGNED = (Status.ACTIVE, Status.SUSPENDED, Status.CONCLUDED, Status.TERMINATED)
RUNNING = (Status.ACTIVE, Status.SUSPENDED)
# The office's steps whose median duration the administration accounts for.
OFFICE_STEPS = (
    Status.SUBMITTED,
    Status.CONSULTATION,
    Status.EVALUATION,
    Status.CO_DESIGN,
    Status.AWAITING_APPROVAL,
    Status.AWAITING_SIGNATURE,
)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    district: str = ""
    category: str = ""
    programme: int | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.year_from, self.year_to, self.district, self.category, self.programme)


def _pacts(municipality_ids: list[int] | None, filters: Filters) -> QuerySet[Pact]:
    qs = Pact.objects.exclude(status=Status.DRAFT)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    if filters.year_from:
        qs = qs.filter(submitted_at__year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(submitted_at__year__lte=filters.year_to)
    if filters.district:
        qs = qs.filter(commons__district__slug=filters.district)
    if filters.category:
        qs = qs.filter(category__slug=filters.category)
    if filters.programme:
        qs = qs.filter(fundings__programme_id=filters.programme)
    return qs


def _rows(qs: QuerySet[Any], field: str) -> list[tuple[Any, int]]:
    return [
        (row[field], row["n"])
        for row in qs.values(field).annotate(n=Count("id", distinct=True)).order_by("-n", field)
    ]


def _median_days(pacts: QuerySet[Pact]) -> list[tuple[str, float | None, int]]:
    durations: dict[str, list[float]] = {status: [] for status in OFFICE_STEPS}
    for status, duration in PactEvent.objects.filter(
        pact__in=pacts, from_status__in=OFFICE_STEPS, duration__isnull=False
    ).values_list("from_status", "duration"):
        if duration is not None:
            durations[status].append(duration.total_seconds() / 86400)
    return [
        (status, round(statistics.median(days), 1) if days else None, len(days))
        for status, days in durations.items()
    ]


def _compute(municipality_ids: list[int] | None, filters: Filters) -> dict[str, Any]:
    pacts = _pacts(municipality_ids, filters)
    ids = pacts.values("id")
    totals = pacts.aggregate(
        proposals=Count("id", filter=figures.SUBMITTED.condition, distinct=True),
        co_design=Count("id", filter=figures.ADMITTED.condition, distinct=True),
        signed=Count("id", filter=figures.SIGNED.condition, distinct=True),
        running=Count("id", filter=figures.IN_FORCE.condition, distinct=True),
    )
    confirmed, pending = Q(_covered()), ~Q(_covered())
    activity = ActivityLog.objects.filter(pact__in=ids).aggregate(
        confirmed_hours=Coalesce(Sum("hours", filter=confirmed), ZERO),
        confirmed_people=Coalesce(Sum("people_reached", filter=confirmed), 0),
        confirmed_spent=Coalesce(Sum("money_spent", filter=confirmed), ZERO),
        confirmed_raised=Coalesce(Sum("money_raised", filter=confirmed), ZERO),
        entries=Count("id"),
        hours_provisional=Coalesce(Sum("hours", filter=pending), ZERO),
        people_provisional=Coalesce(Sum("people_reached", filter=pending), 0),
        spent_provisional=Coalesce(Sum("money_spent", filter=pending), ZERO),
        raised_provisional=Coalesce(Sum("money_raised", filter=pending), ZERO),
    )
    parties = (
        Party.objects.filter(pact__in=ids)
        .exclude(role=Party.Role.CITY)
        .aggregate(
            organisations=Count("organisation", distinct=True),
            citizens=Count("user", filter=Q(organisation__isnull=True), distinct=True),
        )
    )
    supports = Support.objects.filter(pact__in=ids, status=Support.Status.CONFIRMED).aggregate(
        value=Coalesce(Sum("estimated_value"), ZERO)
    )["value"]
    funded = Funding.objects.filter(pact__in=ids).aggregate(value=Coalesce(Sum("amount"), ZERO))[
        "value"
    ]
    commons_under_care = (
        pacts.filter(status__in=RUNNING, commons__isnull=False).values("commons").distinct().count()
    )
    signed_by_year = [
        (row["year"], row["n"])
        for row in pacts.filter(start_date__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    ]
    proposals = totals["proposals"] or 0
    return {
        "by_status": _rows(pacts, "status"),
        "by_category": _rows(pacts, "category__name"),
        "by_district": _rows(pacts, "commons__district__name"),
        "signed_by_year": signed_by_year,
        "funnel": [
            ("proposals", proposals),
            ("co_design", totals["co_design"]),
            ("signed", totals["signed"]),
        ],
        "conversion": round(100 * totals["signed"] / proposals, 1) if proposals else None,
        "running": totals["running"],
        "organisations": parties["organisations"],
        "citizens": parties["citizens"],
        "hours": activity["confirmed_hours"],
        "people_reached": activity["confirmed_people"],
        "activity_entries": activity["entries"],
        # Recorded by the parties in periods whose report the office has not accepted yet.
        "provisional": {
            "hours": activity["hours_provisional"],
            "people_reached": activity["people_provisional"],
            "euros_citizens": activity["spent_provisional"] + activity["raised_provisional"],
        },
        "euros_city": supports + funded,
        "euros_city_supports": supports,
        "euros_city_programmes": funded,
        "euros_citizens": activity["confirmed_spent"] + activity["confirmed_raised"],
        "commons_under_care": commons_under_care,
        "median_days": _median_days(pacts),
    }


def _covered() -> Exists:
    """Whether a report the office accepted covers an activity entry's day. The figures of
    hours, people reached and citizens' euros count only covered entries; the others are
    provisional (docs/decisions/0019)."""
    return Exists(
        Report.objects.filter(
            pact=OuterRef("pact"),
            status=Report.Status.ACCEPTED,
            period_start__lte=OuterRef("date"),
            period_end__gte=OuterRef("date"),
        )
    )


def city_indicators(
    *, municipality: Municipality, filters: Filters | None = None
) -> dict[str, Any]:
    filters = filters or Filters()
    return cached(
        municipality.pk, ("city", *filters.key()), lambda: _compute([municipality.pk], filters)
    )


def national_indicators(*, filters: Filters | None = None) -> dict[str, Any]:
    filters = filters or Filters()
    return cached(None, ("national", *filters.key()), lambda: _compute(None, filters))


def programme_totals(*, municipality: Municipality) -> list[dict[str, Any]]:
    """Urb-Inclusion style: organisations, projects and euros per programme."""

    def compute() -> list[dict[str, Any]]:
        rows = (
            Programme.objects.filter(municipality=municipality)
            .annotate(
                projects=Count("fundings__pact", distinct=True),
                organisations=Count("fundings__pact__parties__organisation", distinct=True),
            )
            .order_by("-start_date", "name")
        )
        euros = dict(
            Funding.objects.filter(programme__municipality=municipality)
            .values_list("programme")
            .annotate(total=Sum("amount"))
        )
        return [
            {
                "id": p.pk,
                "name": p.name,
                "funder": p.funder,
                "budget": p.budget,
                "projects": p.projects,
                "organisations": p.organisations,
                "euros": euros.get(p.pk, Decimal("0")),
            }
            for p in rows
        ]

    return cached(municipality.pk, ("programmes",), compute)


OBSERVATORY_COLUMNS = (
    "proposals",
    "signed",
    "running",
    "conversion",
    "organisations",
    "citizens",
    "hours",
    "people_reached",
    "euros_city",
    "euros_citizens",
    "commons_under_care",
)


def observatory() -> dict[str, Any]:
    """Every municipality side by side, and the national total: grouped queries, cached."""

    def compute() -> dict[str, Any]:
        cities = list(Municipality.objects.only("slug", "name", "region").order_by("name"))
        base = Pact.objects.exclude(status=Status.DRAFT)
        pacts = {
            row["municipality_id"]: row
            for row in base.values("municipality_id").annotate(
                proposals=Count("id", filter=figures.SUBMITTED.condition, distinct=True),
                signed=Count("id", filter=figures.SIGNED.condition, distinct=True),
                running=Count("id", filter=figures.IN_FORCE.condition, distinct=True),
                commons_under_care=Count("commons", filter=Q(status__in=RUNNING), distinct=True),
            )
        }
        activity = {
            row["pact__municipality_id"]: row
            for row in ActivityLog.objects.filter(_covered())
            .values("pact__municipality_id")
            .annotate(
                hours=Sum("hours"),
                people_reached=Sum("people_reached"),
                euros_citizens=Sum("money_spent") + Sum("money_raised"),
            )
        }
        parties = {
            row["pact__municipality_id"]: row
            for row in Party.objects.exclude(role=Party.Role.CITY)
            .exclude(pact__status=Status.DRAFT)
            .values("pact__municipality_id")
            .annotate(
                organisations=Count("organisation", distinct=True),
                citizens=Count("user", filter=Q(organisation__isnull=True), distinct=True),
            )
        }
        supports = dict(
            Support.objects.filter(status=Support.Status.CONFIRMED)
            .values_list("pact__municipality_id")
            .annotate(total=Sum("estimated_value"))
        )
        funded = dict(
            Funding.objects.values_list("pact__municipality_id").annotate(total=Sum("amount"))
        )
        rows = []
        for city in cities:
            p: dict[str, Any] = dict(pacts.get(city.pk, {}))
            a: dict[str, Any] = dict(activity.get(city.pk, {}))
            o: dict[str, Any] = dict(parties.get(city.pk, {}))
            proposals = p.get("proposals", 0)
            rows.append(
                {
                    "slug": city.slug,
                    "name": city.name,
                    "region": city.region,
                    "proposals": proposals,
                    "signed": p.get("signed", 0),
                    "running": p.get("running", 0),
                    "conversion": round(100 * p.get("signed", 0) / proposals, 1)
                    if proposals
                    else None,
                    "organisations": o.get("organisations", 0),
                    "citizens": o.get("citizens", 0),
                    "hours": a.get("hours") or Decimal("0"),
                    "people_reached": a.get("people_reached") or 0,
                    "euros_city": (supports.get(city.pk) or Decimal("0"))
                    + (funded.get(city.pk) or Decimal("0")),
                    "euros_citizens": a.get("euros_citizens") or Decimal("0"),
                    "commons_under_care": p.get("commons_under_care", 0),
                }
            )
        total: dict[str, Any] = {
            key: sum(r[key] for r in rows) for key in OBSERVATORY_COLUMNS if key != "conversion"
        }
        total["conversion"] = (
            round(100 * total["signed"] / total["proposals"], 1)
            if rows and total["proposals"]
            else None
        )
        return {"rows": rows, "total": total}

    return cached(None, ("observatory",), compute)
