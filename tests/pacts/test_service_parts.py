"""The parts of ``cocity.pacts.services`` that the stages share, each by its name: the effects
named by the rows of the table, the helpers of ``base``, the protocol numbers, the row check,
the actions offered, the daily conclusion, the register's imports and the bulk variant of the
national seed. Each is asked for what a person would see of it, through the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocity.commons.models import Commons
from cocity.core.bulk import assign_ids
from cocity.core.dates import add_months
from cocity.pacts import workflow
from cocity.pacts.models import Pact, PactEvent, ProtocolCounter, Status
from cocity.pacts.services import (
    actions_offered,
    base,
    bulk,
    effects,
    pact_assign_number,
    pact_import_new,
    pact_import_status,
    pact_transition,
    pacts_conclude_due,
    transitions,
)
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def effects_of(action: str) -> tuple:
    return workflow.TRANSITIONS[action].effects


class TestEffects:
    def test_open_consultation_gives_the_consultation_its_end(self, cast):
        assert effects.open_consultation in effects_of("publish")

        pact = PactFactory(cast=cast, status=Status.CONSULTATION)

        days = cast.municipality.consultation_days
        assert pact.consultation_ends_on == timezone.localdate() + dt.timedelta(days=days)

    def test_resume_clock_adds_the_time_the_office_waited_for_the_proponent(self, cast):
        assert effects.resume_clock in effects_of("resubmit")
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        asked = timezone.now() + DAY

        pact = pact_transition(
            actor=cast.office, pact=pact, action="request_info", note="Orari?", at=asked
        )
        pact = pact_transition(
            actor=pact.proponent, pact=pact, action="resubmit", at=asked + 3 * DAY
        )

        assert pact.status == Status.SUBMITTED
        assert pact.clock_paused == 3 * DAY

    def test_office_clock_starts_at_each_office_step_and_stops_after_them(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        later = timezone.now() + DAY
        transitions.office_clock(pact, workflow.TRANSITIONS["publish"], later)
        assert (pact.clock_started_at, pact.clock_paused) == (later, dt.timedelta(0))
        started = pact.clock_started_at
        # The proposal sent again: the office's clock goes on where it was.
        transitions.office_clock(pact, workflow.TRANSITIONS["resubmit"], later + DAY)
        assert pact.clock_started_at == started
        # Asked for information: the clock stands still, kept for the resubmission.
        transitions.office_clock(pact, workflow.TRANSITIONS["request_info"], later + DAY)
        assert pact.clock_started_at == started
        transitions.office_clock(pact, workflow.TRANSITIONS["reject"], later + 2 * DAY)
        assert (pact.clock_started_at, pact.clock_paused) == (None, None)

    def test_first_text_writes_the_articles_once(self, cast):
        assert effects.first_text in effects_of("admit")

        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        articles = list(pact.clauses.order_by("position"))
        effects.first_text(pact, timezone.now(), timezone.localdate())

        assert articles and pact.clauses.count() == len(articles)
        assert all(article.versions.get().number == 1 for article in articles)
        assert cast.commons.name in pact.clauses.get(key="object").text

    def test_term_dates_run_from_the_last_signature_for_the_duration(self, cast):
        assert effects.term_dates in effects_of("activate")

        pact = PactFactory(cast=cast, status=Status.ACTIVE, duration_months=18)

        assert pact.start_date == timezone.localdate()
        assert pact.end_date == add_months(pact.start_date, 18)

    def test_commons_taken_while_a_pact_runs_and_released_when_none_does(self, cast):
        assert effects.commons_taken in effects_of("activate")
        assert effects.commons_released in effects_of("terminate")
        commons = cast.commons
        first = PactFactory(cast=cast, status=Status.ACTIVE)
        second = PactFactory(cast=cast, status=Status.ACTIVE)

        def availability() -> str:
            return Commons.objects.get(pk=commons.pk).availability

        assert availability() == Commons.Availability.UNDER_PACT
        pact_transition(actor=cast.office, pact=first, action="terminate", note="Motivo")
        assert availability() == Commons.Availability.UNDER_PACT  # the second still runs
        pact_transition(actor=cast.office, pact=second, action="terminate", note="Motivo")
        assert availability() == Commons.Availability.OPEN


class TestBase:
    def test_now_or_is_the_moment_given_or_now(self):
        at = timezone.now() - 30 * DAY
        before = timezone.now()

        assert base.now_or(at) == at
        assert before <= base.now_or(None) <= timezone.now()

    def test_event_build_writes_nothing_until_recorded(self, pact):
        at = timezone.now()

        event = base.event_build(
            pact, action="observation", actor_id=pact.proponent_id, at=at, note="Bello"
        )

        assert event.pk is None and not PactEvent.objects.filter(action="observation").exists()
        assert (event.pact, event.actor_id, event.at, event.note, event.data) == (
            pact,
            pact.proponent_id,
            at,
            "Bello",
            {},
        )

    def test_require_lets_the_permitted_and_the_platform_through(self, cast, pact_factory):
        pact = pact_factory(cast=cast, status=Status.SUBMITTED)

        base.require(cast.office, "pacts.act_as_office", pact, "No")
        base.require(None, "pacts.act_as_office", pact, "No")
        with pytest.raises(PermissionDenied, match="Solo l'ufficio"):
            base.require(UserFactory(), "pacts.act_as_office", pact, "Solo l'ufficio")


class TestNumbers:
    def test_each_city_counts_its_own_numbers_by_year(self, torino, reggio):
        this_year = timezone.now()
        last_year = this_year - 366 * DAY
        numbers = []
        for municipality, at in [
            (torino, this_year),
            (torino, this_year),
            (reggio, this_year),
            (torino, last_year),
        ]:
            pact = Pact(municipality=municipality)
            pact_assign_number(pact, at)
            numbers.append(pact.number)

        year, before = this_year.year, last_year.year
        assert numbers == [
            f"TO-{year}-0001",
            f"TO-{year}-0002",
            f"RE-{year}-0001",
            f"TO-{before}-0001",
        ]
        assert not Pact.objects.exists()  # numbered, not saved
        assert ProtocolCounter.objects.get(municipality=torino, year=year).last == 2


class TestTransitions:
    def test_check_row_refuses_a_status_or_a_person_the_row_does_not_allow(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        publish = workflow.TRANSITIONS["publish"]

        transitions.check_row(publish, cast.office, pact, pact, None)
        with pytest.raises(PermissionDenied):
            transitions.check_row(publish, pact.proponent, pact, pact, None)
        with pytest.raises(ValidationError, match="non è possibile|not possible"):
            transitions.check_row(workflow.TRANSITIONS["resume"], cast.office, pact, pact, 1)

        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_actions_offered_to_each_person(self, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)

        office = {offer.action: offer.reason for offer in actions_offered(cast.office, pact)}
        proponent = [offer.action for offer in actions_offered(pact.proponent, pact)]

        assert set(office) == {"close_consultation"}
        assert pact.consultation_ends_on.strftime("%d/%m/%Y") in office["close_consultation"]
        assert proponent == ["withdraw"]
        assert actions_offered(UserFactory(), pact) == []

    def test_pacts_conclude_due_concludes_only_active_pacts_past_their_end(self, cast):
        due = PactFactory(cast=cast, status=Status.ACTIVE)
        running = PactFactory(cast=cast, status=Status.ACTIVE)
        suspended = PactFactory(cast=cast, status=Status.SUSPENDED)
        yesterday = timezone.localdate() - DAY
        Pact.objects.filter(pk__in=[due.pk, suspended.pk]).update(end_date=yesterday)

        assert pacts_conclude_due() == [due.number]

        statuses = dict(Pact.objects.values_list("pk", "status"))
        assert statuses[due.pk] == Status.CONCLUDED
        assert (statuses[running.pk], statuses[suspended.pk]) == (Status.ACTIVE, Status.SUSPENDED)
        assert due.events.filter(action="conclude", actor=None).exists()
        assert pacts_conclude_due() == []  # the next day's run finds nothing more


class TestImports:
    def _new(self, cast, **kwargs) -> Pact:
        pact = Pact(
            municipality=cast.municipality,
            title="Orto del registro",
            category=cast.category,
            commons=cast.commons,
            proponent=UserFactory(),
        )
        submitted = timezone.make_aware(dt.datetime(2023, 3, 1, 12))
        return pact_import_new(
            pact,
            status=kwargs.pop("status", Status.ACTIVE),
            actor=cast.office,
            now=timezone.now(),
            submitted=submitted,
            note="Dal registro",
            data={"row": 7},
            **kwargs,
        )

    def test_a_new_pact_of_the_register_keeps_its_status_and_its_years_number(self, cast):
        pact = self._new(cast)

        pact.refresh_from_db()
        assert (pact.status, pact.number) == (Status.ACTIVE, "TO-2023-0001")
        event = pact.events.get()
        assert (event.action, event.to_status, event.note, event.data) == (
            "import",
            Status.ACTIVE,
            "Dal registro",
            {"row": 7},
        )

    def test_a_check_holds_no_number(self, cast):
        pact = self._new(cast, numbered=False)

        assert pact.number == ""
        assert not ProtocolCounter.objects.exists()

    def test_the_registers_new_status_is_written_with_its_event(self, cast):
        pact = self._new(cast)
        version = Pact.objects.get(pk=pact.pk).version

        pact_import_status(
            pact,
            status=Status.CONCLUDED,
            actor=cast.office,
            now=timezone.now(),
            note="Concluso nel registro",
            data={"row": 7},
        )

        stored = Pact.objects.get(pk=pact.pk)
        assert (stored.status, stored.version) == (Status.CONCLUDED, version + 1)
        event = stored.events.latest("at", "id")
        assert (event.from_status, event.to_status) == (Status.ACTIVE, Status.CONCLUDED)


class TestBulk:
    def _lived(self, cast, proponent, target: str, start: dt.datetime) -> tuple[Pact, list]:
        pact = Pact(
            municipality=cast.municipality,
            number="TO-2020-0001",
            title="Orto del passato",
            category=cast.category,
            commons=cast.commons,
            objectives="Un orto",
            activities="Semina",
            duration_months=12,
            proponent=proponent,
            created_at=start,
        )
        assign_ids(Pact, [pact])  # the keys first, as the national seed gives them
        steps = []
        for n, action in enumerate(workflow.path(target), start=1):
            actor = None if action == "activate" else cast.actor_for(pact, action)
            steps.append(bulk.Lived(action, start + n * DAY, actor.pk if actor else None))
        return pact, steps

    def test_a_past_lived_in_bulk_is_what_the_transitions_would_have_written(self, cast):
        proponent = UserFactory()
        start = timezone.now() - 400 * DAY
        pact, steps = self._lived(cast, proponent, Status.ACTIVE, start)

        events = bulk.pact_lived(pact, steps)
        bulk.pacts_write([pact])
        bulk.events_write(events)

        stored = Pact.objects.get(pk=pact.pk)
        assert (stored.status, stored.version) == (Status.ACTIVE, 1 + len(steps))
        assert stored.submitted_at == steps[0].at
        assert stored.start_date == timezone.localtime(steps[-1].at).date()
        assert stored.end_date == add_months(stored.start_date, 12)
        assert [e.action for e in stored.events.order_by("at", "id")] == [
            "create",
            *workflow.path(Status.ACTIVE),
        ]
        assert stored.events.get(action="submit").actor == proponent

    def test_a_step_the_table_does_not_allow_is_refused(self, cast):
        pact, _steps = self._lived(cast, UserFactory(), Status.SUBMITTED, timezone.now())

        with pytest.raises(ValueError, match="publish"):  # a draft is submitted first
            bulk.pact_lived(pact, [bulk.Lived("publish", timezone.now(), cast.office.pk)])

        assert not Pact.objects.exists()
