"""A party records an activity from a phone-sized screen and submits the period's report;
the office accepts it. axe runs on the activity log and the report form."""

import datetime as dt

import pytest
from django.utils import timezone

from cocity.pacts.models import Status
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import report_periods
from tests.browser.support import assert_accessible, login, navigate, screenshot
from tests.pacts.factories import PactFactory


@pytest.fixture
def running(cast):
    start = timezone.localdate() - dt.timedelta(days=200)
    pact = PactFactory(
        cast=cast, status=Status.ACTIVE, start_date=start, end_date=start + dt.timedelta(days=700)
    )
    return cast, pact


def test_log_an_activity_and_report(page, running):
    cast, pact = running
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    login(page, pact.proponent)
    page.goto(page.base_url + f"/torino/pacts/{pact.number}/activity/")
    assert_accessible(page, "the activity log")
    page.get_by_label("Data").fill((pact.start_date + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Attività svolta").fill("Pulizia delle aiuole")
    page.get_by_label("Ore di volontariato (in totale)").fill("6")
    page.get_by_role("spinbutton", name="Volontari", exact=True).fill("3")
    navigate(page, page.get_by_role("button", name="Registra", exact=True))
    assert ActivityLog.objects.filter(pact=pact, hours=6).exists()
    screenshot(page, "activity-log-phone-it")

    period = report_periods(pact)[0]
    navigate(page, page.get_by_role("link", name="Periodo").first)
    assert_accessible(page, "the report form")
    page.get_by_label("Risultati").fill("Aiuole pulite ogni mese")
    navigate(page, page.get_by_role("button", name="Invia la relazione"))
    report = Report.objects.get(pact=pact, period_start=period.start)
    assert report.hours == 6

    login(page, cast.office)
    page.goto(page.base_url + "/torino/office/reports/")
    assert_accessible(page, "the office's reports")
    navigate(page, page.get_by_role("button", name="Accetta").first)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
