"""Crafted input (issue #11, finding 8): forged cursors and integers too large for the
database are a 400 in the client's format, every error under ``/api/v1/`` is JSON with a
``detail``, and ``HEAD`` answers as ``GET`` does, without the body."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, RequestFactory

from cocity.accounts.services import api_token_create
from cocity.api.api import api
from cocity.pacts.models import Pact
from tests.commons.factories import VALENTINO, CommonsFactory
from tests.pacts.factories import Cast, PactFactory

BIG = "99999999999999999999"  # more than SQLite's (and PostgreSQL's bigint) 2**63 - 1


def cursor(raw_json: str) -> str:
    return base64.urlsafe_b64encode(raw_json.encode()).decode().rstrip("=")


def assert_json_error(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.fixture
def cast(torino):
    CommonsFactory(municipality=torino, name="Ex bagni pubblici")
    CommonsFactory(municipality=torino, name="Parco del Valentino", point=VALENTINO)
    cast = Cast(torino)
    cast.pacts = [
        PactFactory(cast=cast, status="submitted"),
        PactFactory(cast=cast, status="submitted"),
        PactFactory(cast=cast, status="submitted"),
    ]
    return cast


# The review's cursor first: ["a", "abc"] where the second key is the id.
COMMONS_CURSORS = [
    "WyJhIiwgImFiYyJd",
    cursor('{"name": "a", "id": 1}'),
    cursor("[[1], [2]]"),
    cursor('["a", [2]]'),
    cursor('["a", {"id": 2}]'),
    cursor("null"),
    cursor("[null, null]"),
    cursor('["a", null]'),
    cursor("NaN"),
    cursor('["a", NaN]'),
    cursor('["a", Infinity]'),
    cursor('["a", 1e400]'),
    cursor('["a", 1.5]'),
    cursor('["a", true]'),
    cursor(f'["a", {BIG}]'),
    cursor(f'["a", -{BIG}]'),
    cursor('["a\\u0000", 1]'),
    "!!!not base64!!!",
    base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
]
PACT_CURSORS = [
    cursor('["abc", 1]'),
    cursor('[{"at": 1}, 1]'),
    cursor("[null, 1]"),
    cursor("[NaN, 1]"),
    cursor('["2026-01-01T00:00:00+00:00", "abc"]'),
    cursor(f'["2026-01-01T00:00:00+00:00", {BIG}]'),
    cursor(f'["2026-01-01T00:00:00+00:00", "{BIG}"]'),
    cursor('["2026-01-01T00:00:00+00:00", 1e400]'),
    cursor('["2026-01-01T00:00:00+00:00", Infinity]'),
    cursor('["9999-12-31T23:59:59-12:00", 1]'),
    cursor('["0001-01-01T00:00:00+14:00", 1]'),
    cursor('["2026-01-01T00:00:00+00:00", 1, 2]'),
]


@pytest.mark.django_db
class TestForgedCursors:
    @pytest.mark.parametrize("value", COMMONS_CURSORS)
    def test_a_forged_commons_cursor_is_a_400(self, cast, value):
        client = Client(raise_request_exception=False)

        response = client.get("/api/v1/torino/commons", {"cursor": value})

        assert assert_json_error(response, 400).startswith("cursor:")

    @pytest.mark.parametrize("value", PACT_CURSORS)
    def test_a_forged_pacts_cursor_is_a_400(self, cast, value):
        client = Client(raise_request_exception=False)

        response = client.get("/api/v1/torino/pacts", {"cursor": value})

        assert assert_json_error(response, 400).startswith("cursor:")

    def test_the_next_links_still_walk_every_row(self, client, cast):
        seen, url = [], "/api/v1/torino/pacts?page_size=1"
        while url:
            page = client.get(url).json()
            seen += [p["number"] for p in page["results"]]
            url = page["next"]
        commons = client.get("/api/v1/torino/commons?page_size=1").json()
        second = client.get(commons["next"]).json()

        assert sorted(seen) == sorted(p.number for p in cast.pacts)
        assert [c["name"] for c in commons["results"] + second["results"]] == [
            "Ex bagni pubblici",
            "Parco del Valentino",
        ]


@pytest.mark.django_db
class TestIntegersTooLarge:
    @pytest.mark.parametrize("value", [BIG, f"-{BIG}", "9223372036854775808"])
    def test_the_api_refuses_a_commons_id_too_large(self, cast, value):
        client = Client(raise_request_exception=False)

        response = client.get("/api/v1/torino/pacts", {"commons": value})

        assert assert_json_error(response, 400).startswith("commons:")

    def test_the_largest_id_is_simply_no_match(self, client, cast):
        response = client.get("/api/v1/torino/pacts", {"commons": str(2**63 - 1)})

        assert response.status_code == 200
        assert response.json()["count"] == 0

    def test_the_registry_page_shows_the_error(self, cast):
        client = Client(raise_request_exception=False)

        response = client.get("/torino/pacts/", {"commons": BIG})

        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert "Questo non è il numero di un bene comune." in response.content.decode()

    @pytest.mark.parametrize(
        "url",
        [
            f"/torino/impact/?programme={BIG}",
            f"/torino/impact/?year_from={BIG}",
            f"/torino/pacts/?year={BIG}",
            f"/torino/pacts/?page={BIG}",
            f"/torino/commons/?zoom={BIG}",
            f"/api/v1/torino/impact?year_from={BIG}",
            f"/api/v1/torino/pacts?page_size={BIG}",
            f"/api/v1/torino/commons.geojson?zoom={BIG}",
            f"/api/v1/torino/commons.geojson?bbox={BIG},1,2,3",
        ],
    )
    def test_other_integer_parameters_never_answer_500(self, cast, url):
        client = Client(raise_request_exception=False)

        response = client.get(url)

        assert response.status_code in (200, 400), url
        if url.startswith("/api/"):
            assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
class TestApiErrorsAreJson:
    @pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/torino/nothing/here"])
    def test_an_unknown_route_is_a_json_404(self, client, torino, url):
        assert_json_error(client.get(url), 404)

    def test_a_method_not_allowed_is_json_and_says_what_is(self, client, torino):
        response = client.delete("/api/v1/catalog.jsonld")

        detail = assert_json_error(response, 405)
        assert "GET" in response["Allow"] and "GET" in detail

    def test_a_server_error_is_json_without_a_traceback(self, torino, monkeypatch):
        # Given a fault deep in the catalogue (the database gone, a bug)
        def broken(request):
            raise RuntimeError("secret internals")

        monkeypatch.setattr("cocity.opendata.catalog.catalog", broken)
        client = Client(raise_request_exception=False)

        response = client.get("/api/v1/catalog.jsonld")

        detail = assert_json_error(response, 500)
        assert "secret" not in response.content.decode()
        assert "error" in detail.lower()

    def test_a_server_error_before_the_api_is_reached_is_json_too(self, torino, monkeypatch):
        # Given the sessions' store failing, in a middleware that runs before the API's own
        def broken(self, request):
            raise RuntimeError("secret internals")

        monkeypatch.setattr(
            "django.contrib.sessions.middleware.SessionMiddleware.process_request", broken
        )
        client = Client(raise_request_exception=False)

        api_response = client.get("/api/v1/health")
        page = client.get("/torino/pacts/")

        assert_json_error(api_response, 500)
        assert "secret" not in api_response.content.decode()
        assert page.status_code == 500 and page["Content-Type"].startswith("text/html")

    def test_a_page_error_stays_html(self, torino, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("secret internals")

        monkeypatch.setattr("cocity.pacts.views.selectors.pact_registry", broken)
        client = Client(raise_request_exception=False)

        response = client.get("/torino/pacts/")

        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html")

    def test_a_body_too_large_is_a_json_413_and_nothing_is_created(self, cast, settings):
        _, raw = api_token_create(actor=cast.office, municipality=cast.municipality, name="Sync")
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
        body = {
            "title": "Orto",
            "category": cast.category.slug,
            "objectives": "x" * 4096,
            "activities": "Orto",
            "duration_months": 12,
        }
        before = Pact.objects.count()
        client = Client(raise_request_exception=False)

        response = client.post(
            "/api/v1/torino/proposals",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert assert_json_error(response, 413).startswith("Request body too large")
        assert Pact.objects.count() == before

    def test_a_body_that_is_not_json_is_a_json_400(self, cast):
        _, raw = api_token_create(actor=cast.office, municipality=cast.municipality, name="Sync")
        before = Pact.objects.count()
        client = Client(raise_request_exception=False)

        response = client.post(
            "/api/v1/torino/proposals",
            "{not json",
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        assert_json_error(response, 400)
        assert Pact.objects.count() == before

    def test_a_bad_host_on_the_api_is_a_json_400(self, torino, settings):
        settings.ALLOWED_HOSTS = ["testserver"]
        client = Client(raise_request_exception=False)

        response = client.get("/api/v1/health", headers={"Host": "evil.example"})

        assert_json_error(response, 400)


def _get_paths(cast) -> list[str]:
    """Every GET route of the schema, with real values in its path."""
    values = {
        "city": "torino",
        "slug": "torino",
        "number": cast.pacts[0].number,
    }
    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" in operations and not path.endswith(("openapi.json", "docs")):
            paths.append(path.format(**values))
    return paths


@pytest.mark.django_db
class TestHead:
    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/catalog.jsonld",
            "/api/v1/torino/pacts.csv",
            "/api/v1/torino/pacts.geojson",
            "/api/v1/torino/commons.csv",
            "/api/v1/torino/commons.geojson",
        ],
    )
    def test_head_on_the_exports_and_the_catalogue_answers_like_get(self, client, cast, url):
        got = client.get(url)
        body = b"".join(got.streaming_content) if got.streaming else got.content

        head = client.head(url)

        assert head.status_code == 200
        for header in (
            "Content-Type",
            "Content-Disposition",
            "Access-Control-Allow-Origin",
            "Last-Modified",
        ):
            assert head.headers.get(header) == got.headers.get(header), header
        assert body and not (b"".join(head.streaming_content) if head.streaming else head.content)

    def test_head_answers_304_to_a_matching_etag(self, client, cast):
        etag = client.get("/api/v1/catalog.jsonld")["ETag"]

        head = client.head("/api/v1/catalog.jsonld", headers={"If-None-Match": etag})

        assert head.status_code == 304
        assert client.head("/api/v1/catalog.jsonld")["ETag"] == etag

    def test_every_get_route_answers_head_with_its_status(self, client, cast):
        for url in [*_get_paths(cast), "/api/v1/nowhere/pacts.csv"]:
            got, head = client.get(url), client.head(url)
            assert head.status_code == got.status_code, url
            assert head["Content-Type"] == got["Content-Type"], url

    def test_head_sends_no_body_through_the_wsgi_server(self, cast):
        """The test client drops HEAD bodies itself: through the WSGI handler, the export
        is not even written."""
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            handler = WSGIHandler()
            for url in ("/api/v1/torino/pacts.csv", "/api/v1/catalog.jsonld"):
                environ = RequestFactory().head(url).environ
                started = {}

                def start_response(status, headers, exc_info=None, started=started):
                    started.update(status=status, headers=dict(headers))

                result = handler(environ, start_response)
                body = b"".join(result)
                result.close()

                assert started["status"].startswith("200"), url
                assert body == b"", url
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
