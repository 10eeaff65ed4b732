"""A municipal officer sets up the second factor in a real browser and logs in with it
(docs/decisions/0010). axe runs on the set-up page and on the code page."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.accounts.factories import PASSWORD, staff
from tests.browser.support import assert_accessible, screenshot


def totp_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def log_in(page, user) -> None:
    page.goto(page.base_url + "/account/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)


@pytest.fixture
def officer(torino, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    return staff(municipality=torino)


def test_an_officer_sets_up_the_second_factor_and_logs_in_with_it(page, officer):
    log_in(page, officer)
    # Sent on from the profile: the password again, then the set-up.
    assert "/account/reauthenticate/" in page.url
    assert "autenticazione a due fattori" in page.content()
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    assert page.url.endswith("/account/2fa/totp/activate/")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()  # the QR code
    assert_accessible(page, "the second factor's set-up")
    screenshot(page, "mfa-activate")

    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page)
    assert "/account/2fa/recovery-codes/" in page.url
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == mfa_settings.RECOVERY_CODE_COUNT
    screenshot(page, "mfa-recovery-codes")

    page.goto(page.base_url + "/torino/office/")
    assert page.url.endswith("/torino/office/")

    page.context.clear_cookies()
    log_in(page, officer)
    assert page.url.endswith("/account/2fa/authenticate/")
    assert_accessible(page, "the code page")
    screenshot(page, "mfa-authenticate")
    page.locator("input[name=code]").fill(codes[0])  # a recovery code works once
    submit(page)
    assert page.url.endswith("/account/profile/")
