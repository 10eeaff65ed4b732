"""Two staff act on the same pact at the same moment, in real concurrent transactions: one
wins, the other is told the pact changed; no duplicate event. Needs PostgreSQL (row locks)."""

import threading

import pytest
from django.db import connection, connections

from cocity.pacts import services
from cocity.pacts.models import Pact, PactEvent, Status
from tests.pacts.factories import Cast, PactFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_one_wins(torino):
    cast = Cast(torino)
    pact = PactFactory(cast=cast, status=Status.SUBMITTED)
    seen = Pact.objects.get(pk=pact.pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(action: str, note: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.pact_transition(
                actor=cast.office,
                pact=seen,
                action=action,
                note=note,
                expected_version=seen.version,
            )
            outcomes.append("ok")
        except Exception as exc:  # the loser's error is the point of the test
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("publish", "")),
        threading.Thread(target=act, args=("request_info", "Manca un allegato")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["PactChanged", "ok"]
    pact.refresh_from_db()
    assert pact.status in {Status.CONSULTATION, Status.INCOMPLETE}
    events = PactEvent.objects.filter(pact=pact, from_status=Status.SUBMITTED)
    assert events.count() == 1
    assert pact.version == seen.version + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers(torino):
    cast = Cast(torino)
    drafts = [PactFactory(cast=cast, status=Status.DRAFT) for _ in range(4)]
    barrier = threading.Barrier(len(drafts))
    errors: list[Exception] = []

    def submit(pact: Pact) -> None:
        try:
            barrier.wait(timeout=10)
            services.pact_transition(actor=pact.proponent, pact=pact, action="submit")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(p,)) for p in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    numbers = list(Pact.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 4
