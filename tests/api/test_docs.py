"""The API is documented: every endpoint is in the OpenAPI schema with a summary, every
parameter and every response field is described there (after Datasette's test_docs)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from cocity.api.api import api


def _api_routes() -> set[str]:
    include = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"
    )
    routes = set()
    for pattern in include.url_patterns:
        route = str(pattern.pattern)
        if route in {"", "docs", "openapi.json"}:
            continue
        routes.add("/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return routes


@pytest.mark.django_db
def test_every_endpoint_is_in_the_schema_with_a_summary(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.1")
    assert _api_routes() == set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


@pytest.mark.django_db
def test_every_response_field_is_in_the_schema(client):
    """Each object a JSON endpoint can return declares its properties: nothing leaves the API
    that the schema does not name."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]

    def check(node, where):
        if "$ref" in node:
            node = components[node["$ref"].split("/")[-1]]
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                check(option, where)
        if node.get("type") == "object" and "additionalProperties" not in node:
            assert node.get("properties"), f"{where}: an object without declared fields"
        for name, prop in node.get("properties", {}).items():
            check(prop, f"{where}.{name}")
        if "items" in node:
            check(node["items"], f"{where}[]")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media, body in response.get("content", {}).items():
                    if media == "application/json":
                        check(body["schema"], f"{method.upper()} {path} {status}")
