"""The activity log and the reports for the tests, made through ``cocity.reports.services`` by
a party of the pact (its proponent unless told otherwise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from cocity.pacts.models import Status
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import activity_log_add, report_periods, report_submit
from tests.pacts.factories import PactFactory


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


# The arguments of ``PactFactory`` for an active pact signed 400 days ago for 1,000 days: the
# first two periods of six months have ended, each owes its report.
RUNNING = {
    "status": Status.ACTIVE,
    "start_date": factory.LazyFunction(lambda: _days_ago(400)),
    "end_date": factory.LazyFunction(lambda: _days_ago(400 - 1000)),
}


class ActivityLogFactory(factory.Factory):
    """An activity of today on a running pact."""

    class Meta:
        model = ActivityLog

    pact = factory.SubFactory(PactFactory, **RUNNING)
    actor = factory.SelfAttribute("pact.proponent")
    date = factory.LazyFunction(timezone.localdate)
    activity = "Pulizia"
    hours = Decimal("2")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return activity_log_add(**kwargs)


class ReportFactory(factory.Factory):
    """The report of the pact's first period that has ended."""

    class Meta:
        model = Report

    pact = factory.SubFactory(PactFactory, **RUNNING)
    actor = factory.SelfAttribute("pact.proponent")
    period_start = factory.LazyAttribute(lambda o: report_periods(o.pact)[0].start)
    results = "Aiuole pulite"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return report_submit(**kwargs)
