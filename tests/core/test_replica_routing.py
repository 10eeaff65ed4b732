"""Reads from a PostgreSQL replica (cocity/core/replica.py, docs/decisions/0021).

On PostgreSQL the ``replica`` alias is a second connection to the test database (a test
mirror of ``default``), so that the tests see which connection each query takes: a GET reads
from the replica, a write and the reads after it from the primary, a GET after a POST
(the pinning cookie) from the primary until the replica has replayed the write, and code
outside a request always from the primary. Without ``DATABASE_REPLICA_URL`` nothing is
routed (checked on every database, through the settings module in a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from cocity.accounts.models import User
from cocity.core import replica
from tests.accounts.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason="the replica is PostgreSQL's streaming replica"),
]
MIDDLEWARE = list(settings.MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "cocity.core.replica.ReplicaMiddleware",
)
ROUTED = {"DATABASE_ROUTERS": ["cocity.core.replica.ReplicaRouter"], "MIDDLEWARE": MIDDLEWARE}


@pytest.fixture
def mirror(transactional_db) -> Iterator[None]:
    """The alias ``replica``: another connection to the test database, as the settings make it
    from DATABASE_REPLICA_URL (committed data, so the tests are transactional). Made here as
    a connection the test framework allows (one it did not find in the settings)."""
    settings_dict = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    backend = load_backend(settings_dict["ENGINE"])
    connections[replica.REPLICA] = backend.DatabaseWrapper(settings_dict, replica.REPLICA)
    try:
        with override_settings(**ROUTED):
            yield
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]


def _queries(client: Client, method: str, path: str, **data: str):
    """The response, and the queries each connection ran for it."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as mirror,
    ):
        response = getattr(client, method)(path, data, secure=True)
    return response, [q["sql"] for q in primary], [q["sql"] for q in mirror]


def _replay_lsn(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if "pg_last_wal_replay_lsn" in sql]


@pytest.fixture
def signed_in(mirror, user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestRouting:
    pytestmark = postgres_only

    def test_a_get_reads_from_the_replica(self, signed_in, user):
        response, primary, mirror = _queries(signed_in, "get", "/account/profile/")

        assert response.status_code == 200
        assert mirror, "the session and the user come from the replica"
        assert any("accounts_user" in sql for sql in mirror)
        assert primary == []
        assert replica.REPLICA_PIN_COOKIE not in response.cookies

    def test_a_write_goes_to_the_primary_and_pins_the_person(self, signed_in, user):
        response, primary, mirror = _queries(
            signed_in, "post", "/account/profile/", display_name="Giulia R."
        )

        assert response.status_code == 302
        assert any(sql.startswith("UPDATE") and "accounts_user" in sql for sql in primary)
        assert mirror == [], "a request that may write reads from the primary from its start"
        pin = response.cookies[replica.REPLICA_PIN_COOKIE]
        assert replica.lsn_parse(pin.value) is not None
        assert pin["httponly"]
        assert User.objects.get(pk=user.pk).display_name == "Giulia R."

    def test_a_get_after_a_post_reads_from_the_primary(self, signed_in, user):
        signed_in.post("/account/profile/", {"display_name": "Giulia R."}, secure=True)

        response, primary, mirror = _queries(signed_in, "get", "/account/profile/")

        assert response.status_code == 200
        assert b"Giulia R." in response.content
        # The one question to the replica: how far it has replayed. A test mirror is no
        # standby (no replay position): the person stays on the primary.
        assert _replay_lsn(mirror) == mirror and len(mirror) == 1
        assert any("accounts_user" in sql for sql in primary)
        assert replica.REPLICA_PIN_COOKIE not in response.cookies  # kept, not dropped

    def test_a_replica_that_caught_up_takes_the_reads_again(self, signed_in, user, monkeypatch):
        signed_in.post("/account/profile/", {"display_name": "Giulia R."}, secure=True)
        pinned = replica.lsn_parse(signed_in.cookies[replica.REPLICA_PIN_COOKIE].value)
        assert pinned is not None

        monkeypatch.setattr(replica, "replica_replay_lsn", lambda: pinned - 1)
        _, primary, mirror = _queries(signed_in, "get", "/account/profile/")
        assert primary and not mirror, "behind the person's write: the primary"

        monkeypatch.setattr(replica, "replica_replay_lsn", lambda: pinned)
        response, primary, mirror = _queries(signed_in, "get", "/account/profile/")
        assert mirror and primary == []
        assert response.cookies[replica.REPLICA_PIN_COOKIE]["max-age"] == 0  # dropped

    def test_logging_in_pins_the_person(self, mirror, user):
        client = Client()
        assert client.get("/account/login/", secure=True).status_code == 200

        response = client.post(
            "/account/login/", {"login": user.email, "password": PASSWORD}, secure=True
        )

        assert response.status_code == 302
        assert replica.REPLICA_PIN_COOKIE in response.cookies

    def test_a_write_inside_a_get_pins_the_rest_of_the_request(self, mirror, user):
        seen = []

        def view(request):
            seen.append(router.db_for_read(User))
            User.objects.filter(pk=user.pk).update(display_name="Giulia R.")
            seen.append(router.db_for_read(User))
            return HttpResponse("ok")

        response = replica.ReplicaMiddleware(view)(RequestFactory().get("/"))

        assert seen == [replica.REPLICA, "default"]
        assert replica.REPLICA_PIN_COOKIE in response.cookies


class TestKeptUnderAVersion:
    """What a cache keeps under a version is read from the primary: a replica that had not
    replayed the write that moved the version would store the old state under the new one
    (cocity/core/versions.py, ``kept``)."""

    pytestmark = postgres_only

    # ``override_settings`` inside the test, not the ``settings`` fixture: the fixture would
    # restore, after ``mirror`` has ended, the settings it saw while the router was on.
    def test_an_anonymous_page_the_cache_keeps_is_rendered_from_the_primary(self, mirror, torino):
        with override_settings(PAGE_CACHE_SECONDS=60):
            response, primary, replica_reads = _queries(Client(), "get", "/torino/pacts/")

        assert response["X-Page-Cache"] == "miss"
        assert any("pacts_pact" in sql for sql in primary)
        # Only the city of the URL, for the cache's key, may come from the replica.
        assert all("municipalities_municipality" in sql for sql in replica_reads)

    def test_a_signed_in_page_reads_its_kept_parts_from_the_primary(
        self, signed_in, pact_factory, cast
    ):
        pact = pact_factory(cast=cast, status="consultation")
        with override_settings(FRAGMENT_CACHE_SECONDS=600):
            response, primary, replica_reads = _queries(
                signed_in, "get", f"/torino/pacts/{pact.number}/"
            )

        assert response.status_code == 200
        assert any("pacts_pactevent" in sql for sql in primary), "the history: the primary"
        assert not any("pacts_pactevent" in sql for sql in replica_reads)
        assert any("accounts_user" in sql for sql in replica_reads), "her session: the replica"


@pytest.mark.usefixtures("mirror")
class TestOutsideRequests:
    pytestmark = postgres_only

    def test_code_outside_a_request_reads_from_the_primary(self):
        assert router.db_for_read(User) == "default"
        assert User.objects.all().db == "default"

    def test_the_task_workers_claim_stays_on_one_connection(self):
        # db_worker wraps its select_for_update in transaction.atomic(using=tasks.db): with the
        # replica there, the claim would run outside any transaction and fail.
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.ready().db == "default"

    def test_reads_inside_a_transaction_stay_on_the_primary(self):
        state = replica._Request(pin=None)
        token = replica._current.set(state)
        try:
            assert router.db_for_read(User) == replica.REPLICA
            with transaction.atomic():
                assert router.db_for_read(User) == "default"
            with replica.primary():
                assert router.db_for_read(User) == "default"
            assert router.db_for_read(User) == replica.REPLICA
            assert router.db_for_write(User) == "default"
            assert router.db_for_read(User) == "default", "after a write, the primary"
        finally:
            replica._current.reset(token)

    def test_a_replica_that_does_not_answer_is_skipped(self, monkeypatch):
        connections[replica.REPLICA].close()
        connections[replica.REPLICA].settings_dict["PORT"] = "1"  # nothing listens there
        monkeypatch.setattr(replica, "_replica_down_until", 0.0)
        state = replica._Request(pin=None)
        token = replica._current.set(state)
        try:
            assert router.db_for_read(User) == "default"
            assert replica._replica_down_until > 0, "and the replica is left alone a while"
        finally:
            replica._current.reset(token)


def test_wal_positions_are_read_as_numbers():
    assert replica.lsn_parse("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert replica.lsn_parse(f"{(0x16 << 32) + 0xB374D848:x}") == (0x16 << 32) + 0xB374D848
    assert replica.lsn_parse("not a position") is None
    assert replica.lsn_parse(None) is None


def _settings(**env: str) -> dict[str, object]:
    """DATABASES, DATABASE_ROUTERS and MIDDLEWARE as the settings module builds them."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE", "COCITY_ENV"}
    }
    environment.update(env)
    code = (
        "import json; from cocity.config import settings as s; "
        "print(json.dumps({'databases': sorted(s.DATABASES), "
        "'replica': s.DATABASES.get('replica'), "
        "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'middleware': s.MIDDLEWARE}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_a_replica_nothing_is_routed():
    found = _settings(DATABASE_URL="postgres://u@127.0.0.1:5432/cocity")

    assert found["databases"] == ["default"]
    assert found["routers"] == []
    assert "cocity.core.replica.ReplicaMiddleware" not in found["middleware"]  # type: ignore[operator]


def test_the_replica_setting_adds_the_alias_the_router_and_the_middleware():
    found = _settings(
        DATABASE_URL="postgres://u@127.0.0.1:5441/cocity",
        DATABASE_REPLICA_URL="postgres://u@127.0.0.1:5442/cocity",
    )

    assert found["databases"] == ["default", "replica"]
    assert found["replica"]["PORT"] == 5442  # type: ignore[index]
    assert found["replica"]["TEST"] == {"MIRROR": "default"}  # type: ignore[index]
    assert found["routers"] == ["cocity.core.replica.ReplicaRouter"]
    middleware: list[str] = found["middleware"]  # type: ignore[assignment]
    assert middleware.index("cocity.core.replica.ReplicaMiddleware") + 1 == middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def test_the_replica_needs_postgresql():
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["DATABASE_REPLICA_URL"] = "postgres://u@127.0.0.1:5442/cocity"
    done = subprocess.run(
        [sys.executable, "-c", "import cocity.config.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL" in done.stderr
