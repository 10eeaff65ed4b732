"""allauth's throttling of logins, sign-ups and password resets (``ACCOUNT_RATE_LIMITS``)
answers 429 with a page in the site's layout. Found by the wapiti scan (docs/security.md): the
URLconf had no ``handler429``, so allauth rendered the project's ``429.html``, which is the write
limit's page and needs the seconds to wait: every throttled login answered 500."""

import pytest
from django.test import override_settings

ONE_LOGIN_A_MINUTE = override_settings(ACCOUNT_RATE_LIMITS={"login": "1/m/ip"})


def log_in(client):
    return client.post(
        "/account/login/",
        {"login": "nobody@example.org", "password": "not-the-password"},
        headers={"Accept-Language": "en"},
    )


@pytest.mark.django_db
@ONE_LOGIN_A_MINUTE
def test_a_throttled_login_is_429_with_a_page(client):
    assert log_in(client).status_code == 200  # the form again, with its error

    response = log_in(client)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert 'class="it-header-wrapper"' in page  # the site's layout


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_a_throttled_signup_is_429(client):
    form = {"email": "someone@example.org", "password1": "x", "password2": "y"}
    client.post("/account/signup/", form)

    assert client.post("/account/signup/", form).status_code == 429
