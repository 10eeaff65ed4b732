"""All mail, allauth's included, goes through the task queue after commit; a mail server that
is down delays the message and never fails a page (issue #11, finding 13: without SMTP,
sign-up in production answered 500 because allauth sent its mail inside the request)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cocity.accounts.models import User
from cocity.notifications.services import email_message_send_on_commit, email_send_on_commit
from cocity.notifications.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SEND_EMAIL = "cocity.notifications.tasks.send_email"
# Nothing listens on port 1: connecting is refused at once, as with a mail server that is down.
MAIL_SERVER_DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "use_tls": False, "timeout": 2},
    }
}
MAIL_SERVER_UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def sign_up(client, email="nuova@example.org"):
    return client.post(
        "/account/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Anna Verdi",
        },
    )


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def make_due(result: DBTaskResult) -> None:
    """The clock moves on to the task's time (its ``run_after``)."""
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())


@pytest.fixture
def sent_tasks():
    """The paths of the tasks that ran, as the task framework reports them."""
    paths: list[str] = []

    def record(sender, task_result, **kwargs):
        paths.append(task_result.task.module_path)

    task_finished.connect(record)
    yield paths
    task_finished.disconnect(record)


class TestWithTheDatabaseQueue:
    """Production: the request queues the message; ``manage.py db_worker`` sends it."""

    @pytest.fixture(autouse=True)
    def _queue(self, settings):
        settings.TASKS = DATABASE_QUEUE
        settings.MAILERS = MAIL_SERVER_DOWN

    def test_sign_up_answers_its_page_and_the_mail_waits_in_the_queue(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client)

        assert response.status_code == 302
        assert User.objects.filter(email="nuova@example.org").exists()
        queued = DBTaskResult.objects.get()
        assert queued.task_path == SEND_EMAIL and queued.status == "READY"
        assert queued.args_kwargs["kwargs"]["to"] == ["nuova@example.org"]
        assert not mail.outbox

    # The worker closes and reopens its connection, as it does between tasks: real commits.
    @pytest.mark.django_db(transaction=True)
    def test_a_later_worker_run_sends_it_once_the_server_is_back(self, client, settings, caplog):
        sign_up(client)
        with caplog.at_level(logging.WARNING, logger="cocity.notifications"):
            run_worker()  # the server is still down: tried again later
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
        wait = (retry.run_after - timezone.now()).total_seconds()
        assert RETRY_DELAYS[0] - 10 < wait <= RETRY_DELAYS[0]
        assert "trying again" in caplog.text
        assert not mail.outbox

        settings.MAILERS = MAIL_SERVER_UP
        run_worker()  # not yet due: nothing is sent
        assert not mail.outbox
        make_due(retry)
        run_worker()

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["nuova@example.org"]
        assert message.subject.startswith("[Co-City] ")
        assert re.search(r"/account/confirm-email/\S+", message.body)
        assert not DBTaskResult.objects.filter(status="READY").exists()

    @pytest.mark.django_db(transaction=True)
    def test_the_tries_are_bounded(self, client, caplog):
        sign_up(client)

        with caplog.at_level(logging.WARNING, logger="cocity.notifications"):
            for _ in range(MAX_ATTEMPTS + 2):
                for due in DBTaskResult.objects.filter(status="READY"):
                    make_due(due)
                run_worker()

        assert DBTaskResult.objects.count() == MAX_ATTEMPTS
        assert not DBTaskResult.objects.filter(status="READY").exists()
        assert "dropped" in caplog.text
        assert not mail.outbox

    def test_password_reset_answers_its_page(self, client, django_capture_on_commit_callbacks):
        user = UserFactory()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/password/reset/", {"email": user.email})

        assert response.status_code == 302
        assert DBTaskResult.objects.get().args_kwargs["kwargs"]["to"] == [user.email]


class TestWithTheImmediateBackend:
    """Development and tests: the task runs at once, after the commit."""

    def test_allauths_verification_mail_reaches_the_outbox_through_the_task(
        self, client, django_capture_on_commit_callbacks, sent_tasks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = sign_up(client)
            assert not mail.outbox  # nothing is sent before the commit

        assert response.status_code == 302
        assert callbacks
        assert sent_tasks == [SEND_EMAIL]
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["nuova@example.org"]
        assert "/account/confirm-email/" in mail.outbox[0].body

    def test_a_mail_server_that_is_down_fails_no_page(
        self, client, settings, django_capture_on_commit_callbacks, caplog
    ):
        settings.MAILERS = MAIL_SERVER_DOWN

        with (
            caplog.at_level(logging.ERROR, logger="cocity.notifications"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = sign_up(client)

        assert response.status_code == 302
        assert User.objects.filter(email="nuova@example.org").exists()
        assert "not sent" in caplog.text
        assert not mail.outbox

    def test_an_html_alternative_is_kept(self, django_capture_on_commit_callbacks):
        message = EmailMultiAlternatives(
            "Oggetto", "Testo", "Co-City <noreply@cocity.example>", ["a@example.org"]
        )
        message.attach_alternative("<p>Testo</p>", "text/html")

        with django_capture_on_commit_callbacks(execute=True):
            email_message_send_on_commit(message=message)

        sent = mail.outbox[0]
        assert (sent.subject, sent.body, sent.from_email, sent.to) == (
            "Oggetto",
            "Testo",
            "Co-City <noreply@cocity.example>",
            ["a@example.org"],
        )
        assert [(a.content, a.mimetype) for a in sent.alternatives] == [
            ("<p>Testo</p>", "text/html")
        ]

    def test_a_rolled_back_action_sends_nothing(self, client):
        # The test's own transaction never commits: the on-commit callbacks never run.
        response = sign_up(client)

        assert response.status_code == 302
        assert not mail.outbox


def test_the_retry_delays_leave_the_links_valid(settings):
    """Verification and reset links stay valid three days; the last try is well before."""
    assert sum(RETRY_DELAYS) < timedelta(days=1).total_seconds()


class TestRenderedMessages:
    """``email_send_on_commit``: a message from the site's templates, in the recipient's
    language, queued once the write that sends it is committed."""

    def _invite(self, organisation, language=None):
        email_send_on_commit(
            to="socia@example.org",
            template="accounts/email/invitation",
            context={"organisation": organisation, "actor": organisation.created_by, "path": "/x/"},
            language=language,
        )

    def test_sent_after_the_commit_in_the_language_asked(
        self, organisation, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as waiting:
            self._invite(organisation, language="en")
            assert not mail.outbox  # not before the commit
        for callback in waiting:
            callback()

        (sent,) = mail.outbox
        assert sent.to == ["socia@example.org"]
        assert sent.subject == f"Invitation to join {organisation.name} on Co-City"
        assert "/x/" in sent.body and "&" not in sent.subject
        assert [a.mimetype for a in sent.alternatives] == ["text/html"]

    def test_in_the_current_language_by_default(
        self, organisation, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            self._invite(organisation)

        assert mail.outbox[0].subject == f"Invito a unirsi a {organisation.name} su Co-City"

    def test_nothing_is_sent_when_the_write_is_rolled_back(
        self, organisation, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            self._invite(organisation)
            raise RuntimeError("the write failed")

        assert not mail.outbox
