"""Reads on activity logs and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Status
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import Period, report_periods


@dataclass
class PeriodState:
    period: Period
    report: Report | None
    overdue: bool


def pact_periods(*, pact: Pact, today: dt.date | None = None) -> list[PeriodState]:
    """Each ended period of the pact with its report, if any; overdue when none was accepted
    or submitted (a month's grace after the end of the period)."""
    today = today or timezone.localdate()
    reports = {r.period_start: r for r in Report.objects.filter(pact=pact)}
    states = []
    for period in report_periods(pact, today=today):
        report = reports.get(period.start)
        late = report is None or report.status == Report.Status.CHANGES_REQUESTED
        states.append(
            PeriodState(period, report, late and today > period.end + dt.timedelta(days=30))
        )
    return states


def pact_activity(*, pact: Pact) -> QuerySet[ActivityLog]:
    return ActivityLog.objects.filter(pact=pact).select_related("author").order_by("-date", "-id")


def office_reports(*, municipality: Municipality, today: dt.date | None = None) -> dict[str, Any]:
    """Reports to review, and the running pacts whose reports are overdue."""
    to_review = list(
        Report.objects.filter(pact__municipality=municipality, status=Report.Status.SUBMITTED)
        .select_related("pact", "submitted_by")
        .order_by("submitted_at")
    )
    running = (
        Pact.objects.filter(
            municipality=municipality,
            status__in=[Status.ACTIVE, Status.SUSPENDED, Status.CONCLUDED],
            start_date__isnull=False,
        )
        .select_related("municipality")
        .prefetch_related("reports")
    )
    today = today or timezone.localdate()
    overdue = []
    for pact in running:
        reports = {r.period_start: r for r in pact.reports.all()}
        missing = [
            p
            for p in report_periods(pact, today=today)
            if (
                reports.get(p.start) is None
                or reports[p.start].status == Report.Status.CHANGES_REQUESTED
            )
            and today > p.end + dt.timedelta(days=30)
        ]
        if missing:
            overdue.append({"pact": pact, "periods": missing})
    return {"to_review": to_review, "overdue": overdue}


def pact_section(pact: Pact) -> dict[str, Any]:
    """What a pact's page shows of its activity and reports (signed pacts only)."""
    if pact.start_date is None:
        return {"show": False}
    states = pact_periods(pact=pact)
    return {"show": True, "periods": states, "overdue": [s for s in states if s.overdue]}
