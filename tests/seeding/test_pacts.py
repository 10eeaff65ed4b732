import random
import re
import time
from collections import Counter

import pytest
from django.db.models import Max
from django.utils import timezone

from cocity.accounts.models import StaffRole, User
from cocity.pacts.models import (
    Category,
    Commitment,
    Pact,
    PactEvent,
    Party,
    ProtocolCounter,
    Status,
    Support,
)
from cocity.seeding import accounts as account_seeds
from cocity.seeding import commons as commons_seeds
from cocity.seeding import municipalities as municipality_seeds
from cocity.seeding import pacts as pact_seeds

SIGNED = (Status.ACTIVE, Status.SUSPENDED, Status.CONCLUDED, Status.TERMINATED)
NUMBER = re.compile(r"^[A-Z]{2}-20\d\d-\d{4}$")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded signatures go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _seed_all() -> float:
    municipality_seeds.seed(rng=random.Random(1))
    account_seeds.seed(rng=random.Random(1))
    commons_seeds.seed(rng=random.Random(1))
    start = time.perf_counter()
    pact_seeds.seed(rng=random.Random(1))
    return time.perf_counter() - start


def _snapshot() -> list[tuple[str, str, str]]:
    return sorted(Pact.objects.values_list("municipality__slug", "number", "status"))


@pytest.mark.django_db
class TestPactsSeed:
    def test_pacts_of_the_demo_cities(self):
        elapsed = _seed_all()

        torino = Pact.objects.filter(municipality__slug="torino")
        statuses = Counter(torino.values_list("status", flat=True))
        assert set(statuses) == set(Status.values)
        assert all(statuses[s] >= 3 for s in Status.values), statuses
        assert 80 <= sum(statuses[s] for s in SIGNED) <= 100
        assert 250 <= torino.count() <= 350
        for slug in ("reggio-emilia", "latina"):
            pacts = Pact.objects.filter(municipality__slug=slug)
            assert 35 <= pacts.count() <= 45
            assert set(pacts.values_list("status", flat=True)) == set(Status.values)
        assert torino.filter(complexity="complex", status__in=SIGNED).exists()
        assert torino.filter(renewal_of__isnull=False).count() >= 3
        assert torino.exclude(place_name="").filter(commons=None).exists()
        assert Category.objects.filter(municipality__slug="torino").count() == 5
        assert elapsed < 60

        self._numbers_events_and_times()
        self._believable_histories()
        self._demo_citizen_and_staff()

    def _numbers_events_and_times(self):
        now = timezone.now()

        for pact in Pact.objects.all():
            if pact.status == Status.DRAFT:
                assert pact.number == ""
            else:
                assert NUMBER.match(pact.number), pact.number
                assert pact.number.startswith(pact.municipality.code_prefix + "-")
            last = pact.events.exclude(to_status="").order_by("at", "id").last()
            assert last is not None and last.to_status == pact.status, pact.number
            assert pact.created_at <= now
        assert not PactEvent.objects.filter(at__gt=now).exists()
        # Numbers follow the submission dates within a year.
        for slug in ("torino", "latina"):
            submitted = (
                Pact.objects.filter(municipality__slug=slug, renewal_of=None)
                .exclude(number="")
                .order_by("submitted_at")
            )
            numbers = [p.number for p in submitted]
            by_year: dict[str, list[str]] = {}
            for number in numbers:
                by_year.setdefault(number.split("-")[1], []).append(number)
            assert all(group == sorted(group) for group in by_year.values())

    def _believable_histories(self):
        today = timezone.localdate()

        for pact in Pact.objects.filter(status=Status.ACTIVE):
            assert pact.end_date is not None and pact.end_date > today, pact.number
        for pact in Pact.objects.filter(status=Status.CONCLUDED):
            concluded = pact.events.get(action="conclude").at
            assert pact.end_date is not None
            assert pact.end_date <= timezone.localtime(concluded).date()
        for pact in Pact.objects.filter(status__in=SIGNED).prefetch_related("parties"):
            assert all(p.signed_at for p in pact.parties.all() if p.signs), pact.number
            assert pact.parties.filter(role=Party.Role.CITY).exists()
            assert Commitment.objects.filter(pact=pact).exists()
        # The events of each pact are in the order of the workflow.
        for pact in Pact.objects.exclude(status=Status.DRAFT)[:80]:
            status_events = list(pact.events.exclude(to_status="").order_by("at", "id"))
            for before, after in zip(status_events, status_events[1:], strict=False):
                assert before.to_status == after.from_status or after.action == "renewal"
        assert Support.objects.exclude(estimated_value=None).exists()
        assert Party.objects.filter(role=Party.Role.CO_SIGNATORY).exclude(signed_at=None).exists()
        assert PactEvent.objects.filter(action="approve", actor__email="giunta.torino@example.org")
        assert PactEvent.objects.filter(action="observation").exists()
        assert PactEvent.objects.filter(action="adhesion_accepted").exists()
        assert PactEvent.objects.filter(action="opinion_given").exists()
        assert PactEvent.objects.filter(action="meeting").exists()
        assert PactEvent.objects.filter(action="clause_edited").exists()

    def _demo_citizen_and_staff(self):
        giulia = Pact.objects.filter(proponent__email="cittadina@example.org")
        assert giulia.filter(status=Status.DRAFT).exists()
        assert giulia.filter(status=Status.ACTIVE).exists()
        incomplete = giulia.filter(status=Status.INCOMPLETE).first()
        assert incomplete is not None
        assert incomplete.events.filter(action="request_info").exclude(note="").exists()
        assert Pact.objects.filter(
            proponent__email="associazione@example.org",
            proponent_organisation__name="Associazione Amici della Dora",
        ).exists()
        for slug, city in (("reggio", "reggio-emilia"), ("latina", "latina")):
            for prefix, role in (("dirigente", "manager"), ("giunta", "executive")):
                user = User.objects.get(email=f"{prefix}.{slug}@example.org")
                assert StaffRole.objects.filter(
                    user=user, municipality__slug=city, role=role
                ).exists()

    def test_running_again_adds_nothing(self):
        _seed_all()
        before = _snapshot()
        events = PactEvent.objects.aggregate(Max("id"), n=Max("pk"))

        pact_seeds.seed(rng=random.Random(2))

        assert _snapshot() == before
        assert PactEvent.objects.aggregate(Max("id"), n=Max("pk")) == events

    def test_same_seed_same_pacts(self):
        _seed_all()
        first = _snapshot()
        Pact.objects.all().delete()
        ProtocolCounter.objects.all().delete()

        pact_seeds.seed(rng=random.Random(1))

        assert _snapshot() == first
