"""Mail as the person reads it (issue #13, item 3): plain text and an HTML part, no HTML
entities in either, the site's name, links to the address the site answers at, and words that
say what happened and what the reader should do next, in the formal register."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cocity.pacts import services
from cocity.pacts.models import Party, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.pacts.factories import PactFactory

pytestmark = pytest.mark.django_db

TITLE = 'Cura dell\'aiuola "Rosa" & dintorni'
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-z]+);")


def html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_readable(message) -> None:
    """No entity in the subject or the text; the HTML part says the same, escaped once."""
    assert not ENTITY.search(message.subject), message.subject
    assert not ENTITY.search(message.body), message.body
    html = html_part(message)
    assert "&amp;#x27;" not in html and "&amp;quot;" not in html
    for url in re.findall(r"https?://\S+", message.body):
        assert f'href="{url}"' in html


class TestSignUp:
    def test_the_verification_mail_names_the_site_and_is_formal(
        self, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/account/signup/",
                {
                    "email": "nuova@example.org",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "display_name": "Anna Verdi",
                },
                HTTP_HOST="127.0.0.1:8100",
            )

        [message] = mail.outbox
        assert message.subject.startswith("[Co-City] ")
        assert "127.0.0.1:8100!" not in message.body
        assert "Co-City" in message.body
        assert "Ciao" not in message.body and "Hai " not in message.body
        assert "http://127.0.0.1:8100/account/confirm-email/" in message.body
        assert_readable(message)


class TestPactMail:
    def test_a_title_with_quotes_and_apostrophes_reads_as_written(
        self, cast, django_capture_on_commit_callbacks
    ):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        pact.title = TITLE
        pact.save(update_fields=["title"])

        with django_capture_on_commit_callbacks(execute=True):
            services.pact_transition(actor=cast.office, pact=pact, action="publish")

        [message] = mail.outbox
        assert TITLE in message.body
        assert "Rosa" in message.subject
        assert_readable(message)

    def test_the_approval_tells_each_party_that_their_signature_is_expected(
        self, cast, django_capture_on_commit_callbacks
    ):
        co_signatory = UserFactory(email="marco@example.org")
        pact = PactFactory(cast=cast, status=Status.CO_DESIGN)
        Party.objects.create(pact=pact, role=Party.Role.CO_SIGNATORY, user=co_signatory)

        with django_capture_on_commit_callbacks(execute=True):
            services.pact_transition(actor=cast.manager, pact=pact, action="approve")

        by_recipient = {m.to[0]: m for m in mail.outbox}
        assert {pact.proponent.email, co_signatory.email} <= set(by_recipient)
        for email in (pact.proponent.email, co_signatory.email):
            message = by_recipient[email]
            assert "Approva il patto" not in message.subject + message.body  # a button's label
            assert "La Sua firma è attesa" in message.body
            party = pact.parties.get(user__email=email)
            assert f"/torino/pacts/{pact.number}/sign/{party.pk}/" in message.body
            assert_readable(message)

    def test_a_request_for_information_says_what_to_do(
        self, cast, django_capture_on_commit_callbacks
    ):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)

        with django_capture_on_commit_callbacks(execute=True):
            services.pact_transition(
                actor=cast.office, pact=pact, action="request_info", note="Manca la planimetria."
            )

        [message] = mail.outbox
        assert "Manca la planimetria." in message.body
        assert f"/torino/pacts/drafts/{pact.pk}/" in message.body
        assert "completare la proposta" in message.body


class TestLinks:
    def test_links_follow_the_address_the_site_answers_at(
        self, client, cast, settings, django_capture_on_commit_callbacks
    ):
        settings.SITE_URL = ""
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        client.force_login(cast.office)

        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/torino/office/pacts/{pact.number}/actions/publish/",
                {"version": pact.version},
                HTTP_HOST="127.0.0.1:8100",
            )

        [message] = mail.outbox
        assert f"http://127.0.0.1:8100/torino/pacts/{pact.number}/" in message.body

    def test_a_configured_site_url_wins(self, cast, settings, django_capture_on_commit_callbacks):
        settings.SITE_URL = "https://patti.comune.example"
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)

        with django_capture_on_commit_callbacks(execute=True):
            services.pact_transition(actor=cast.office, pact=pact, action="publish")

        assert f"https://patti.comune.example/torino/pacts/{pact.number}/" in mail.outbox[0].body
