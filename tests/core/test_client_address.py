"""Whose address a request counts against, for the write limit, the API's anonymous read limit
and allauth's login, sign-up and reset limits: ``REMOTE_ADDR`` unless a proxy is configured
(``TRUSTED_PROXY_COUNT`` or ``CLIENT_IP_HEADER``), and never whatever a client writes in a header
of its own (issue #11, finding 3)."""

import pytest
from django.test import override_settings

from cocity.accounts.models import ApiToken
from tests.accounts.factories import staff

TWO_WRITES = override_settings(WRITE_RATE_LIMIT="2/m")
PROXY = "10.0.0.2"


def switch_language(client, **headers):
    return client.post(
        "/i18n/setlang/", {"language": "en"}, REMOTE_ADDR=PROXY, headers=headers
    ).status_code


def log_in(client, **headers):
    return client.post(
        "/account/login/",
        {"login": "nobody@example.org", "password": "not-the-password"},
        REMOTE_ADDR=PROXY,
        headers=headers,
    ).status_code


@pytest.mark.django_db
class TestWithoutAProxy:
    @TWO_WRITES
    def test_a_forwarded_for_header_sent_by_the_client_is_ignored(self, client):
        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.1"}) == 302
        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.2"}) == 302

        refused = switch_language(client, **{"X-Forwarded-For": "203.0.113.3"})

        assert refused == 429

    @TWO_WRITES
    def test_a_real_ip_header_sent_by_the_client_is_ignored(self, client):
        for n in range(2):
            switch_language(client, **{"X-Real-IP": f"203.0.113.{n}"})

        assert switch_language(client, **{"X-Real-IP": "203.0.113.9"}) == 429

    @override_settings(API_RATE_LIMIT=2)
    def test_the_api_read_limit_ignores_it_too(self, client, torino):
        codes = [
            client.get(
                "/api/v1/torino/commons",
                REMOTE_ADDR=PROXY,
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(3)
        ]

        assert codes == [200, 200, 429]

    @override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
    def test_the_login_limit_ignores_it_too(self, client):
        codes = [log_in(client, **{"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(3)]

        assert codes == [200, 200, 429]


@pytest.mark.django_db
class TestBehindOneProxy:
    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1

    @TWO_WRITES
    def test_each_client_behind_the_proxy_has_its_own_count(self, client):
        for _ in range(2):
            assert switch_language(client, **{"X-Forwarded-For": "203.0.113.5"}) == 302
        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.5"}) == 429

        other = switch_language(client, **{"X-Forwarded-For": "203.0.113.6"})

        assert other == 302

    @TWO_WRITES
    def test_a_client_cannot_spoof_another_address_by_prepending_one(self, client):
        # The proxy appends the address it saw to whatever the client sent.
        for n in range(2):
            switch_language(client, **{"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.5"})

        refused = switch_language(client, **{"X-Forwarded-For": "198.51.100.9, 203.0.113.5"})

        assert refused == 429

    @TWO_WRITES
    def test_a_request_that_bypassed_the_proxy_counts_against_its_own_address(self, client):
        for _ in range(2):
            switch_language(client)

        assert switch_language(client) == 429
        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.5"}) == 302

    @TWO_WRITES
    def test_a_malformed_header_counts_against_the_proxy_and_answers_normally(self, client):
        codes = [
            switch_language(client, **{"X-Forwarded-For": value})
            for value in ("not-an-address", "", " , ")
        ]

        assert codes == [302, 302, 429]

    @override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
    def test_the_login_limit_counts_each_client(self, client):
        for _ in range(2):
            log_in(client, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.5"})

        assert log_in(client, **{"X-Forwarded-For": "198.51.100.2, 203.0.113.5"}) == 429
        assert log_in(client, **{"X-Forwarded-For": "203.0.113.6"}) == 200

    @override_settings(API_RATE_LIMIT=2)
    def test_the_api_read_limit_counts_each_client(self, client, torino):
        def read(forwarded):
            return client.get(
                "/api/v1/torino/commons", REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded}
            ).status_code

        assert [read("9.9.9.9, 203.0.113.5") for _ in range(3)] == [200, 200, 429]
        assert read("203.0.113.6") == 200

    @override_settings(TRUSTED_PROXY_COUNT=2, WRITE_RATE_LIMIT="2/m")
    def test_with_two_proxies_the_second_address_from_the_right_is_the_client(self, client):
        for n in range(2):
            switch_language(client, **{"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.5, 10.0.0.1"})

        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.5, 10.0.0.1"}) == 429
        assert switch_language(client, **{"X-Forwarded-For": "203.0.113.6, 10.0.0.1"}) == 302


@pytest.mark.django_db
class TestBehindAProxyThatSetsAHeader:
    @pytest.fixture(autouse=True)
    def _real_ip_header(self, settings):
        settings.CLIENT_IP_HEADER = "X-Real-IP"

    @TWO_WRITES
    def test_the_configured_header_is_the_client(self, client):
        for _ in range(2):
            switch_language(client, **{"X-Real-IP": "203.0.113.5"})

        assert switch_language(client, **{"X-Real-IP": "203.0.113.5"}) == 429
        assert switch_language(client, **{"X-Real-IP": "203.0.113.6"}) == 302

    @TWO_WRITES
    def test_forwarded_for_is_then_ignored(self, client):
        for n in range(3):
            codes = switch_language(
                client, **{"X-Real-IP": "203.0.113.5", "X-Forwarded-For": f"198.51.100.{n}"}
            )

        assert codes == 429

    @override_settings(WRITE_RATE_LIMIT="1/m")
    def test_logged_in_users_still_count_per_user(self, client, torino):
        client.force_login(staff(municipality=torino))
        client.post("/torino/office/tokens/", {"name": "Uno"}, headers={"X-Real-IP": "203.0.113.5"})

        response = client.post(
            "/torino/office/tokens/", {"name": "Due"}, headers={"X-Real-IP": "203.0.113.6"}
        )

        assert response.status_code == 429
        assert list(ApiToken.objects.values_list("name", flat=True)) == ["Uno"]
