"""Reads on activity logs and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cocity.core.dates import short_date
from cocity.core.registry import PersonalItem
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
    reports = {r.period_start: r for r in pact.reports.all()}  # prefetched by lists
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
        .defer("municipality__boundary")
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


def personal_reports(user: Any) -> list[PersonalItem]:
    """The reports a person owes (``cocity.core.views.my_pacts``): each ended period of their
    running pacts without a report, or with one the office sent back."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cocity.pacts.selectors import user_pacts

    items = []
    running = (
        user_pacts(user=user)
        .filter(status__in=[Status.ACTIVE, Status.SUSPENDED])
        .prefetch_related("reports")
    )
    for pact in running:
        for state in pact_periods(pact=pact):
            report = state.report
            if report is not None and report.status != Report.Status.CHANGES_REQUESTED:
                continue
            period = {"start": short_date(state.period.start), "end": short_date(state.period.end)}
            text = (
                _("Report due for the period %(start)s – %(end)s.") % period
                if report is None
                else _("The office sent back the report for %(start)s – %(end)s: please revise it.")
                % period
            )
            if state.overdue:
                text = f"{text} {_('It is overdue.')}"
            items.append(
                PersonalItem(
                    group="todo",
                    title=pact.title,
                    reference=pact.number,
                    city=pact.municipality.name,
                    status=_("Report due") if report is None else _("Report to revise"),
                    text=text,
                    link=reverse(
                        "reports:report",
                        kwargs={
                            "city": pact.municipality.slug,
                            "number": pact.number,
                            "start": state.period.start.isoformat(),
                        },
                    ),
                    link_label=_("Write the report"),
                )
            )
    return items
