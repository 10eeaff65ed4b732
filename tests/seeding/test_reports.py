import datetime as dt
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.test.utils import override_settings
from django.utils import timezone

from cocity.municipalities.models import Municipality
from cocity.pacts.models import Pact, Status
from cocity.programmes.models import Funding, Programme
from cocity.reports.models import ActivityLog, Report
from cocity.reports.selectors import office_reports
from cocity.seeding import accounts as account_seeds
from cocity.seeding import commons as commons_seeds
from cocity.seeding import municipalities as municipality_seeds
from cocity.seeding import pacts as pact_seeds
from cocity.seeding import reports as report_seeds


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The demo data, seeded once for the module inside a transaction rolled back at the end
    (each test runs in a savepoint of it)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        municipality_seeds.seed(rng=random.Random(1))
        account_seeds.seed(rng=random.Random(1))
        commons_seeds.seed(rng=random.Random(1))
        pact_seeds.seed(rng=random.Random(1))
        start = time.perf_counter()
        report_seeds.seed(rng=random.Random(1))
        elapsed = time.perf_counter() - start
        yield {"elapsed": elapsed}
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestReportsSeed:
    def test_activity_log(self, seeded):
        assert seeded["elapsed"] < 60
        today = timezone.localdate()
        torino = ActivityLog.objects.filter(pact__municipality__slug="torino")
        assert torino.count() >= 1500
        for slug in ("reggio-emilia", "latina"):
            assert ActivityLog.objects.filter(pact__municipality__slug=slug).count() >= 100
        entries = ActivityLog.objects.all()
        assert not entries.filter(
            Q(date__lt=F("pact__start_date"))
            | Q(date__gt=F("pact__end_date"))
            | Q(date__gt=today)
            | Q(pact__start_date=None)
        ).exists()
        assert set(entries.values_list("pact__status", flat=True)) == {
            Status.ACTIVE,
            Status.CONCLUDED,
        }
        assert not entries.filter(
            Q(hours__lt=0) | Q(money_spent__lt=0) | Q(money_raised__lt=0)
        ).exists()
        assert not entries.filter(Q(hours__lt=2) | Q(hours__gt=30)).exists()
        assert not entries.filter(Q(volunteers__lt=1) | Q(volunteers__gt=15)).exists()
        assert not entries.filter(people_reached__gt=120).exists()
        assert not entries.filter(Q(money_spent__gt=500) | Q(money_raised__gt=500)).exists()
        assert entries.filter(money_spent__gt=0).exists()
        assert entries.filter(money_raised__gt=0).exists()
        assert entries.exclude(materials="").exists()
        # Each party logs on its own pact; every active or concluded pact has some activity.
        assert not entries.exclude(
            Q(author=F("pact__proponent"))
            | Q(author__memberships__organisation=F("pact__proponent_organisation"))
        ).exists()
        logged = Pact.objects.filter(
            municipality__slug="torino", status__in=[Status.ACTIVE, Status.CONCLUDED]
        ).exclude(start_date=None)
        assert (
            not logged.annotate(n=Count("activity_log"))
            .filter(n=0, end_date__gte=today - dt.timedelta(days=700))
            .exists()
        )
        # About 2–4 entries a month on a pact active for the last two years.
        busiest = torino.values("pact").annotate(n=Count("id")).aggregate(m=Max("n"))["m"]
        assert 40 <= busiest <= 100

    def test_programmes_and_fundings(self, seeded):
        torino = Municipality.objects.get(slug="torino")
        programmes = Programme.objects.filter(municipality=torino)
        assert programmes.count() >= 4
        for slug in ("reggio-emilia", "latina"):
            assert Programme.objects.filter(municipality__slug=slug).exists()
        cocity = programmes.get(name="Co-City")
        assert cocity.funder == "UE – FESR, Urban Innovative Actions"
        # The pacts started during a programme are the ones it funds (few signed demo pacts
        # of Turin started in 2017–2020).
        assert cocity.fundings.count() >= 1
        for funding in Funding.objects.select_related("programme", "pact"):
            programme, pact = funding.programme, funding.pact
            assert pact.municipality_id == programme.municipality_id
            assert pact.status in report_seeds.SIGNED
            assert pact.start_date is not None and programme.start_date <= pact.start_date
            assert programme.end_date is None or pact.start_date <= programme.end_date
            assert 1000 <= funding.amount <= 60000
            assert funding.amount % 100 == 0
        for programme in Programme.objects.all():
            total = sum(f.amount for f in programme.fundings.all())
            assert total <= programme.budget

    def test_reports(self, seeded):
        torino = Municipality.objects.get(slug="torino")
        reports = Report.objects.filter(pact__municipality=torino)
        statuses = set(reports.values_list("status", flat=True))
        assert {Report.Status.ACCEPTED, Report.Status.CHANGES_REQUESTED} <= statuses
        assert reports.filter(status=Report.Status.ACCEPTED).count() > 0.8 * reports.count()
        assert not reports.filter(status=Report.Status.CHANGES_REQUESTED, review_note="").exists()
        now = timezone.now()
        for report in reports.select_related("pact"):
            assert report.period_end < timezone.localtime(report.submitted_at).date()
            assert report.submitted_at <= now
            if report.reviewed_at is not None:
                assert report.submitted_at < report.reviewed_at <= now
            totals = report.pact.activity_log.filter(
                date__gte=report.period_start, date__lte=report.period_end
            )
            assert report.activities == totals.count()
        assert reports.filter(activities__gt=0).count() > 0.5 * reports.count()
        overdue = office_reports(municipality=torino)["overdue"]
        assert overdue
        assert any(row["pact"].status == Status.ACTIVE for row in overdue)
        assert len(overdue) <= 15

    def test_running_again_adds_nothing(self, seeded):
        counts = (
            ActivityLog.objects.count(),
            Report.objects.count(),
            Programme.objects.count(),
            Funding.objects.count(),
        )

        report_seeds.seed(rng=random.Random(2))

        assert (
            ActivityLog.objects.count(),
            Report.objects.count(),
            Programme.objects.count(),
            Funding.objects.count(),
        ) == counts
