"""The office's import services (``cocity.opendata.services``) and its selectors: each
service asks ``commons.manage`` in the run's city, refuses having changed nothing, and
announces nothing of its own (the worker's pacts announce themselves)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from cocity.core import changes
from cocity.opendata import importer, selectors, services
from cocity.opendata.models import ImportRun
from cocity.pacts.models import Pact
from tests.accounts.factories import UserFactory, staff

DATA = Path(__file__).parent / "data"
MAPPING = importer.mapping_parse((DATA / "mappatura.toml").read_text(encoding="utf-8"))
REGISTER = (DATA / "registro_errori.csv").read_bytes()


def upload(actor, municipality) -> ImportRun:
    return services.import_run_upload(
        actor=actor,
        municipality=municipality,
        file_name="registro_errori.csv",
        data=REGISTER,
        mapping=MAPPING,
        source=importer.read_source(REGISTER, MAPPING),
    )


def checked(actor, municipality, capture) -> ImportRun:
    """An upload the worker has checked: waiting for its uploader's confirmation."""
    with capture(execute=True):
        run = upload(actor, municipality)
    run.refresh_from_db()
    assert run.state == ImportRun.State.PREVIEW
    return run


def snapshot() -> list[tuple]:
    return list(
        ImportRun.objects.order_by("pk").values_list(
            "pk", "state", "rows_done", "heartbeat_at", "error", "created_by"
        )
    )


def announced(callbacks) -> list[changes.Change]:
    return [c.change for c in callbacks if isinstance(c, changes._Delivery)]


@pytest.fixture
def office(torino):
    return staff(municipality=torino, role="office")


@pytest.mark.django_db
class TestImportRunUpload:
    def test_the_office_starts_a_run_that_the_worker_checks_after_commit(
        self, torino, office, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            run = upload(office, torino)

        assert run.state == ImportRun.State.CHECKING
        assert run.created_by == office and run.municipality == torino
        assert run.rows_total == 6 and bytes(run.source) == REGISTER
        assert len(callbacks) == 1  # the worker's task, and no announcement
        assert not announced(callbacks)

    def test_the_platform_admin_may_start_one_too(self, torino):
        assert upload(UserFactory(is_platform_admin=True), torino).state == "checking"

    @pytest.mark.parametrize("who", ["citizen", "turin_manager", "reggio_office"])
    def test_anyone_else_is_refused_and_nothing_changes(self, torino, reggio, office, who):
        earlier = upload(office, torino)
        actor = {
            "citizen": lambda: UserFactory(),
            "turin_manager": lambda: staff(municipality=torino, role="manager"),
            "reggio_office": lambda: staff(municipality=reggio, role="office"),
        }[who]()
        before = snapshot()

        with pytest.raises(PermissionDenied, match="Torino"):
            upload(actor, torino)

        assert snapshot() == before
        assert ImportRun.objects.get() == earlier


@pytest.mark.django_db
class TestImportRunConfirm:
    def test_the_uploader_confirms_and_the_worker_imports(
        self, torino, office, django_capture_on_commit_callbacks
    ):
        run = checked(office, torino, django_capture_on_commit_callbacks)

        with django_capture_on_commit_callbacks() as callbacks:
            confirmed = services.import_run_confirm(actor=office, run=run)

        assert confirmed.state == ImportRun.State.QUEUED
        assert not announced(callbacks)  # the worker's pacts announce themselves
        for callback in callbacks:
            callback()
        run.refresh_from_db()
        assert run.state == ImportRun.State.DONE and Pact.objects.count() == 2

    def test_a_colleague_may_not_confirm_someone_elses_upload(
        self, torino, office, django_capture_on_commit_callbacks
    ):
        run = checked(office, torino, django_capture_on_commit_callbacks)
        before = snapshot()

        with pytest.raises(ValidationError):
            services.import_run_confirm(actor=staff(municipality=torino, role="office"), run=run)

        assert snapshot() == before

    @pytest.mark.parametrize("who", ["citizen", "reggio_office"])
    def test_without_the_permission_nothing_changes(
        self, torino, reggio, office, who, django_capture_on_commit_callbacks
    ):
        run = checked(office, torino, django_capture_on_commit_callbacks)
        actor = UserFactory() if who == "citizen" else staff(municipality=reggio, role="office")
        before = snapshot()

        with pytest.raises(PermissionDenied):
            services.import_run_confirm(actor=actor, run=run)

        assert snapshot() == before and not Pact.objects.exists()


@pytest.mark.django_db
class TestImportRunResume:
    def stalled(self, torino, office, capture) -> ImportRun:
        run = checked(office, torino, capture)
        services.import_run_confirm(actor=office, run=run)  # queued; no worker runs
        ImportRun.objects.update(heartbeat_at=F("heartbeat_at") - dt.timedelta(minutes=10))
        run.refresh_from_db()
        assert run.stalled
        return run

    def test_a_colleague_resumes_a_stalled_run(
        self, torino, office, django_capture_on_commit_callbacks
    ):
        run = self.stalled(torino, office, django_capture_on_commit_callbacks)
        colleague = staff(municipality=torino, role="office")

        with django_capture_on_commit_callbacks() as callbacks:
            resumed = services.import_run_resume(actor=colleague, run=run)

        assert not resumed.stalled
        assert len(callbacks) == 1 and not announced(callbacks)

    def test_a_run_still_making_progress_is_not_resumed(
        self, torino, office, django_capture_on_commit_callbacks
    ):
        run = checked(office, torino, django_capture_on_commit_callbacks)
        services.import_run_confirm(actor=office, run=run)
        before = snapshot()

        with pytest.raises(ValidationError):
            services.import_run_resume(actor=office, run=run)

        assert snapshot() == before

    @pytest.mark.parametrize("who", ["citizen", "reggio_office"])
    def test_without_the_permission_nothing_changes(
        self, torino, reggio, office, who, django_capture_on_commit_callbacks
    ):
        run = self.stalled(torino, office, django_capture_on_commit_callbacks)
        actor = UserFactory() if who == "citizen" else staff(municipality=reggio, role="office")
        before = snapshot()

        with pytest.raises(PermissionDenied):
            services.import_run_resume(actor=actor, run=run)

        assert snapshot() == before


@pytest.mark.django_db
class TestSelectors:
    def test_the_list_shows_the_citys_confirmed_runs_newest_first(
        self, torino, reggio, office, django_capture_on_commit_callbacks, django_assert_num_queries
    ):
        done = checked(office, torino, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_run_confirm(actor=office, run=done)
        waiting = upload(office, torino)  # not confirmed: its uploader's alone
        elsewhere = upload(staff(municipality=reggio, role="office"), reggio)

        with django_assert_num_queries(1):
            listed = list(selectors.import_run_list(municipality=torino))
            assert [run.created_by for run in listed] == [office]

        assert [run.pk for run in listed] == [done.pk]
        assert waiting not in listed and elsewhere not in listed

    def test_the_list_keeps_the_latest_ten(self, torino):
        ImportRun.objects.bulk_create(
            ImportRun(municipality=torino, state=ImportRun.State.DONE) for _ in range(12)
        )

        listed = list(selectors.import_run_list(municipality=torino))

        assert len(listed) == selectors.RECENT_RUNS == 10
        assert listed == list(ImportRun.objects.order_by("-created_at", "-id")[:10])

    def test_one_run_only_in_its_own_city(self, torino, reggio, office):
        run = upload(office, torino)

        assert selectors.import_run_detail(municipality=torino, pk=run.pk) == run
        with pytest.raises(ImportRun.DoesNotExist):
            selectors.import_run_detail(municipality=reggio, pk=run.pk)
        with pytest.raises(ImportRun.DoesNotExist):
            selectors.import_run_detail(municipality=torino, pk=run.pk + 1)


@pytest.mark.django_db
def test_a_run_of_another_city_is_a_404_on_the_office_page(client, torino, reggio, office):
    run = upload(office, torino)
    client.force_login(staff(municipality=reggio, role="office"))

    assert client.get(f"/reggio-emilia/office/import/{run.pk}/").status_code == 404
    assert client.post(f"/reggio-emilia/office/import/{run.pk}/confirm/").status_code == 404
