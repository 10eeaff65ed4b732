"""The API's HTTP manners: CORS for reads, conditional requests, the anonymous rate limit."""

import pytest
from django.core.cache import cache


@pytest.mark.django_db
def test_cors_headers_on_reads_and_preflight(client, torino):
    response = client.get("/api/v1/torino/commons")
    assert response["Access-Control-Allow-Origin"] == "*"

    preflight = client.options(
        "/api/v1/torino/commons",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.django_db
def test_etag_and_last_modified_answer_304(client, torino):
    first = client.get("/api/v1/torino/commons")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]

    again = client.get("/api/v1/torino/commons", headers={"If-None-Match": first["ETag"]})
    since = client.get(
        "/api/v1/torino/commons", headers={"If-Modified-Since": first["Last-Modified"]}
    )

    assert again.status_code == 304
    assert since.status_code == 304


@pytest.mark.django_db
def test_a_change_moves_last_modified(client, torino, django_capture_on_commit_callbacks):
    import time

    from tests.commons.factories import CommonsFactory

    first = client.get("/api/v1/torino/commons")
    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        CommonsFactory(municipality=torino, name="Nuovo bene")
    response = client.get(
        "/api/v1/torino/commons",
        headers={"If-Modified-Since": first["Last-Modified"], "If-None-Match": first["ETag"]},
    )
    assert response.status_code == 200
    assert response["Last-Modified"] != first["Last-Modified"]


@pytest.mark.django_db
def test_anonymous_clients_are_rate_limited(client, torino, settings):
    settings.API_RATE_LIMIT = 3
    cache.clear()
    codes = [client.get("/api/v1/health").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/health")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["detail"]
