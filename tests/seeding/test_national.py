"""``manage.py seed --scale N``: the national data set, written through bulk paths, must be
the data the services would have written (the tests replay what the services derive)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Sum

from cocity.accounts.models import User
from cocity.commons.models import Commons
from cocity.municipalities.models import Municipality
from cocity.pacts import workflow
from cocity.pacts.models import Pact, PactEvent, Party, ProtocolCounter, Status
from cocity.pacts.services import pact_text_hash
from cocity.reports.models import ActivityLog, Report
from cocity.seeding import national

SCALE = "0.002"  # 160 pacts, 1,000 users, 4,000 activity entries, the 4-city minimum


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command(
        "seed", "--scale", SCALE, "--only", "municipalities", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def test_sizes_follow_the_scale_and_the_report_names_the_database_size(seeded):
    sizes = national.Sizes.for_scale(float(SCALE))
    assert Municipality.objects.count() == 4  # the 3 demo cities and one more
    assert User.objects.filter(email__endswith=f"@{national.DOMAIN}").count() == sizes.users
    assert Pact.objects.count() == sizes.pacts
    assert abs(Commons.objects.count() - sizes.commons) <= 4  # rounded per city
    # The activity log is spread over the days the signed pacts ran: close to the target.
    assert 0.8 * sizes.activities <= ActivityLog.objects.count() <= 1.2 * sizes.activities
    assert "database size" in seeded
    assert "activity entries" in seeded


def test_every_history_follows_the_workflow_and_ends_at_the_status(seeded):
    for pact in Pact.objects.prefetch_related("events"):
        status = Status.DRAFT
        for event in pact.events.all():
            if not event.to_status or event.action == "create":
                continue
            if event.action != "withdraw":
                transition = workflow.TRANSITIONS[event.action]
                assert status in transition.sources, (pact.number, event.action, status)
                assert event.to_status == transition.target
            assert event.from_status == status
            status = event.to_status
        assert status == pact.status, pact.number
        assert bool(pact.number) == (pact.status != Status.DRAFT)


def test_numbers_are_unique_and_the_counters_continue_after_them(seeded):
    numbers = list(Pact.objects.exclude(number="").values_list("municipality_id", "number"))
    assert len(numbers) == len(set(numbers))
    for municipality_id, number in numbers:
        _prefix, year, sequence = number.rsplit("-", 2)
        counter = ProtocolCounter.objects.get(municipality_id=municipality_id, year=int(year))
        assert counter.last >= int(sequence)


def test_signed_pacts_carry_the_hash_of_their_text_and_every_signature(seeded):
    signed = Pact.objects.filter(status__in=[Status.ACTIVE, Status.CONCLUDED])
    assert signed.exists()
    for pact in signed:
        assert pact.signed_text_hash == pact_text_hash(pact)
        assert pact.start_date and pact.end_date and pact.start_date < pact.end_date
        parties = pact.parties.filter(signs=True)
        assert parties.filter(role=Party.Role.CITY).exists()
        assert not parties.filter(signed_at__isnull=True).exists()
        assert set(parties.values_list("signed_text_hash", flat=True)) == {pact.signed_text_hash}
    concluded = Pact.objects.filter(status=Status.CONCLUDED).aggregate(last=Max("end_date"))
    active = Pact.objects.filter(status=Status.ACTIVE).aggregate(first=Max("end_date"))
    from django.utils import timezone

    today = timezone.localdate()
    if concluded["last"]:
        assert concluded["last"] <= today
    if active["first"]:
        assert active["first"] > today


def test_reports_add_up_their_period_of_the_activity_log(seeded):
    reports = Report.objects.all()[:50]
    assert reports
    for report in reports:
        inside = ActivityLog.objects.filter(
            pact=report.pact, date__gte=report.period_start, date__lte=report.period_end
        ).aggregate(n=Count("id"), hours=Sum("hours"))
        assert report.activities == inside["n"]
        assert report.hours == (inside["hours"] or Decimal(0))


def test_commons_under_a_running_pact_are_marked_so(seeded):
    running = Pact.objects.filter(
        status__in=[Status.ACTIVE, Status.SUSPENDED], commons__isnull=False
    ).values("commons")
    assert (
        not Commons.objects.filter(pk__in=running)
        .exclude(availability=Commons.Availability.UNDER_PACT)
        .exists()
    )


def test_a_second_run_adds_nothing(seeded):
    before = (Pact.objects.count(), PactEvent.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command(
        "seed", "--scale", SCALE, "--only", "municipalities", stdout=out, stderr=io.StringIO()
    )
    assert (Pact.objects.count(), PactEvent.objects.count(), User.objects.count()) == before
    assert "already there" in out.getvalue()


@pytest.mark.parametrize("value", ["huge", "0", "-1", "11"])
def test_a_bad_scale_is_refused_with_the_accepted_values(db, value):
    with pytest.raises(CommandError, match="small, national"):
        call_command("seed", "--scale", value, stdout=io.StringIO())
    assert not Municipality.objects.exists()
