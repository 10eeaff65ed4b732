"""An import of any size the office page allows runs as a background task: the upload and the
confirmation answer at once, the run's page shows its progress and refreshes itself without
JavaScript, and the worker applies the register in batches, each in its own transaction with
its progress. A worker that dies leaves the import resumable from its last batch, never
half-applied; resuming ends with exactly the register's pacts, each once."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from cocity.opendata import importer
from cocity.opendata.models import ImportedPact, ImportRun
from cocity.pacts.models import Pact, PactEvent
from tests.accounts.factories import staff
from tests.opendata.support import HEADER, MAPPING, upload_register

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def register(rows: int) -> str:
    lines = [
        f"B-{n};Patto {n};Firmato;Comitato {n % 7};Comitato;Via Numero {n};;"
        f"{45.05 + (n % 40) * 0.0005:.5f};{7.65 + (n // 40) * 0.0005:.5f};01/02/2024"
        for n in range(1, rows + 1)
    ]
    return "\n".join([HEADER, *lines]) + "\n"


def confirmed(client, torino, rows: int) -> ImportRun:
    """The office uploads a register of ``rows`` rows, the worker checks it, the office
    confirms the import (not yet run)."""
    client.force_login(staff(municipality=torino, role="office"))
    upload_register(client, register(rows))
    worker()
    run = ImportRun.objects.get()
    client.post(f"/torino/office/import/{run.pk}/confirm/")
    return run


def worker() -> None:
    """The database worker as production runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def page(client, run: ImportRun) -> str:
    response = client.get(f"/torino/office/import/{run.pk}/")
    assert response.status_code == 200
    return response.content.decode()


REFRESH = 'http-equiv="refresh"'


def progress(html: str) -> tuple[int, int]:
    """The (value, max) of the page's progress bar."""
    match = re.search(r'<progress id="import-progress-bar" value="(\d+)" max="(\d+)"', html)
    assert match, "no progress bar"
    return int(match.group(1)), int(match.group(2))


def source_ids() -> list[str]:
    return sorted(ImportedPact.objects.values_list("source_id", flat=True))


class KilledWorker(BaseException):
    """What a killed worker leaves: a transaction never committed, no error recorded."""


def kill_at_row(monkeypatch, row: int) -> None:
    original = importer._Importer.write
    calls = {"n": 0}

    def write(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == row:
            raise KilledWorker
        return original(self, *args, **kwargs)

    monkeypatch.setattr(importer._Importer, "write", write)


def minutes_pass(minutes: int) -> None:
    ImportRun.objects.update(heartbeat_at=F("heartbeat_at") - dt.timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_checks_then_imports_and_the_page_shows_the_progress(client, torino):
    client.force_login(staff(municipality=torino, role="office"))
    total = 2 * importer.BATCH_ROWS + 10

    response = upload_register(client, register(total))

    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.CHECKING and run.rows_total == total
    assert DBTaskResult.objects.ready().count() == 1  # the check waits for the worker
    html = page(client, run)
    assert REFRESH in html
    assert progress(html) == (0, total)

    worker()

    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEW
    assert run.report["counts"] == {"created": total, "updated": 0, "unchanged": 0, "rejected": 0}
    assert not Pact.objects.exists()
    html = page(client, run)
    assert REFRESH not in html and "/confirm/" in html

    confirmed = client.post(f"/torino/office/import/{run.pk}/confirm/")

    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/torino/office/import/{run.pk}/"
    run.refresh_from_db()
    assert run.state == ImportRun.State.QUEUED
    assert not Pact.objects.exists()  # the confirmation only queues the import
    html = page(client, run)
    assert REFRESH in html and "/confirm/" not in html
    assert progress(html) == (0, total)

    worker()

    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.rows_done == total
    assert run.report["counts"] == {"created": total, "updated": 0, "unchanged": 0, "rejected": 0}
    assert bytes(run.source) == b""
    assert Pact.objects.count() == total
    html = page(client, run)
    assert REFRESH not in html
    assert Pact.objects.order_by("pk").first().number in html


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_killed_worker_leaves_the_import_resumable_and_resuming_imports_each_row_once(
    client, torino, monkeypatch
):
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    run = confirmed(client, torino, rows=8)
    kill_at_row(monkeypatch, 5)  # in the middle of the second batch

    worker()

    run.refresh_from_db()
    assert run.state == ImportRun.State.RUNNING
    assert run.rows_done == 3  # the first batch, whole; nothing of the second
    assert source_ids() == ["B-1", "B-2", "B-3"]
    assert Pact.objects.count() == 3
    html = page(client, run)
    assert progress(html) == (3, 8)
    assert "/resume/" not in html  # it may still be running: not offered yet

    minutes_pass(10)
    html = page(client, run)
    assert "/resume/" in html and REFRESH not in html
    monkeypatch.undo()
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)

    resumed = client.post(f"/torino/office/import/{run.pk}/resume/")

    assert resumed.status_code == 302
    worker()
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.rows_done == 8
    assert source_ids() == sorted(f"B-{n}" for n in range(1, 9))
    assert Pact.objects.count() == 8
    assert PactEvent.objects.filter(action="import").count() == 8
    assert run.report["counts"] == {"created": 8, "updated": 0, "unchanged": 0, "rejected": 0}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_two_tasks_for_the_same_import_import_each_row_once(client, torino, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    run = confirmed(client, torino, rows=8)
    minutes_pass(10)  # the queue is slow: the office resumes while the first task waits
    client.post(f"/torino/office/import/{run.pk}/resume/")
    assert DBTaskResult.objects.ready().count() == 2

    worker()

    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    assert Pact.objects.count() == 8
    assert run.report["counts"] == {"created": 8, "updated": 0, "unchanged": 0, "rejected": 0}


@pytest.mark.django_db
def test_an_error_in_a_batch_stops_the_import_which_can_be_resumed_at_once(
    client, torino, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    client.force_login(staff(municipality=torino, role="office"))
    with django_capture_on_commit_callbacks(execute=True):
        upload_register(client, register(8))
    run = ImportRun.objects.get()
    original = importer._Importer.write

    def broken(self, row, *args, **kwargs):
        if row.source_id == "B-5":
            raise RuntimeError("the database went away")
        return original(self, row, *args, **kwargs)

    monkeypatch.setattr(importer._Importer, "write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/torino/office/import/{run.pk}/confirm/")

    run.refresh_from_db()
    assert run.state == ImportRun.State.RUNNING and run.rows_done == 3
    assert run.error
    assert source_ids() == ["B-1", "B-2", "B-3"]
    html = page(client, run)
    assert "/resume/" in html and REFRESH not in html

    monkeypatch.setattr(importer._Importer, "write", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/torino/office/import/{run.pk}/resume/")

    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and not run.error
    assert source_ids() == sorted(f"B-{n}" for n in range(1, 9))


@pytest.mark.django_db
def test_a_running_import_is_not_resumed_twice(client, torino, django_capture_on_commit_callbacks):
    client.force_login(staff(municipality=torino, role="office"))
    with django_capture_on_commit_callbacks(execute=True):
        upload_register(client, register(3))
    run = ImportRun.objects.get()
    with override_settings(TASKS=DB_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/torino/office/import/{run.pk}/confirm/")

        response = client.post(f"/torino/office/import/{run.pk}/resume/", follow=True)

        assert DBTaskResult.objects.ready().count() == 1
    assert "è ancora in corso" in response.content.decode()


@pytest.mark.django_db
def test_only_one_import_at_a_time_in_a_city(
    client, torino, tmp_path, django_capture_on_commit_callbacks
):
    first, second = (staff(municipality=torino, role="office") for _ in range(2))
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        upload_register(client, register(3))
    running = ImportRun.objects.get()
    # No worker runs: the first import stays queued.
    with override_settings(TASKS=DB_TASKS), django_capture_on_commit_callbacks(execute=True):
        client.post(f"/torino/office/import/{running.pk}/confirm/")
    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        upload_register(client, register(4))
    waiting = ImportRun.objects.exclude(pk=running.pk).get()

    response = client.post(f"/torino/office/import/{waiting.pk}/confirm/", follow=True)

    assert "Un'altra importazione di Torino è in corso" in unescape(response.content.decode())
    waiting.refresh_from_db()
    assert waiting.state == ImportRun.State.PREVIEW
    assert not Pact.objects.exists()
    register_file = tmp_path / "registro.csv"
    register_file.write_text(register(2), encoding="utf-8")
    with pytest.raises(CommandError, match="Another import of Torino is under way"):
        call_command(
            "import_pacts",
            str(register_file),
            "--city",
            "torino",
            "--mapping",
            str(MAPPING),
            stdout=io.StringIO(),
        )
    assert not Pact.objects.exists()


@pytest.mark.django_db
def test_the_upload_request_does_the_same_work_for_any_size(
    client, torino, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(staff(municipality=torino, role="office"))

    with (
        override_settings(TASKS=DB_TASKS),
        django_assert_max_num_queries(20),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = upload_register(client, register(5000))

    assert response.status_code == 302
    assert ImportRun.objects.get().rows_total == 5000
    assert DBTaskResult.objects.ready().count() == 1
    assert not Pact.objects.exists()


@pytest.mark.django_db
def test_a_register_beyond_the_limit_is_refused_on_the_page(client, torino):
    client.force_login(staff(municipality=torino, role="office"))

    response = upload_register(client, register(importer.MAX_ROWS + 1))

    assert response.status_code == 400
    assert f"al massimo {importer.MAX_ROWS:,}".replace(",", ".") in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_in_batches_and_resumes_after_a_kill(torino, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    path = tmp_path / "registro.csv"
    path.write_text(register(8), encoding="utf-8")
    args = [str(path), "--city", "torino", "--mapping", str(MAPPING)]
    kill_at_row(monkeypatch, 5)

    with pytest.raises(KilledWorker):
        call_command("import_pacts", *args, stdout=io.StringIO(), stderr=io.StringIO())

    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.RUNNING and run.rows_done == 3
    assert source_ids() == ["B-1", "B-2", "B-3"]
    monkeypatch.undo()
    monkeypatch.setattr(importer, "BATCH_ROWS", 3)
    out = io.StringIO()

    call_command("import_pacts", "--resume", str(run.pk), stdout=out, stderr=io.StringIO())

    assert out.getvalue().splitlines()[0] == (
        "registro.csv: 8 created, 0 updated, 0 unchanged, 0 rejected."
    )
    assert source_ids() == sorted(f"B-{n}" for n in range(1, 9))
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
