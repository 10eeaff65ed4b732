"""Password reset answers the same for every address (issue #11, finding 4): whether an
address has an account is told only to its mailbox, never on the page. Sign-up still says
plainly when an address is taken (docs/decisions/0002)."""

import re

import pytest

from cocity.accounts.models import User
from tests.accounts.factories import UserFactory

TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def ask_reset(client, email):
    return client.post(
        "/account/password/reset/", {"email": email}, headers={"Accept-Language": "en"}
    )


def page_text(response) -> str:
    """The page without what changes on every request (CSRF token, CSP nonce)."""
    return TOKENS.sub("", response.content.decode())


@pytest.mark.django_db
class TestPasswordReset:
    def test_known_and_unknown_addresses_get_the_same_answer(self, client):
        UserFactory(email="anna@example.org")

        known = ask_reset(client, "anna@example.org")
        unknown = ask_reset(client, "nessuno@example.org")

        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert known.content == unknown.content
        assert page_text(client.get(known["Location"])) == page_text(
            client.get(unknown["Location"])
        )

    def test_an_unknown_address_is_not_called_unknown(self, client):
        response = ask_reset(client, "nessuno@example.org")

        assert response.status_code == 302
        followed = client.get(response["Location"], headers={"Accept-Language": "en"})
        assert "not assigned to any user account" not in followed.content.decode()
        assert not User.objects.filter(email="nessuno@example.org").exists()

    def test_the_known_address_gets_a_reset_link_the_unknown_one_a_note(
        self, client, mailoutbox, django_capture_on_commit_callbacks
    ):
        UserFactory(email="anna@example.org")

        with django_capture_on_commit_callbacks(execute=True):  # mail leaves after commit
            ask_reset(client, "anna@example.org")
            ask_reset(client, "nessuno@example.org")

        to_anna, to_nobody = mailoutbox
        assert to_anna.to == ["anna@example.org"]
        assert "/account/password/reset/key/" in to_anna.body
        assert to_nobody.to == ["nessuno@example.org"]
        assert "/account/password/reset/key/" not in to_nobody.body
        assert "/account/signup/" in to_nobody.body

    def test_a_malformed_address_is_still_refused_on_the_form(self, client, mailoutbox):
        response = ask_reset(client, "not an address")

        assert response.status_code == 200
        assert "valid email address" in response.content.decode()
        assert mailoutbox == []
