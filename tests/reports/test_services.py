import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocity.pacts.models import Status
from cocity.reports.models import ActivityLog, Report
from cocity.reports.services import (
    activity_log_add,
    period_totals,
    report_periods,
    report_review,
    report_submit,
)
from tests.accounts.factories import UserFactory
from tests.pacts.factories import Cast, PactFactory
from tests.reports.factories import ActivityLogFactory


@pytest.mark.django_db
class TestActivityLog:
    def test_a_party_records_an_activity(self, running):
        cast, pact = running
        entry = activity_log_add(
            actor=pact.proponent,
            pact=pact,
            date=timezone.localdate(),
            activity="Pulizia",
            hours=Decimal("3.5"),
            volunteers=4,
            people_reached=20,
        )
        assert (entry.hours, entry.volunteers) == (Decimal("3.5"), 4)

    @pytest.mark.parametrize("field", ["hours", "money_spent", "money_raised"])
    def test_negative_values_are_refused(self, running, field):
        cast, pact = running
        with pytest.raises(ValidationError) as exc:
            ActivityLogFactory(pact=pact, **{field: Decimal("-1")})
        assert field in exc.value.message_dict
        assert not ActivityLog.objects.exists()

    @pytest.mark.parametrize("offset", [-500, 1])
    def test_dates_outside_the_pacts_life_are_refused(self, running, offset):
        cast, pact = running
        with pytest.raises(ValidationError) as exc:
            ActivityLogFactory(pact=pact, date=timezone.localdate() + dt.timedelta(days=offset))
        assert "date" in exc.value.message_dict
        assert not ActivityLog.objects.exists()

    def test_outsiders_cannot_record(self, running):
        cast, pact = running
        with pytest.raises(PermissionDenied):
            ActivityLogFactory(pact=pact, actor=UserFactory())
        assert not ActivityLog.objects.exists()

    def test_no_activity_on_a_pact_not_yet_signed(self, cast):
        with pytest.raises(ValidationError):
            ActivityLogFactory(pact=PactFactory(cast=cast, status=Status.CO_DESIGN))
        assert not ActivityLog.objects.exists()

    def test_the_totals_of_a_period_count_its_own_entries_only(self, running):
        cast, pact = running
        first, second = report_periods(pact)
        for hours, people in (("2", 5), ("3.5", 7)):
            ActivityLogFactory(
                pact=pact, date=first.end, hours=Decimal(hours), people_reached=people
            )
        ActivityLogFactory(pact=pact, date=second.start, hours=Decimal("10"), volunteers=3)

        assert period_totals(pact, first) == {
            "hours": Decimal("5.5"),
            "volunteers": 0,
            "people_reached": 12,
            "money_spent": Decimal("0"),
            "money_raised": Decimal("0"),
            "activities": 2,
        }
        assert (
            period_totals(pact, second)["hours"],
            period_totals(pact, second)["volunteers"],
        ) == (
            Decimal("10"),
            3,
        )


@pytest.mark.django_db
class TestReports:
    def test_periods_follow_the_municipality_interval(self, running):
        cast, pact = running
        periods = report_periods(pact)
        assert len(periods) == 2
        assert periods[0].start == pact.start_date
        assert periods[1].start == periods[0].end + dt.timedelta(days=1)

    def test_report_is_prefilled_from_the_log_and_reviewed(self, running):
        cast, pact = running
        first = report_periods(pact)[0]
        for hours in ("2", "3"):
            ActivityLogFactory(pact=pact, date=first.start, hours=Decimal(hours), people_reached=5)

        report = report_submit(
            actor=pact.proponent, pact=pact, period_start=first.start, results="Aiuole pulite"
        )
        assert (report.hours, report.people_reached, report.activities) == (Decimal("5"), 10, 2)

        report = report_review(
            actor=cast.office, report=report, accept=False, note="Aggiungete le foto"
        )
        assert report.status == Report.Status.CHANGES_REQUESTED
        report = report_submit(
            actor=pact.proponent,
            pact=pact,
            period_start=first.start,
            results="Aiuole pulite, foto allegate",
        )
        assert report.status == Report.Status.SUBMITTED
        assert report_review(actor=cast.office, report=report, accept=True).status == "accepted"

    def test_a_period_already_reported_is_refused(self, running):
        cast, pact = running
        first = report_periods(pact)[0]
        report_submit(actor=pact.proponent, pact=pact, period_start=first.start, results="Ok")

        with pytest.raises(ValidationError):
            report_submit(
                actor=pact.proponent, pact=pact, period_start=first.start, results="Di nuovo"
            )
        assert Report.objects.get().results == "Ok"

    def test_a_period_not_ended_is_refused(self, running):
        cast, pact = running
        with pytest.raises(ValidationError):
            report_submit(
                actor=pact.proponent,
                pact=pact,
                period_start=timezone.localdate(),
                results="Troppo presto",
            )
        assert not Report.objects.exists()

    def test_overdue_reports_show_in_the_office_and_on_the_pact(self, running, client):
        cast, pact = running
        client.force_login(cast.office)
        office = client.get("/torino/office/reports/").content.decode()
        page = client.get(f"/torino/pacts/{pact.number}/").content.decode()
        assert pact.number in office
        assert "overdue" in page or "in ritardo" in page


@pytest.mark.django_db
def test_the_last_day_of_a_term_is_not_a_period_of_its_own(torino):
    """A 12-month pact from 7 September ends on 7 September: its second period runs to that
    day, and no "07/09/2026–07/09/2026" report is asked for (issue #13, item 14)."""
    pact = PactFactory(
        cast=Cast(torino),
        status=Status.ACTIVE,
        start_date=dt.date(2025, 9, 7),
        end_date=dt.date(2026, 9, 7),
    )
    pact.municipality.report_interval_months = 6

    periods = report_periods(pact, today=dt.date(2026, 10, 1))

    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2025, 9, 7), dt.date(2026, 3, 6)),
        (dt.date(2026, 3, 7), dt.date(2026, 9, 7)),
    ]
