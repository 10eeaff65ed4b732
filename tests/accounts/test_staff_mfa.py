"""Staff sign in with a second factor (issue #11, finding 2; docs/decisions/0010).

With ``MFA_REQUIRED_FOR_STAFF`` on (the production default), anyone with a staff role or
Django admin access who has no authenticator app is sent to set one up before any other page;
once set up, every login asks for its code (or a recovery code). Citizens are never asked."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import checks

from cocity.accounts.models import StaffRole
from tests.accounts.factories import PASSWORD, UserFactory, staff

ACTIVATE = "/account/2fa/totp/activate/"
AUTHENTICATE = "/account/2fa/authenticate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def log_in(client, user, **extra):
    return client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}, follow=True, **extra
    )


def totp_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(client) -> str:
    """Activates an authenticator app for the logged-in user; returns its secret. allauth
    asks for the password again first, as before every change to the second factor."""
    page = client.get(ACTIVATE, follow=True)
    assert page.redirect_chain[-1][0].startswith("/account/reauthenticate/")
    client.post(page.redirect_chain[-1][0], {"password": PASSWORD})
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
class TestStaffWithoutSecondFactor:
    def test_login_sends_staff_to_set_up_an_authenticator_app(self, client, torino, required):
        officer = staff(municipality=torino)

        response = log_in(client, officer, headers={"Accept-Language": "en"})

        assert response.redirect_chain[-1][0] == "/account/reauthenticate/?" + urlencode(
            {"next": ACTIVATE}
        )
        assert "Your role requires two-factor authentication" in response.content.decode()
        response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == ACTIVATE
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="code"' in page
        assert "data:image/svg+xml;base64," in page  # the QR code
        assert "Co-City" in response.context["totp_url"]  # the issuer the app shows

    @pytest.mark.parametrize("role", [StaffRole.Role.OFFICE, StaffRole.Role.MANAGER])
    def test_staff_cannot_open_the_office(self, client, torino, required, role):
        officer = staff(municipality=torino, role=role)
        log_in(client, officer)

        response = client.get("/torino/office/")

        assert response.status_code == 302
        assert response["Location"] == ACTIVATE
        assert client.get("/torino/office/pacts/")["Location"] == ACTIVATE

    def test_staff_cannot_act_on_pact_pages_either(self, client, torino, required):
        officer = staff(municipality=torino, role=StaffRole.Role.MANAGER)
        log_in(client, officer)

        response = client.post("/torino/pacts/PC-0001/actions/approve/")

        assert response.status_code == 302
        assert response["Location"] == ACTIVATE

    def test_a_platform_admin_cannot_open_the_admin(self, client, required):
        admin = UserFactory(is_platform_admin=True)
        log_in(client, admin)

        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"] == ACTIVATE

    def test_a_citizen_is_never_asked(self, client, torino, required):
        citizen = UserFactory()

        response = log_in(client, citizen)

        assert response.redirect_chain[-1][0] == "/account/profile/"
        assert response.status_code == 200
        assert client.get("/torino/").status_code == 200
        assert not Authenticator.objects.filter(user=citizen).exists()

    def test_without_the_setting_staff_are_not_asked(self, client, torino, settings):
        settings.MFA_REQUIRED_FOR_STAFF = False
        officer = staff(municipality=torino)
        log_in(client, officer)

        assert client.get("/torino/office/").status_code == 200


@pytest.mark.django_db
class TestStaffWithSecondFactor:
    @pytest.fixture
    def officer(self, client, torino, required):
        """An officer who has set up an authenticator app, logged out again."""
        officer = staff(municipality=torino)
        log_in(client, officer)
        officer.totp_secret = activate_totp(client)
        client.post("/account/logout/")
        return officer

    def test_activating_gives_recovery_codes_and_opens_the_office(self, client, torino, required):
        officer = staff(municipality=torino)
        log_in(client, officer)

        activate_totp(client)

        types = set(Authenticator.objects.filter(user=officer).values_list("type", flat=True))
        assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
        assert client.get("/torino/office/").status_code == 200

    def test_login_asks_for_the_code(self, client, officer):
        response = log_in(client, officer)

        assert response.redirect_chain[-1][0] == AUTHENTICATE
        assert not logged_in_as(client, officer)
        assert client.get("/torino/office/")["Location"].startswith("/account/login/")

    def test_a_wrong_code_is_refused(self, client, officer):
        log_in(client, officer)
        wrong = f"{(int(totp_code(officer.totp_secret)) + 1) % 1_000_000:06d}"

        response = client.post(AUTHENTICATE, {"code": wrong}, headers={"Accept-Language": "en"})

        assert response.status_code == 200
        assert "Incorrect code" in response.content.decode()
        assert not logged_in_as(client, officer)

    def test_the_right_code_lets_in(self, client, officer):
        log_in(client, officer)

        response = client.post(AUTHENTICATE, {"code": totp_code(officer.totp_secret)})

        assert response.status_code == 302
        assert logged_in_as(client, officer)
        assert client.get("/torino/office/").status_code == 200

    def test_a_recovery_code_lets_in_once(self, client, officer):
        codes = RecoveryCodes(
            Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
        )
        code = codes.get_unused_codes()[0]
        log_in(client, officer)

        response = client.post(AUTHENTICATE, {"code": code})

        assert response.status_code == 302
        assert logged_in_as(client, officer)
        client.post("/account/logout/")
        log_in(client, officer)
        assert client.post(AUTHENTICATE, {"code": code}).status_code == 200
        assert not logged_in_as(client, officer)

    def test_staff_cannot_switch_the_second_factor_off(self, client, officer):
        log_in(client, officer)
        client.post(AUTHENTICATE, {"code": totp_code(officer.totp_secret)})

        client.post("/account/2fa/totp/deactivate/", {})

        assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()


def deploy_warnings(settings, required: bool) -> list[str]:
    settings.MFA_REQUIRED_FOR_STAFF = required
    return [
        message.id
        for message in checks.run_checks(include_deployment_checks=True)
        if message.id and message.id.startswith("cocity.")
    ]


@pytest.mark.django_db  # the model checks ask the database what it supports
def test_check_deploy_warns_when_staff_need_no_second_factor(settings):
    assert "cocity.accounts.W001" in deploy_warnings(settings, required=False)


@pytest.mark.django_db
def test_check_deploy_is_quiet_when_staff_need_a_second_factor(settings):
    assert "cocity.accounts.W001" not in deploy_warnings(settings, required=True)
