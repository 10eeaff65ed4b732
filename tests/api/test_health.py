import pytest


@pytest.mark.django_db
def test_health_answers_ok(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "1"}


@pytest.mark.django_db
def test_openapi_schema_documents_health(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/health" in schema["paths"]


@pytest.mark.django_db
def test_docs_page_is_served(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
