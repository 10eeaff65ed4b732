"""allauth's throttling of logins, sign-ups and password resets (``ACCOUNT_RATE_LIMITS``)
answers 429 with a page in the site's layout. Found by the wapiti scan (docs/security.md): the
URLconf had no ``handler429``, so allauth rendered the project's ``429.html``, which is the write
limit's page and needs the seconds to wait: every throttled login answered 500."""

import pytest
from django.test import Client, override_settings

from tests.accounts.factories import PASSWORD, UserFactory

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


@pytest.mark.django_db
@override_settings(WRITE_RATE_LIMIT="5/m")
def test_logins_at_one_address_are_not_counted_by_the_write_limit():
    """Issue #11, finding 4: ten visitors of a help desk behind one NAT log in within a
    minute. The write limit (docs/decisions/0006) leaves allauth's account pages to allauth's
    own limits (docs/decisions/0010), so none of them gets its 429."""
    visitors = [UserFactory() for _ in range(10)]

    for visitor in visitors:
        client = Client(REMOTE_ADDR="93.41.10.7")
        response = client.post("/account/login/", {"login": visitor.email, "password": PASSWORD})

        assert response.status_code == 302, f"{visitor.email}: {response.status_code}"
        assert client.session["_auth_user_id"] == str(visitor.pk)
