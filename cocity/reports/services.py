"""Writes on the activity log and the reports of pacts. Each service checks who acts, refuses
bad values with a message, and tells the impact figures of the municipality to refresh."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.accounts.models import User
from cocity.core import changes, uploads
from cocity.core.dates import add_months, short_date
from cocity.core.limits import check_text_lengths
from cocity.core.permissions import can
from cocity.pacts.models import Pact, Status
from cocity.reports import limits
from cocity.reports.models import ActivityLog, Report

LOGGABLE = (Status.ACTIVE, Status.CONCLUDED)  # late entries of the last period are welcome


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive


def report_periods(pact: Pact, *, today: dt.date | None = None) -> list[Period]:
    """The periods of the pact that have ended (or the last one, once the pact has ended):
    every ``report_interval_months`` from its start."""
    if pact.start_date is None:
        return []
    today = today or timezone.localdate()
    months = pact.municipality.report_interval_months
    last_day = min(pact.end_date or today, today)
    periods = []
    start = pact.start_date
    while start <= last_day:
        end = add_months(start, months) - dt.timedelta(days=1)
        if pact.end_date is not None:
            # The term's last day belongs to the period before it, not to one of its own.
            if (pact.end_date - end).days <= 1:
                end = pact.end_date
            end = min(end, pact.end_date)
        if end < today or (pact.end_date is not None and end == pact.end_date <= today):
            periods.append(Period(start, end))
        start = end + dt.timedelta(days=1)
        if pact.end_date is not None and start > pact.end_date:
            break
    return periods


def period_totals(pact: Pact, period: Period) -> dict[str, Any]:
    """The activity log's totals for a period (what the report is pre-filled with)."""
    row = ActivityLog.objects.filter(
        pact=pact, date__gte=period.start, date__lte=period.end
    ).aggregate(
        hours=Sum("hours"),
        volunteers=Sum("volunteers"),
        people_reached=Sum("people_reached"),
        money_spent=Sum("money_spent"),
        money_raised=Sum("money_raised"),
        activities=Count("id"),
    )
    return {
        "hours": row["hours"] or Decimal("0"),
        "volunteers": row["volunteers"] or 0,
        "people_reached": row["people_reached"] or 0,
        "money_spent": row["money_spent"] or Decimal("0"),
        "money_raised": row["money_raised"] or Decimal("0"),
        "activities": row["activities"] or 0,
    }


def _check_party(actor: User | None, pact: Pact) -> None:
    if actor is not None and not can(actor, "pacts.edit_text", pact):
        raise PermissionDenied(_("Only the parties of the pact can record its activities."))


@transaction.atomic
def activity_log_add(
    *,
    actor: User,
    pact: Pact,
    date: dt.date,
    activity: str,
    hours: Decimal,
    volunteers: int = 0,
    people_reached: int = 0,
    materials: str = "",
    money_spent: Decimal = Decimal("0"),
    money_raised: Decimal = Decimal("0"),
    photo: UploadedFile | None = None,
    today: dt.date | None = None,
) -> ActivityLog:
    """Record what was done on a day of the pact's life."""
    locked = (
        Pact.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pact.pk)
    )
    _check_party(actor, locked)
    if locked.status not in LOGGABLE or locked.start_date is None:
        raise ValidationError(_("Activities are recorded while the pact is active."))
    today = today or timezone.localdate()
    if today < locked.start_date:
        raise ValidationError(
            {
                "date": _("The pact starts on %(start)s: activities can be recorded from that day.")
                % {"start": short_date(locked.start_date)}
            }
        )
    last = min(locked.end_date or today, today)
    if not locked.start_date <= date <= last:
        raise ValidationError(
            {
                "date": _(
                    "The date must fall within the pact's life so far: from %(start)s to %(end)s."
                )
                % {
                    "start": short_date(locked.start_date),
                    "end": short_date(last),
                }
            }
        )
    for field, value in (
        ("hours", hours),
        ("volunteers", volunteers),
        ("people_reached", people_reached),
        ("money_spent", money_spent),
        ("money_raised", money_raised),
    ):
        if value is not None and value < 0:
            raise ValidationError({field: _("This value may not be negative.")})
    check_text_lengths(
        values={"activity": activity.strip(), "materials": materials.strip()},
        limits={"activity": limits.ACTIVITY, "materials": limits.MATERIALS},
    )
    entry = ActivityLog(
        pact=locked,
        author=actor,
        date=date,
        activity=activity.strip(),
        hours=hours,
        volunteers=volunteers,
        people_reached=people_reached,
        materials=materials.strip(),
        money_spent=money_spent or Decimal("0"),
        money_raised=money_raised or Decimal("0"),
    )
    if photo is not None:
        processed = uploads.process_photo(photo)
        entry.photo.save(processed.image.name or "photo.jpg", processed.image, save=False)
    entry.full_clean()
    entry.save()
    changes.changed(municipality_id=locked.municipality_id, kind="reports.report")
    return entry


@transaction.atomic
def report_submit(
    *,
    actor: User,
    pact: Pact,
    period_start: dt.date,
    results: str,
    problems: str = "",
    next_steps: str = "",
    at: dt.datetime | None = None,
) -> Report:
    """Submit the report of an ended period, its totals taken from the activity log. A report
    sent back by the office may be submitted again; any other is refused."""
    locked = (
        Pact.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pact.pk)
    )
    _check_party(actor, locked)
    now = at or timezone.now()
    periods = {p.start: p for p in report_periods(locked, today=timezone.localtime(now).date())}
    period = periods.get(period_start)
    if period is None:
        raise ValidationError(
            _("There is no ended period of this pact starting on %(day)s.")
            % {"day": period_start.strftime("%d/%m/%Y")}
        )
    if not results.strip():
        raise ValidationError({"results": _("Describe the results of the period.")})
    check_text_lengths(
        values={
            "results": results.strip(),
            "problems": problems.strip(),
            "next_steps": next_steps.strip(),
        },
        limits=limits.REPORT_FIELDS,
    )
    existing = (
        Report.objects.select_for_update().filter(pact=locked, period_start=period.start).first()
    )
    if existing is not None and existing.status != Report.Status.CHANGES_REQUESTED:
        raise ValidationError(_("A report for this period has already been submitted."))
    report = existing or Report(pact=locked, period_start=period.start)
    report.period_end = period.end
    report.results, report.problems = results.strip(), problems.strip()
    report.next_steps = next_steps.strip()
    for field, value in period_totals(locked, period).items():
        setattr(report, field, value)
    report.status = Report.Status.SUBMITTED
    report.review_note = ""  # the office's request has been answered
    report.submitted_by, report.submitted_at = actor, now
    report.save()
    changes.changed(municipality_id=locked.municipality_id, kind="reports.report")
    return report


@transaction.atomic
def report_review(
    *, actor: User, report: Report, accept: bool, note: str = "", at: dt.datetime | None = None
) -> Report:
    locked = Report.objects.select_for_update().select_related("pact").get(pk=report.pk)
    if not can(actor, "pacts.act_as_office", locked.pact):
        raise PermissionDenied(_("Only the office reviews reports."))
    if locked.status != Report.Status.SUBMITTED:
        raise ValidationError(_("This report is not waiting for a review."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    check_text_lengths(values={"note": note.strip()}, limits={"note": limits.REVIEW_NOTE})
    locked.status = Report.Status.ACCEPTED if accept else Report.Status.CHANGES_REQUESTED
    locked.reviewed_by, locked.reviewed_at = actor, at or timezone.now()
    locked.review_note = note.strip()
    locked.save()
    changes.changed(municipality_id=locked.pact.municipality_id, kind="reports.report")
    return locked
