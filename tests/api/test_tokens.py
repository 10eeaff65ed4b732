"""Staff tokens: created in the office area (shown once, stored hashed), revocable, scoped to
the municipality, acting through the same services and permissions as the pages."""

import hashlib
import re

import pytest

from cocity.accounts.models import ApiToken, StaffRole
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory, staff
from tests.pacts.factories import PactFactory


@pytest.mark.django_db
class TestTokens:
    def test_shown_once_and_stored_hashed(self, client, cast):
        client.force_login(cast.office)
        response = client.post("/torino/office/tokens/", {"name": "Sportello"})
        raw = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)

        stored = ApiToken.objects.get()
        assert (stored.name, stored.user) == ("Sportello", cast.office)
        assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in client.get("/torino/office/tokens/").content.decode()

    def test_citizens_cannot_create_tokens(self, client, cast):
        client.force_login(UserFactory())
        assert client.post("/torino/office/tokens/", {"name": "x"}).status_code == 403
        assert not ApiToken.objects.exists()

    def test_office_token_publishes_a_pact(self, client, cast, bearer):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "publish", "version": pact.version},
            content_type="application/json",
            headers=bearer(),
        )

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "consultation"
        assert pact.events.filter(action="publish", actor=cast.office).exists()

    def test_the_same_permissions_as_the_pages(self, client, cast, bearer):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "publish"},
            content_type="application/json",
            headers=bearer(cast.manager),
        )

        assert response.status_code == 403
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_stale_version_is_409(self, client, cast, bearer):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        headers = bearer()
        client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "publish", "version": pact.version},
            content_type="application/json",
            headers=headers,
        )

        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "request_info", "note": "x", "version": pact.version},
            content_type="application/json",
            headers=headers,
        )

        assert response.status_code == 409

    def test_no_token_bad_token_revoked_token_other_city(self, client, cast, reggio, bearer):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        url = f"/api/v1/torino/pacts/{pact.number}/transitions"
        body = {"action": "publish"}
        assert client.post(url, body, content_type="application/json").status_code == 401
        assert (
            client.post(
                url, body, content_type="application/json", headers={"Authorization": "Bearer nope"}
            ).status_code
            == 401
        )
        other = bearer(staff(municipality=reggio, role=StaffRole.Role.OFFICE), reggio)
        assert (
            client.post(url, body, content_type="application/json", headers=other).status_code
            == 403
        )
        revoked = bearer()
        client.force_login(cast.office)
        client.post("/torino/office/tokens/", {"revoke": ApiToken.objects.get(user=cast.office).pk})
        client.logout()
        assert (
            client.post(url, body, content_type="application/json", headers=revoked).status_code
            == 401
        )
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_a_system_submits_a_proposal(self, bearer, propose):
        response = propose(bearer())

        assert response.status_code == 201, response.content
        assert response.json()["status"] == "submitted"
        assert re.fullmatch(r"TO-\d{4}-\d{4}", response.json()["number"])

    def test_a_proposal_over_the_maximum_duration_is_400(self, bearer, propose):
        response = propose(bearer(), title="Troppo lungo", duration_months=99)

        assert response.status_code == 400
        assert not Pact.objects.filter(title="Troppo lungo").exists()

    def test_an_invalid_body_is_400_naming_the_field(self, client, cast, bearer):
        response = client.post(
            "/api/v1/torino/proposals",
            {"category": cast.category.slug, "objectives": "x", "activities": "y"},
            content_type="application/json",
            headers=bearer(),
        )

        assert response.status_code == 400
        assert response.json() == {
            "detail": "title: Field required; duration_months: Field required"
        }
        assert not Pact.objects.exists()

    def test_a_nul_character_is_400_not_a_database_error(self, client, cast, bearer):
        """PostgreSQL cannot store NUL: found by schemathesis with a staff token."""
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        headers = bearer()

        proposal = client.post(
            "/api/v1/torino/proposals",
            {
                "title": "Orto\x00",
                "category": cast.category.slug,
                "objectives": "x",
                "activities": "y",
                "duration_months": 12,
            },
            content_type="application/json",
            headers=headers,
        )
        transition = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "request_info", "note": "Manca\x00"},
            content_type="application/json",
            headers=headers,
        )

        assert proposal.status_code == 400
        assert proposal.json()["detail"].startswith("title: ")
        assert transition.status_code == 400
        assert transition.json()["detail"].startswith("note: ")
        assert Pact.objects.get() == pact
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED
