"""While an import (or any write on one pact) holds its transaction, the other writes of the
same city go ahead: a pact's lock locks the pact alone, and an import locks no row that other
writes need. Each waiting write runs with ``lock_timeout = '2s'``, so that waiting on a lock
fails the test instead of slowing it. Needs PostgreSQL (row locks)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from cocity.commons.services import commons_update
from cocity.municipalities.services import municipality_update_settings
from cocity.opendata import importer
from cocity.opendata.models import ImportedPact
from cocity.pacts import services
from cocity.pacts.models import Observation, Status
from cocity.reports.services import activity_log_add
from tests.accounts.factories import UserFactory
from tests.opendata.support import HEADER, import_register
from tests.pacts.factories import Cast, PactFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
    ),
]

REGISTER = (
    f"{HEADER}\n"
    "L-1;Patto importato;Firmato;Comitato Aurora;Comitato;Via Cuneo 5;Aurora;45.08;7.69;"
    "01/02/2024\n"
    "L-2;Patto aggiornato;In valutazione;;;Via Cuneo 7;Aurora;45.081;7.691;\n"
)


@contextmanager
def held_open(work: Callable[[threading.Event, threading.Event], None]) -> Iterator[None]:
    """Run ``work`` in another thread (its own connection) until it signals that it holds its
    transaction; the body runs meanwhile; then ``work`` is let go."""
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work(inside, release)
        except BaseException as exc:
            errors.append(exc)
            inside.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    assert inside.wait(timeout=30), "the other transaction did not start"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        yield
    finally:
        release.set()
        thread.join(timeout=60)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert not errors, errors


def observe(pact, text: str = "Una buona idea") -> Observation:
    return services.observation_add(actor=UserFactory(), pact=pact, text=text)


@pytest.mark.django_db(transaction=True)
def test_an_observation_does_not_wait_for_an_import_batch(torino, tmp_path, monkeypatch):
    cast = Cast(torino)
    in_consultation = PactFactory(cast=cast, status=Status.CONSULTATION)
    # The import's batch stops after its first row, its transaction open.
    original = importer._Importer.write

    def import_holding(inside: threading.Event, release: threading.Event) -> None:
        def write(self, *args, **kwargs):
            original(self, *args, **kwargs)
            inside.set()
            assert release.wait(timeout=30)

        monkeypatch.setattr(importer._Importer, "write", write)
        import_register(REGISTER, tmp_path, verbosity=0)

    with held_open(import_holding):
        observation = observe(in_consultation)
        municipality_update_settings(municipality=torino, consultation_days=20)

    assert Observation.objects.filter(pk=observation.pk).exists()
    assert ImportedPact.objects.count() == 2


def hold_observation(pact):
    def work(inside: threading.Event, release: threading.Event) -> None:
        with transaction.atomic():
            observe(pact, "Tengo il patto")
            inside.set()
            assert release.wait(timeout=30)

    return work


def hold_activity(pact):
    def work(inside: threading.Event, release: threading.Event) -> None:
        with transaction.atomic():
            activity_log_add(
                actor=pact.proponent,
                pact=pact,
                date=pact.start_date or dt.date.today(),
                activity="Pulizia",
                hours=Decimal("2"),
            )
            inside.set()
            assert release.wait(timeout=30)

    return work


def hold_commons(cast):
    def work(inside: threading.Event, release: threading.Event) -> None:
        with transaction.atomic():
            commons = cast.commons
            commons_update(
                actor=cast.office,
                commons=commons,
                lon=commons.lon,
                lat=commons.lat,
                description="Aggiornato",
            )
            inside.set()
            assert release.wait(timeout=30)

    return work


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("holder", ["observation", "activity", "commons"])
def test_a_write_on_one_pact_or_commons_locks_it_alone(torino, holder):
    cast = Cast(torino)
    busy = PactFactory(cast=cast, status=Status.CONSULTATION)
    active = PactFactory(cast=cast, status=Status.ACTIVE)
    other = PactFactory(cast=cast, status=Status.CONSULTATION)
    work = {
        "observation": hold_observation(busy),
        "activity": hold_activity(active),
        "commons": hold_commons(cast),
    }[holder]

    with held_open(work):
        observation = observe(other)
        municipality_update_settings(municipality=torino, consultation_days=20)

    assert Observation.objects.filter(pk=observation.pk).exists()
