import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cocity.municipalities.services import municipality_update_settings
from cocity.pacts import selectors, services
from cocity.pacts.models import Pact, PactEvent, Party, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.documents import p7m_bytes
from tests.pacts.factories import PactFactory


@pytest.mark.django_db
class TestProposal:
    def test_submission_gives_a_protocol_number_in_sequence(self, cast):
        first = PactFactory(cast=cast, status=Status.SUBMITTED)
        second = PactFactory(cast=cast, status=Status.SUBMITTED)
        year = timezone.localdate().year

        assert first.number == f"TO-{year}-0001"
        assert second.number == f"TO-{year}-0002"

    def test_duration_beyond_the_maximum_is_refused(self, cast):
        pact = PactFactory(cast=cast)
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            services.pact_update_draft(actor=pact.proponent, pact=pact, duration_months=37)

        assert exc.value.message_dict["duration_months"] == [
            "In Torino a pact of this kind lasts at most 36 months."
        ]
        pact.refresh_from_db()
        assert pact.duration_months == 12

    def test_an_incomplete_proposal_cannot_be_submitted(self, cast):
        pact = services.pact_create_draft(
            actor=UserFactory(), municipality=cast.municipality, title="Solo il titolo"
        )
        with pytest.raises(ValidationError):
            services.pact_transition(actor=pact.proponent, pact=pact, action="submit")
        pact.refresh_from_db()
        assert (pact.status, pact.number) == (Status.DRAFT, "")

    def test_a_draft_is_private(self, cast, client):
        pact = PactFactory(cast=cast)
        assert client.get(f"/torino/pacts/drafts/{pact.pk}/").status_code == 302  # login
        client.force_login(UserFactory())
        assert client.get(f"/torino/pacts/drafts/{pact.pk}/").status_code == 404
        assert not selectors.pact_registry(municipality=cast.municipality).exists()

    def test_a_reason_is_required_to_ask_for_information(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        with pytest.raises(ValidationError):
            services.pact_transition(actor=cast.office, pact=pact, action="request_info")
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED


@pytest.mark.django_db
class TestDeadlines:
    def _deadline(self, cast, pact):
        return next(
            p.deadline
            for p in selectors.office_worklist(municipality=cast.municipality)
            if p.pk == pact.pk
        )

    def test_deadline_follows_the_settings(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        before = self._deadline(cast, pact)

        cast.municipality = municipality_update_settings(
            municipality=cast.municipality, completeness_check_days=40
        )

        assert self._deadline(cast, pact) - before == dt.timedelta(days=10)

    def test_the_clock_stops_while_incomplete(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        start = timezone.now()
        before = self._deadline(cast, pact)
        pact = services.pact_transition(
            actor=cast.office,
            pact=pact,
            action="request_info",
            note="Manca la planimetria",
            at=start,
        )
        services.pact_transition(
            actor=pact.proponent, pact=pact, action="resubmit", at=start + dt.timedelta(days=9)
        )

        assert self._deadline(cast, pact) - before == pytest.approx(
            dt.timedelta(days=9), abs=dt.timedelta(seconds=5)
        )

    def test_overdue_pacts_come_first(self, cast):
        recent = PactFactory(cast=cast, status=Status.SUBMITTED)
        old = PactFactory(cast=cast, status=Status.SUBMITTED)
        Pact.objects.filter(pk=old.pk).update(
            clock_started_at=timezone.now() - dt.timedelta(days=45)
        )

        worklist = selectors.office_worklist(municipality=cast.municipality)

        assert [p.pk for p in worklist][:2] == [old.pk, recent.pk]
        assert worklist[0].overdue and not worklist[1].overdue


@pytest.mark.django_db
class TestConsultation:
    def test_observations_adhesions_and_moderation(self, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        citizen = UserFactory()
        observation = services.observation_add(actor=citizen, pact=pact, text="Ottima idea")
        adhesion = services.adhesion_request(actor=citizen, pact=pact, offer="Due ore a settimana")

        with pytest.raises(PermissionDenied):
            services.observation_hide(actor=citizen, observation=observation, reason="x")
        services.observation_hide(
            actor=cast.office, observation=observation, reason="Dati personali"
        )
        services.adhesion_decide(actor=cast.office, adhesion=adhesion, accept=True)

        observation.refresh_from_db()
        assert observation.hidden_reason == "Dati personali"
        assert pact.parties.filter(role=Party.Role.ADHERENT, user=citizen).exists()

    def test_no_observation_outside_the_consultation(self, cast):
        pact = PactFactory(cast=cast, status=Status.EVALUATION)
        with pytest.raises(ValidationError):
            services.observation_add(actor=UserFactory(), pact=pact, text="Tardi")
        assert not pact.observations.exists()

    def test_consultation_cannot_close_early(self, cast):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION)
        with pytest.raises(ValidationError):
            services.pact_transition(actor=cast.office, pact=pact, action="close_consultation")
        assert Pact.objects.get(pk=pact.pk).status == Status.CONSULTATION

    def test_department_answers_an_opinion(self, cast):
        pact = PactFactory(cast=cast, status=Status.EVALUATION)
        opinion = services.opinion_request(
            actor=cast.office, pact=pact, department="Verde pubblico", question="Parere?"
        )
        services.opinion_answer(
            actor=cast.department, opinion=opinion, answer="Favorevole", favourable=True
        )
        opinion.refresh_from_db()
        assert opinion.favourable and opinion.answered_by == cast.department


@pytest.mark.django_db
class TestCoDesignAndSignature:
    def test_clause_versions_and_stale_edit(self, cast):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        clause = pact.clauses.get(key="object")
        services.clause_edit(
            actor=pact.proponent, clause=clause, text="Nuovo testo", expected_version=1
        )

        with pytest.raises(ValidationError):
            services.clause_edit(
                actor=cast.office, clause=clause, text="Altro testo", expected_version=1
            )
        clause.refresh_from_db()
        assert (clause.version, clause.text) == (2, "Nuovo testo")
        assert list(clause.versions.values_list("number", flat=True)) == [2, 1]

    def test_signing_with_a_wrong_password_is_refused(self, cast):
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        with pytest.raises(ValidationError):
            services.pact_sign(actor=pact.proponent, party=party, password="sbagliata")
        party.refresh_from_db()
        assert party.signed_at is None

    def test_someone_else_cannot_sign_for_a_party(self, cast):
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        with pytest.raises(PermissionDenied):
            services.pact_sign(actor=UserFactory(), party=party, password=PASSWORD)

    @pytest.mark.parametrize(
        "name, content",
        [
            ("pact.pdf", b"GIF89a not a pdf"),
            ("pact.exe", b"%PDF-1.7"),
            ("pact.p7m", b"hello"),
        ],
    )
    def test_signed_upload_must_be_pdf_or_p7m(self, cast, name, content, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        party = pact.parties.get(role=Party.Role.PROPONENT)
        with pytest.raises(ValidationError):
            services.pact_sign(
                actor=pact.proponent, party=party, signed_file=SimpleUploadedFile(name, content)
            )
        party.refresh_from_db()
        assert party.signed_at is None

    def test_last_signature_activates_with_dates_and_hash(self, cast, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        proponent_party = pact.parties.get(role=Party.Role.PROPONENT)
        pact = services.pact_sign(
            actor=pact.proponent,
            party=proponent_party,
            signed_file=SimpleUploadedFile("firmato.p7m", p7m_bytes()),
        )
        assert pact.status == Status.AWAITING_SIGNATURE
        pact = cast.sign_all(pact)

        assert pact.status == Status.ACTIVE
        assert pact.start_date == timezone.localdate()
        assert pact.end_date == services.add_months(pact.start_date, 12)
        assert re.fullmatch(r"[0-9a-f]{64}", pact.signed_text_hash)
        assert set(pact.parties.values_list("signed_text_hash", flat=True)) == {
            pact.signed_text_hash
        }


@pytest.mark.django_db
class TestLifeAfterSignature:
    def test_daily_command_concludes_due_pacts(self, cast):
        from django.core.management import call_command

        due = PactFactory(cast=cast, status=Status.ACTIVE)
        running = PactFactory(cast=cast, status=Status.ACTIVE)
        Pact.objects.filter(pk=due.pk).update(end_date=timezone.localdate() - dt.timedelta(1))

        call_command("conclude_pacts")

        assert Pact.objects.get(pk=due.pk).status == Status.CONCLUDED
        assert Pact.objects.get(pk=running.pk).status == Status.ACTIVE

    def test_renewal_opens_a_linked_pact_in_co_design(self, cast):
        old = PactFactory(cast=cast, status=Status.CONCLUDED)
        new = services.pact_renew(actor=cast.office, pact=old)

        assert new.status == Status.CO_DESIGN and new.renewal_of == old
        assert new.number != old.number
        assert new.clauses.count() == old.clauses.count()
        assert PactEvent.objects.filter(pact=old, action="renewed").exists()

    def test_stale_form_gets_the_changed_message(self, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        seen = pact.version
        services.pact_transition(actor=cast.office, pact=pact, action="publish")

        with translation.override("en"), pytest.raises(ValidationError) as exc:
            services.pact_transition(
                actor=cast.office, pact=pact, action="request_info", note="x", expected_version=seen
            )

        assert "changed" in exc.value.messages[0] and "reload" in exc.value.messages[0]
        assert Pact.objects.get(pk=pact.pk).status == Status.CONSULTATION

    def test_mail_goes_only_after_commit(self, cast, django_capture_on_commit_callbacks):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.pact_transition(actor=cast.office, pact=pact, action="publish")
        assert len(mail.outbox) == 1 and pact.number in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_commons_is_under_a_pact_while_one_runs(cast):
    pact = PactFactory(cast=cast, status=Status.ACTIVE)
    cast.commons.refresh_from_db()
    assert cast.commons.availability == "under_pact"

    services.pact_transition(actor=cast.office, pact=pact, action="terminate", note="Rinuncia")

    cast.commons.refresh_from_db()
    assert cast.commons.availability == "open"
