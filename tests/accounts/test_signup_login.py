import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from cocity.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory


def _signup(client, email="nuova@example.org", password=PASSWORD, password2=None, **extra):
    return client.post(
        "/account/signup/",
        {
            "email": email,
            "password1": password,
            "password2": password2 or password,
            "display_name": "Anna Verdi",
            **extra,
        },
    )


@pytest.mark.django_db
class TestSignup:
    def test_signup_sends_a_verification_mail_and_login_needs_it(
        self, client, django_capture_on_commit_callbacks
    ):
        # allauth's mail leaves after the commit, through the task queue (accounts/adapter.py).
        with django_capture_on_commit_callbacks(execute=True):
            response = _signup(client)

        assert response.status_code == 302
        user = User.objects.get(email="nuova@example.org")
        assert user.display_name == "Anna Verdi"
        assert not EmailAddress.objects.get(user=user).verified
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/\s]+(/account/confirm-email/\S+)", mail.outbox[0].body)
        assert link

        # Before verifying, logging in sends the user to the verification notice.
        client.logout()
        response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
        assert "/account/confirm-email/" in response["Location"]

        client.post(link.group(1))
        assert EmailAddress.objects.get(user=user).verified
        response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/account/profile/").status_code == 200

    def test_duplicate_email_is_refused_in_italian(self, client):
        UserFactory(email="doppia@example.org")

        response = _signup(client, email="doppia@example.org")

        assert response.status_code == 200
        assert "già" in response.content.decode()  # "già registrato/usato"
        assert User.objects.filter(email="doppia@example.org").count() == 1

    def test_mismatched_passwords_are_refused(self, client):
        response = _signup(client, password2="something-else-entirely-42")

        assert response.status_code == 200
        assert not User.objects.filter(email="nuova@example.org").exists()

    def test_duplicate_email_is_refused_in_english(self, client):
        UserFactory(email="doppia@example.org")

        response = client.post(
            "/account/signup/",
            {
                "email": "doppia@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "X",
            },
            headers={"accept-language": "en"},
        )

        assert "already" in response.content.decode()


@pytest.mark.django_db
class TestLogin:
    def test_wrong_password_says_so_and_logs_nobody_in(self, client):
        user = UserFactory()

        response = client.post("/account/login/", {"login": user.email, "password": "wrong"})

        assert response.status_code == 200
        assert (
            "non sono corretti" in response.content.decode()
            or "corrett" in response.content.decode()
        )
        assert "_auth_user_id" not in client.session

    def test_login_and_logout(self, client):
        user = UserFactory()

        response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

        client.post("/account/logout/")
        assert "_auth_user_id" not in client.session

    def test_password_reset_sends_a_mail(self, client, django_capture_on_commit_callbacks):
        user = UserFactory()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/password/reset/", {"email": user.email})

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert user.email in mail.outbox[0].to


@pytest.mark.django_db
class TestProfile:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/account/profile/")
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")

    def test_edit_display_name(self, client):
        user = UserFactory()
        client.force_login(user)

        response = client.post(
            "/account/profile/", {"display_name": "Nome Nuovo", "show_name_publicly": "on"}
        )

        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.show_name_publicly) == ("Nome Nuovo", True)

    def test_empty_display_name_is_refused(self, client):
        user = UserFactory(display_name="Prima")
        client.force_login(user)

        response = client.post("/account/profile/", {"display_name": "  "})

        assert response.status_code == 200
        user.refresh_from_db()
        assert user.display_name == "Prima"
