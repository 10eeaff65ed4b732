"""Staff tokens: created in the office area (shown once, stored hashed), revocable, scoped to
the municipality, acting through the same services and permissions as the pages."""

import hashlib
import re

import pytest

from cocity.accounts.models import ApiToken, StaffRole
from cocity.pacts.models import Pact, Status
from tests.factories import UserFactory, staff
from tests.pacts.helpers import Cast, walk


def create_token(client, user, city="torino") -> str:
    client.force_login(user)
    response = client.post(f"/{city}/office/tokens/", {"name": "Sportello"})
    assert response.status_code == 200
    token = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    client.logout()
    return token


@pytest.fixture
def cast(torino):
    return Cast(torino)


@pytest.mark.django_db
class TestTokens:
    def test_shown_once_and_stored_hashed(self, client, cast):
        raw = create_token(client, cast.office)

        stored = ApiToken.objects.get()
        assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        client.force_login(cast.office)
        assert raw not in client.get("/torino/office/tokens/").content.decode()

    def test_citizens_cannot_create_tokens(self, client, cast):
        client.force_login(UserFactory())
        assert client.post("/torino/office/tokens/", {"name": "x"}).status_code == 403
        assert not ApiToken.objects.exists()

    def test_office_token_publishes_a_pact(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        raw = create_token(client, cast.office)

        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "publish", "version": pact.version},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 200, response.content
        assert response.json()["status"] == "consultation"
        assert pact.events.filter(action="publish", actor=cast.office).exists()

    def test_the_same_permissions_as_the_pages(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        raw = create_token(client, cast.manager)

        response = client.post(
            f"/api/v1/torino/pacts/{pact.number}/transitions",
            {"action": "publish"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 403
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_stale_version_is_409(self, client, cast):
        pact = walk(cast, Status.SUBMITTED)
        raw = create_token(client, cast.office)
        headers = {"Authorization": f"Bearer {raw}"}
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

    def test_no_token_bad_token_revoked_token_other_city(self, client, cast, reggio):
        pact = walk(cast, Status.SUBMITTED)
        url = f"/api/v1/torino/pacts/{pact.number}/transitions"
        body = {"action": "publish"}
        assert client.post(url, body, content_type="application/json").status_code == 401
        assert (
            client.post(
                url, body, content_type="application/json", headers={"Authorization": "Bearer nope"}
            ).status_code
            == 401
        )
        other = create_token(
            client, staff(municipality=reggio, role=StaffRole.Role.OFFICE), city="reggio-emilia"
        )
        assert (
            client.post(
                url,
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {other}"},
            ).status_code
            == 403
        )
        raw = create_token(client, cast.office)
        client.force_login(cast.office)
        client.post("/torino/office/tokens/", {"revoke": ApiToken.objects.get(user=cast.office).pk})
        client.logout()
        assert (
            client.post(
                url,
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {raw}"},
            ).status_code
            == 401
        )
        assert Pact.objects.get(pk=pact.pk).status == Status.SUBMITTED

    def test_a_system_submits_a_proposal(self, client, cast):
        raw = create_token(client, cast.office)

        response = client.post(
            "/api/v1/torino/proposals",
            {
                "title": "Orto dallo sportello",
                "category": cast.category.slug,
                "commons": cast.commons.pk,
                "objectives": "Un orto",
                "activities": "Semina",
                "duration_months": 12,
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 201, response.content
        assert response.json()["status"] == "submitted"
        assert re.fullmatch(r"TO-\d{4}-\d{4}", response.json()["number"])

    def test_a_proposal_over_the_maximum_duration_is_400(self, client, cast):
        raw = create_token(client, cast.office)

        response = client.post(
            "/api/v1/torino/proposals",
            {
                "title": "Troppo lungo",
                "category": cast.category.slug,
                "commons": cast.commons.pk,
                "objectives": "x",
                "activities": "y",
                "duration_months": 99,
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 400
        assert not Pact.objects.filter(title="Troppo lungo").exists()

    def test_an_invalid_body_is_400_naming_the_field(self, client, cast):
        raw = create_token(client, cast.office)

        response = client.post(
            "/api/v1/torino/proposals",
            {"category": cast.category.slug, "objectives": "x", "activities": "y"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert response.status_code == 400
        assert response.json() == {
            "detail": "title: Field required; duration_months: Field required"
        }
        assert not Pact.objects.exists()

    def test_a_nul_character_is_400_not_a_database_error(self, client, cast):
        """PostgreSQL cannot store NUL: found by schemathesis with a staff token."""
        pact = walk(cast, Status.SUBMITTED)
        raw = create_token(client, cast.office)
        headers = {"Authorization": f"Bearer {raw}"}

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
