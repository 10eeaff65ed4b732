import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from geojson_pydantic import FeatureCollection

from cocity.accounts.models import Organisation
from cocity.commons.models import Commons
from cocity.commons.services import commons_create, hub_set
from cocity.opendata import exports
from cocity.pacts import services
from cocity.pacts.models import Pact, Status
from tests.accounts.factories import UserFactory
from tests.commons.factories import MOLE, PARK_AREA, CommonsFactory, many_commons
from tests.opendata.support import association_proposal
from tests.pacts.factories import PactFactory

PACT_HEADER = (
    "number,title,status,stage,complexity,category,commons_id,commons,district,proponent,"
    "proponent_kind,submitted_at,start_date,end_date,url,lon,lat\r\n"
)
COMMONS_HEADER = (
    "id,name,kind,availability,address,district,owning_department,lon,lat,url,is_hub\r\n"
)
TRICKY_TITLE = 'Orto, "bello"\ne condiviso'


def body(response) -> str:
    assert response.streaming is True
    raw = b"".join(response.streaming_content)
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return raw.decode("utf-8")


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def private_citizen(db):
    return UserFactory(
        show_name_publicly=False,
        display_name="Mario Riservato",
        email="mario.riservato@example.org",
    )


def pin_pact(cast, *, lon=None, lat=None, title="Panchine al parco") -> Pact:
    """A submitted pact on a place that is not in the catalogue (pinned, or not at all)."""
    pact = services.pact_create_draft(
        actor=UserFactory(show_name_publicly=True, display_name="Giulia Pubblica"),
        municipality=cast.municipality,
        title=title,
        category=cast.category,
        place_name="Angolo di via Po",
        place_lon=lon,
        place_lat=lat,
        objectives="Sedersi",
        activities="Montare panchine",
        duration_months=12,
    )
    return services.pact_transition(actor=pact.proponent, pact=pact, action="submit")


@pytest.mark.django_db
class TestPactsCsv:
    def test_whole_shape_of_the_header_and_a_row_of_a_private_citizen(
        self, client, cast, private_citizen
    ):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION, proponent=private_citizen)
        draft = PactFactory(cast=cast, proponent=private_citizen, title="Bozza riservata")

        response = client.get("/api/v1/torino/pacts.csv")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="torino-pacts.csv"'
        text = body(response)
        assert text.startswith(PACT_HEADER)
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        commons = cast.commons
        assert rows == [
            {
                "number": pact.number,
                "title": "Cura del giardino",
                "status": "consultation",
                "stage": "proposal",
                "complexity": "ordinary",
                "category": "Cura dello spazio pubblico",
                "commons_id": str(commons.pk),
                "commons": "Giardino di via Roma",
                "district": commons.district.name if commons.district else "",
                "proponent": "a citizen",
                "proponent_kind": "person",
                "submitted_at": utc(pact.submitted_at),
                "start_date": "",
                "end_date": "",
                "url": f"http://testserver/torino/pacts/{pact.number}/",
                "lon": repr(commons.lon),
                "lat": repr(commons.lat),
            }
        ]
        # Neither the citizen's name nor e-mail, nor the draft, anywhere in the file.
        assert "Mario Riservato" not in text
        assert "mario.riservato" not in text
        assert "@" not in text
        assert draft.title not in text

    def test_names_only_with_consent_and_organisations_with_their_kind(self, client, cast):
        public = UserFactory(show_name_publicly=True, display_name="Anna Pubblica")
        PactFactory(cast=cast, status=Status.SUBMITTED, proponent=public)
        association_proposal(
            cast, representative_name="Rita Rappresentante", association_name="Orti Uniti"
        )

        text = body(client.get("/api/v1/torino/pacts.csv"))

        rows = {r["title"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
        assert (
            rows["Cura del giardino"]["proponent"],
            rows["Cura del giardino"]["proponent_kind"],
        ) == (
            "Anna Pubblica",
            "person",
        )
        assert (rows["Orto condiviso"]["proponent"], rows["Orto condiviso"]["proponent_kind"]) == (
            "Orti Uniti",
            Organisation.Kind.ASSOCIATION,
        )
        assert "Rita Rappresentante" not in text

    def test_rfc4180_line_ends_and_quoting(self, client, cast):
        pact = PactFactory(cast=cast, status=Status.SUBMITTED)
        Pact.objects.filter(pk=pact.pk).update(title=TRICKY_TITLE)

        text = body(client.get("/api/v1/torino/pacts.csv"))

        assert text.endswith("\r\n")
        # Every record ends in CRLF; the only bare LF is the one inside the quoted title.
        assert text.count("\r\n") == 2
        assert text.replace("\r\n", "").count("\n") == 1
        assert f'{pact.number},"Orto, ""bello""\ne condiviso",submitted,' in text
        (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
        assert row["title"] == TRICKY_TITLE

    def test_a_pinned_place_gives_the_pin_and_no_place_gives_empty_fields(self, client, cast):
        pin_pact(cast, lon=7.69, lat=45.07, title="Sul pin")
        pin_pact(cast, title="Da nessuna parte")

        text = body(client.get("/api/v1/torino/pacts.csv"))

        rows = {r["title"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
        assert (rows["Sul pin"]["lon"], rows["Sul pin"]["lat"]) == ("7.69", "45.07")
        assert (rows["Sul pin"]["commons_id"], rows["Sul pin"]["commons"]) == ("", "")
        assert (rows["Da nessuna parte"]["lon"], rows["Da nessuna parte"]["lat"]) == ("", "")
        assert rows["Sul pin"]["proponent"] == "Giulia Pubblica"

    def test_empty_municipality_gives_the_header_alone(self, client, torino):
        assert body(client.get("/api/v1/torino/pacts.csv")) == PACT_HEADER

    def test_queries_do_not_grow_with_the_rows(self, client, cast, monkeypatch):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 2)  # several chunks even for a few rows
        monkeypatch.setattr(exports, "FLUSH_BYTES", 10)  # and several pieces of body

        def queries(path: str) -> tuple[int, int]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
                text = body(response)
            return len(captured), text.count("\r\n")

        PactFactory(cast=cast, status=Status.SUBMITTED)
        queries("/api/v1/torino/pacts.csv")  # the API middleware caches the city's id
        few = queries("/api/v1/torino/pacts.csv"), queries("/api/v1/torino/pacts.geojson")
        for _ in range(6):
            PactFactory(cast=cast, status=Status.SUBMITTED)
        many = queries("/api/v1/torino/pacts.csv"), queries("/api/v1/torino/pacts.geojson")

        assert (few[0][1], many[0][1]) == (2, 8)  # header and rows
        assert few[0][0] == many[0][0] == 2  # the municipality, the rows
        assert few[1][0] == many[1][0] == 2

    def test_unknown_city_is_a_json_404(self, client, db):
        for path in ("pacts.csv", "pacts.geojson", "commons.csv", "commons.geojson"):
            response = client.get(f"/api/v1/nowhere/{path}")
            assert response.status_code == 404, path
            assert "nowhere" in response.json()["detail"]


@pytest.mark.django_db
class TestPactsGeoJson:
    def test_valid_rfc7946_with_points_and_null_geometries(self, client, cast, private_citizen):
        pact = PactFactory(cast=cast, status=Status.CONSULTATION, proponent=private_citizen)
        pin_pact(cast, title="Da nessuna parte")
        PactFactory(cast=cast, proponent=private_citizen, title="Bozza riservata")

        response = client.get("/api/v1/torino/pacts.geojson")

        assert response["Content-Type"] == "application/geo+json"
        assert response["Content-Disposition"] == 'attachment; filename="torino-pacts.geojson"'
        text = body(response)
        data = json.loads(text)
        FeatureCollection.model_validate(data)
        features = {f["properties"]["title"]: f for f in data["features"]}
        assert set(features) == {"Cura del giardino", "Da nessuna parte"}
        placed = features["Cura del giardino"]
        assert placed["id"] == pact.number
        assert placed["geometry"] == {
            "type": "Point",
            "coordinates": [cast.commons.lon, cast.commons.lat],
        }
        assert set(placed["properties"]) == set(exports.PACT_FIELDS) - {"lon", "lat"}
        assert placed["properties"]["proponent"] == "a citizen"
        assert placed["properties"]["commons_id"] == cast.commons.pk
        assert features["Da nessuna parte"]["geometry"] is None
        assert "Mario Riservato" not in text and "mario.riservato" not in text

    def test_empty_municipality_is_an_empty_collection(self, client, torino):
        data = json.loads(body(client.get("/api/v1/torino/pacts.geojson")))
        assert data == {"type": "FeatureCollection", "features": []}


@pytest.mark.django_db
class TestCommonsExports:
    def test_csv_whole_shape(self, client, torino):
        commons = CommonsFactory(
            municipality=torino,
            name="Ex bagni, pubblici",
            address="via Agliè 9",
            owning_department="Patrimonio",
        )
        hub_set(actor=None, commons=commons, opening_hours="Sempre")
        immaterial = commons_create(
            actor=None, municipality=torino, name="Memoria", kind=Commons.Kind.IMMATERIAL
        )

        response = client.get("/api/v1/torino/commons.csv")

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="torino-commons.csv"'
        text = body(response)
        assert text.startswith(COMMONS_HEADER)
        assert list(csv.DictReader(io.StringIO(text, newline=""))) == [
            {
                "id": str(commons.pk),
                "name": "Ex bagni, pubblici",
                "kind": "building",
                "availability": "open",
                "address": "via Agliè 9",
                "district": commons.district.name if commons.district else "",
                "owning_department": "Patrimonio",
                "lon": repr(MOLE[0]),
                "lat": repr(MOLE[1]),
                "url": f"http://testserver/torino/commons/{commons.pk}-ex-bagni-pubblici/",
                "is_hub": "true",
            },
            {
                "id": str(immaterial.pk),
                "name": "Memoria",
                "kind": "immaterial",
                "availability": "open",
                "address": "",
                "district": "",
                "owning_department": "",
                "lon": "",
                "lat": "",
                "url": f"http://testserver/torino/commons/{immaterial.pk}-memoria/",
                "is_hub": "false",
            },
        ]
        assert '"Ex bagni, pubblici"' in text

    def test_geojson_without_bbox_or_zoom_is_the_full_streamed_export(self, client, torino):
        many_commons(torino, 350)  # more than the map's 300 features
        memoria = commons_create(
            actor=None, municipality=torino, name="Memoria", kind=Commons.Kind.IMMATERIAL
        )

        response = client.get("/api/v1/torino/commons.geojson")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        assert response["Content-Disposition"] == 'attachment; filename="torino-commons.geojson"'
        data = json.loads(body(response))
        FeatureCollection.model_validate(data)
        assert len(data["features"]) == 351
        assert not any(f["properties"].get("cluster") for f in data["features"])
        last = data["features"][-1]
        assert last["id"] == memoria.pk and last["geometry"] is None
        first = data["features"][0]
        assert first["geometry"]["type"] == "Point"
        assert set(first["properties"]) == set(exports.COMMONS_FIELDS) - {"lon", "lat"}

    def test_geojson_export_keeps_the_catalogue_filters(self, client, torino):
        CommonsFactory(municipality=torino, name="Scuola", kind=Commons.Kind.SCHOOL)
        CommonsFactory(municipality=torino, name="Palazzo", kind=Commons.Kind.BUILDING)

        data = json.loads(body(client.get("/api/v1/torino/commons.geojson?kind=school")))

        assert [f["properties"]["name"] for f in data["features"]] == ["Scuola"]
        assert client.get("/api/v1/torino/commons.geojson?kind=x").status_code == 400

    def test_polygon_commons_is_a_point_in_the_export(self, client, torino):
        park = CommonsFactory(
            municipality=torino, name="Parco", kind=Commons.Kind.GREEN_AREA, polygon=PARK_AREA
        )

        (feature,) = json.loads(body(client.get("/api/v1/torino/commons.geojson")))["features"]

        assert feature["geometry"] == {"type": "Point", "coordinates": [park.lon, park.lat]}

    @pytest.mark.parametrize(
        "query", ["bbox=7.6,45.0,7.8,45.1&zoom=17", "zoom=11", "bbox=7.6,45.0,7.8,45.1"]
    )
    def test_geojson_with_bbox_or_zoom_keeps_the_map_viewport(self, client, torino, query):
        many_commons(torino, 400)

        response = client.get(f"/api/v1/torino/commons.geojson?{query}")

        assert response.status_code == 200
        assert not response.streaming
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        FeatureCollection.model_validate(data)
        assert len(data["features"]) <= 300
        assert (
            "url" in data["features"][0]["properties"]
            or data["features"][0]["properties"]["cluster"]
        )

    def test_commons_queries_do_not_grow_with_the_rows(self, client, torino, monkeypatch):
        monkeypatch.setattr(exports, "CHUNK_SIZE", 3)

        def queries(path: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                body(client.get(path))
            return len(captured)

        CommonsFactory(municipality=torino, name="Uno")
        queries("/api/v1/torino/commons.csv")  # the API middleware caches the city's id
        few = queries("/api/v1/torino/commons.csv"), queries("/api/v1/torino/commons.geojson")
        many_commons(torino, 20)
        many = queries("/api/v1/torino/commons.csv"), queries("/api/v1/torino/commons.geojson")

        assert few == many
        assert few[0] == 2  # the municipality, the rows


@pytest.mark.django_db
def test_the_exports_are_in_the_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    media = {
        "/api/v1/{city}/pacts.csv": "text/csv",
        "/api/v1/{city}/pacts.geojson": "application/geo+json",
        "/api/v1/{city}/commons.csv": "text/csv",
        "/api/v1/{city}/commons.geojson": "application/geo+json",
        "/api/v1/catalog.jsonld": "application/ld+json",
    }
    for path, media_type in media.items():
        operation = paths[path]["get"]
        assert media_type in operation["responses"]["200"]["content"], path
        assert operation["summary"], path


class TestStoredExports:
    """With the page cache on, a whole export is written once per version of the data and
    then served from its file; a write makes the next download new."""

    @pytest.fixture(autouse=True)
    def _stored(self, settings, tmp_path):
        settings.PAGE_CACHE_SECONDS = 60
        settings.VAR_DIR = tmp_path

    def test_the_second_download_is_the_stored_file_and_a_write_renews_it(
        self, client, cast, tmp_path, django_capture_on_commit_callbacks
    ):
        PactFactory(cast=cast, status=Status.ACTIVE)
        first = body(client.get("/api/v1/torino/pacts.csv"))
        stored = list((tmp_path / "exports").glob("torino-pacts.csv.*"))
        assert len(stored) == 1 and stored[0].read_bytes().decode() == first

        again = client.get("/api/v1/torino/pacts.csv")
        assert again["Content-Disposition"] == 'attachment; filename="torino-pacts.csv"'
        assert body(again) == first

        with django_capture_on_commit_callbacks(execute=True):  # the write commits
            pin_pact(cast, title="Orti sul tetto della biblioteca")
        renewed = body(client.get("/api/v1/torino/pacts.csv"))
        assert "Orti sul tetto della biblioteca" in renewed
        assert (
            len(list(csv.reader(io.StringIO(renewed))))
            == len(list(csv.reader(io.StringIO(first)))) + 1
        )

    def test_a_download_cut_short_stores_nothing(self, tmp_path):
        folder = tmp_path / "exports"
        folder.mkdir()
        path = folder / "torino-pacts.csv.v1"
        download = exports._write_through(iter([b"number,", b"title\r\n"]), path, folder, "x")
        assert next(download) == b"number,"
        download.close()  # the client went away: no half file is kept, or served later
        assert list(folder.iterdir()) == []
