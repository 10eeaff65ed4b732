"""The pact's PDF is made once per text and served from storage (issue #11, finding 1): a
visitor's request never pays for WeasyPrint again, a change of what the PDF shows (an article,
a signature, the status in its header) makes a new file, a stale file is never served, the
copy with every name stays in the private storage, and two renderings of the same file never
run at once. docs/decisions/0013."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import weasyprint
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from cocity.pacts import documents, services
from cocity.pacts.models import Pact, Status
from cocity.pacts.tasks import pact_pdf_render
from tests.accounts.factories import UserFactory
from tests.pacts.factories import PactFactory


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """How many times WeasyPrint wrote a PDF."""
    calls: list[int] = []
    original = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


def get_pdf(client, pact: Pact):
    """The answer, with its streamed body read once into ``pdf``."""
    response = client.get(f"/torino/pacts/{pact.number}/pact.pdf")
    response.pdf = response.getvalue() if response.status_code == 200 else b""
    return response


def text_of(response) -> str:
    reader = PdfReader(io.BytesIO(response.pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.pdf") if p.is_file()) if root.exists() else []


@pytest.mark.django_db
class TestServedFromStorage:
    def test_the_second_request_is_the_stored_file_without_rendering(
        self, client, cast, media, renders
    ):
        pact = PactFactory(cast=cast, status=Status.ACTIVE)

        first = get_pdf(client, pact)
        second = get_pdf(client, pact)

        assert first.status_code == second.status_code == 200
        assert second["Content-Type"] == "application/pdf"
        assert f'filename="patto-{pact.number}.pdf"' in second["Content-Disposition"]
        assert len(renders) == 1
        [public_file] = stored(media / "media")
        assert second.pdf == first.pdf == public_file.read_bytes()

    def test_a_changed_article_makes_a_new_file_and_the_old_one_is_never_served(
        self, client, cast, media, renders
    ):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        before = get_pdf(client, pact)
        [old_file] = stored(media / "media")

        services.clause_edit(
            actor=cast.office,
            clause=pact.clauses.get(key="object"),
            text="Le parti curano insieme il giardino delle rose.",
        )
        after = get_pdf(client, pact)

        assert "giardino delle rose" not in text_of(before)
        assert "giardino delle rose" in text_of(after)
        assert len(renders) == 2
        [new_file] = stored(media / "media")
        assert new_file != old_file
        assert new_file.read_bytes() == after.pdf

    def test_a_change_of_status_makes_a_new_file(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        get_pdf(client, pact)
        [draft] = stored(media / "media")

        pact = services.pact_transition(actor=cast.manager, pact=pact, action="approve")
        response = get_pdf(client, pact)

        [approved] = stored(media / "media")
        assert approved != draft
        assert "in attesa della sottoscrizione" in text_of(response)

    def test_a_signature_makes_a_new_file(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.AWAITING_SIGNATURE)
        before = text_of(get_pdf(client, pact))

        pact = cast.sign_all(pact)
        after = text_of(get_pdf(client, pact))

        assert "BOZZA" in before and "BOZZA" not in after
        assert pact.signed_text_hash in after.replace(" ", "")


@pytest.mark.django_db
class TestPrivacy:
    def test_the_copy_with_every_name_is_in_the_private_storage(self, client, cast, media):
        proponent = UserFactory(display_name="Maria Rossi", show_name_publicly=False)
        pact = PactFactory(cast=cast, status=Status.ACTIVE, proponent=proponent)

        public = get_pdf(client, pact)
        client.force_login(proponent)
        private = get_pdf(client, pact)

        assert "Maria Rossi" not in text_of(public)
        assert "Maria Rossi" in text_of(private)
        [public_file] = stored(media / "media")
        [private_file] = stored(media / "private")
        assert public_file.read_bytes() == public.pdf
        assert private_file.read_bytes() == private.pdf
        assert private["Cache-Control"] == "private, no-store"

    def test_when_every_name_is_public_both_get_the_same_file(self, client, cast, media, renders):
        proponent = UserFactory(display_name="Maria Rossi", show_name_publicly=True)
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN, proponent=proponent)

        public = get_pdf(client, pact)
        client.force_login(proponent)
        party = get_pdf(client, pact)

        assert public.pdf == party.pdf
        assert len(renders) == 1
        assert not stored(media / "private")

    def test_a_proposal_without_text_still_has_no_pdf(self, client, cast, media):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)

        assert get_pdf(client, pact).status_code == 404
        assert not stored(media)


@pytest.mark.django_db
class TestRenderedByATask:
    @pytest.fixture
    def queue(self, settings):
        """A backend that keeps the tasks instead of running them (one that can defer, like
        the database queue of production)."""
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        backend = pact_pdf_render.get_backend()
        backend.clear()
        return backend

    def test_a_changed_article_queues_the_rendering_after_the_commit(
        self, client, cast, media, queue, renders, django_capture_on_commit_callbacks
    ):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        queue.clear()

        with django_capture_on_commit_callbacks(execute=True):
            services.clause_edit(
                actor=cast.office,
                clause=pact.clauses.get(key="object"),
                text="Le parti curano insieme il giardino delle rose.",
            )
        [result] = [r for r in queue.results if r.task.name == pact_pdf_render.name]
        assert result.kwargs == {"pact_id": pact.pk}
        assert result.task.run_after is not None  # a burst of changes is rendered once

        pact_pdf_render.call(**result.kwargs)
        rendered = len(renders)
        response = get_pdf(client, pact)

        assert rendered >= 1
        assert len(renders) == rendered  # the visitor got the stored file
        assert "giardino delle rose" in text_of(response)

    def test_nothing_is_queued_when_the_change_is_rolled_back(
        self, cast, media, queue, django_capture_on_commit_callbacks
    ):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        queue.clear()

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):
            services.clause_edit(actor=cast.office, clause=pact.clauses.first(), text="")

        assert not [r for r in queue.results if r.task.name == pact_pdf_render.name]


@pytest.mark.django_db
class TestOneRenderingAtATime:
    def test_while_the_file_is_being_made_a_visitor_is_asked_to_come_back(
        self, client, cast, media, renders
    ):
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        pdf = documents.pact_pdf_locate(pact, public=True)

        with documents.rendering(pdf) as mine:
            assert mine
            response = get_pdf(client, pact)

        assert response.status_code == 503
        assert response["Retry-After"]
        assert "in preparazione" in response.content.decode()
        assert not renders
        assert get_pdf(client, pact).status_code == 200
        assert len(renders) == 1


class TestThroughTheWorker:
    """Production: the database queue and ``manage.py db_worker``, with real commits (the
    worker closes and reopens its connection)."""

    @pytest.mark.django_db(transaction=True)
    def test_the_worker_stores_both_copies_and_the_visitor_renders_nothing(
        self, client, cast, media, settings, renders
    ):
        proponent = UserFactory(display_name="Maria Rossi", show_name_publicly=False)
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN, proponent=proponent)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

        services.clause_edit(
            actor=cast.office,
            clause=pact.clauses.get(key="object"),
            text="Le parti curano insieme il giardino delle rose.",
        )
        [queued] = DBTaskResult.objects.filter(task_path__endswith="pact_pdf_render")
        assert queued.run_after is not None
        DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())  # time passes
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        assert len(renders) == 2  # the public copy and the one with every name
        public = get_pdf(client, pact)
        client.force_login(proponent)
        private = get_pdf(client, pact)
        assert len(renders) == 2
        assert "giardino delle rose" in text_of(public)
        assert "Maria Rossi" in text_of(private) and "Maria Rossi" not in text_of(public)
