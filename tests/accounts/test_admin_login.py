"""The admin has no login of its own (issue #11, finding 2): ``/admin/login/`` sends people to
the site's login, so that every limit of that login (docs/decisions/0010) applies, and a
password posted to the admin's old form logs nobody in."""

import pytest

from tests.accounts.factories import PASSWORD, UserFactory


@pytest.fixture
def platform_admin(db):
    return UserFactory(email="admin@example.org", is_platform_admin=True)


def log_in(client, email, password=PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


@pytest.mark.django_db
class TestAdminLogin:
    def test_a_password_posted_to_the_admin_login_logs_nobody_in(self, client, platform_admin):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": platform_admin.email, "password": PASSWORD, "next": "/admin/"},
        )

        assert "_auth_user_id" not in client.session
        assert response.status_code == 302
        assert response["Location"] == "/account/login/?next=/admin/"

    def test_many_wrong_passwords_to_the_admin_login_are_never_checked(
        self, client, platform_admin
    ):
        """The review's 175 guesses: none of them reaches a password check, so none can
        succeed, and the right password posted there does not log in either."""
        for attempt in range(20):
            client.post("/admin/login/", {"username": platform_admin.email, "password": attempt})

        client.post("/admin/login/", {"username": platform_admin.email, "password": PASSWORD})

        assert "_auth_user_id" not in client.session

    def test_the_admin_sends_anonymous_visitors_to_the_site_login(self, client):
        response = client.get("/admin/accounts/user/", follow=True)

        assert response.redirect_chain[-1][0] == "/account/login/?next=/admin/accounts/user/"
        assert response.status_code == 200
        assert 'name="login"' in response.content.decode()

    def test_the_admin_works_after_the_site_login_for_a_platform_admin(
        self, client, platform_admin
    ):
        response = client.post(
            "/account/login/?next=/admin/",
            {"login": platform_admin.email, "password": PASSWORD, "next": "/admin/"},
        )

        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/accounts/user/").status_code == 200

    def test_a_logged_in_citizen_is_refused_the_admin_without_a_redirect_loop(self, client):
        citizen = UserFactory()
        log_in(client, citizen.email)

        response = client.get("/admin/", follow=True)

        assert response.status_code == 403
        assert len(response.redirect_chain) <= 2
