"""The limit on the API's writes: per token, a JSON 429 shaped like the API's other errors with
``Retry-After``, documented on every operation; a refused write changes nothing. The cache
that counts is emptied around every test (tests/conftest.py)."""

import pytest
from django.test import override_settings

from cocity.api.api import api
from cocity.pacts.models import Pact
from tests.accounts.factories import staff


@pytest.mark.django_db
@override_settings(WRITE_RATE_LIMIT="2/m")
def test_a_token_over_the_limit_gets_429_and_nothing_is_created(client, cast, bearer, propose):
    token = bearer()
    assert propose(token, title="Orto uno").status_code == 201
    assert propose(token, title="Orto due").status_code == 201

    response = propose(token, title="Orto tre")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json() == {
        "detail": f"Too many writes (at most 2/m). Retry in {response['Retry-After']} s."
    }
    assert not Pact.objects.filter(title="Orto tre").exists()
    assert Pact.objects.filter(title__startswith="Orto").count() == 2


@pytest.mark.django_db
@override_settings(WRITE_RATE_LIMIT="2/m")
def test_the_limit_is_per_token(client, cast, bearer, propose):
    blocked = bearer()
    for title in ("Orto uno", "Orto due", "Orto tre"):
        propose(blocked, title=title)
    other = bearer(staff(municipality=cast.municipality))

    response = propose(other, title="Orto quattro")

    assert response.status_code == 201, response.content
    assert Pact.objects.filter(title="Orto quattro").exists()


@pytest.mark.django_db
@override_settings(WRITE_RATE_LIMIT="2/m")
def test_reads_with_a_token_do_not_count(client, cast, bearer, propose):
    token = bearer()
    for _ in range(3):
        client.get("/api/v1/torino/pacts", headers=token)

    assert propose(token, title="Orto uno").status_code == 201


def test_every_operation_documents_429_with_retry_after():
    schema = api.get_openapi_schema()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            refused = operation["responses"].get(429)
            assert refused, f"{method.upper()} {path} does not document 429"
            assert refused["headers"]["Retry-After"]["required"]
            assert refused["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/TooManyRequests"
            }
    assert schema["components"]["schemas"]["TooManyRequests"]["required"] == ["detail"]
