"""The limit on writes to the pages: per user (per IP address when anonymous), 429 with a page
in the site's layout and ``Retry-After``, and a refused write changes nothing. The cache that
counts is emptied around every test (tests/conftest.py)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from cocity.accounts.models import ApiToken, User
from tests.accounts.factories import PASSWORD, UserFactory, staff

TWO_A_MINUTE = override_settings(WRITE_RATE_LIMIT="2/m")


def create_token(client, name):
    return client.post("/torino/office/tokens/", {"name": name}, headers={"Accept-Language": "en"})


@pytest.mark.django_db
class TestWriteRateLimit:
    @TWO_A_MINUTE
    def test_over_the_limit_is_429_and_nothing_is_created(self, client, torino):
        client.force_login(staff(municipality=torino))
        assert create_token(client, "Uno").status_code == 200
        assert create_token(client, "Due").status_code == 200

        response = create_token(client, "Tre")

        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        page = response.content.decode()
        assert "You sent too many changes in a short time" in page
        assert f"try again in {response['Retry-After']} second" in page
        assert 'class="it-header-wrapper"' in page  # the site's layout
        assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["Due", "Uno"]

    @TWO_A_MINUTE
    def test_under_the_limit_writes_work(self, client, torino):
        client.force_login(staff(municipality=torino))

        response = create_token(client, "Uno")

        assert response.status_code == 200
        assert ApiToken.objects.filter(name="Uno").exists()

    @TWO_A_MINUTE
    def test_the_limit_is_per_user(self, client, torino):
        client.force_login(staff(municipality=torino))
        for name in ("Uno", "Due", "Tre"):
            create_token(client, name)

        client.force_login(staff(municipality=torino))
        response = create_token(client, "Quattro")

        assert response.status_code == 200
        assert ApiToken.objects.filter(name="Quattro").exists()

    @TWO_A_MINUTE
    def test_reads_do_not_count(self, client, torino):
        client.force_login(staff(municipality=torino))
        for _ in range(5):
            assert client.get("/torino/office/tokens/").status_code == 200

        assert create_token(client, "Uno").status_code == 200

    @TWO_A_MINUTE
    def test_anonymous_visitors_count_per_ip_address(self, client):
        def switch(ip):
            return client.post("/i18n/setlang/", {"language": "en"}, REMOTE_ADDR=ip)

        assert [switch("203.0.113.5").status_code for _ in range(3)] == [302, 302, 429]
        assert switch("203.0.113.6").status_code == 302

    @TWO_A_MINUTE
    def test_the_back_link_only_leads_back_to_the_site(self, client, torino):
        client.force_login(staff(municipality=torino))
        for name in ("Uno", "Due"):
            create_token(client, name)

        ours = client.post(
            "/torino/office/tokens/",
            {"name": "Tre"},
            headers={"Referer": "http://testserver/torino/office/tokens/"},
        )
        theirs = client.post(
            "/torino/office/tokens/", {"name": "Tre"}, headers={"Referer": "https://evil.example/"}
        )

        assert 'href="http://testserver/torino/office/tokens/"' in ours.content.decode()
        assert "evil.example" not in theirs.content.decode()

    @override_settings(WRITE_RATE_LIMIT="")
    def test_an_empty_setting_turns_the_limit_off(self, client, torino):
        client.force_login(staff(municipality=torino))

        codes = {create_token(client, f"Token {i}").status_code for i in range(5)}

        assert codes == {200}


@pytest.mark.django_db
class TestAccountEndpointsHaveTheirOwnLimits:
    """allauth limits logins, sign-ups and password resets itself (``ACCOUNT_RATE_LIMITS``);
    the write limit must not add a per-address count on top, or a help desk behind one NAT
    address locks its visitors out after a handful of logins (issue #11, finding 4)."""

    @override_settings(WRITE_RATE_LIMIT="5/m")
    def test_ten_visitors_log_in_from_one_address_within_a_minute(self):
        visitors = [UserFactory() for _ in range(10)]

        codes = [
            Client()
            .post(
                "/account/login/",
                {"login": visitor.email, "password": PASSWORD},
                REMOTE_ADDR="198.51.100.7",
            )
            .status_code
            for visitor in visitors
        ]

        assert codes == [302] * 10
        assert Session.objects.count() == 10

    @override_settings(WRITE_RATE_LIMIT="2/m")
    def test_sign_up_and_password_reset_are_not_counted_by_the_write_limit(self, client):
        user = UserFactory()
        for n in range(3):
            signup = client.post(
                "/account/signup/",
                {
                    "email": f"nuovo{n}@example.org",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "display_name": f"Nuovo {n}",
                },
                REMOTE_ADDR="198.51.100.7",
            )
            assert signup.status_code == 302
            client.logout()
        resets = [
            client.post(
                "/account/password/reset/", {"email": user.email}, REMOTE_ADDR="198.51.100.7"
            ).status_code
            for _ in range(3)
        ]

        assert resets == [302] * 3
        assert User.objects.filter(email__startswith="nuovo").count() == 3

    @override_settings(WRITE_RATE_LIMIT="2/m")
    def test_other_anonymous_writes_from_that_address_still_count(self, client):
        for _ in range(3):
            client.post("/account/login/", {"login": "x@example.org", "password": "no"})

        codes = [client.post("/i18n/setlang/", {"language": "en"}).status_code for _ in range(3)]

        assert codes == [302, 302, 429]
