import pytest
from geojson_pydantic import FeatureCollection

from cocity.commons.models import Commons
from cocity.commons.services import commons_create
from tests.commons.factories import MOLE, PARK_AREA, CommonsFactory, many_commons


@pytest.mark.django_db
class TestCommonsJson:
    def test_whole_shape(self, client, torino):
        commons = CommonsFactory(
            municipality=torino, name="Ex bagni pubblici", address="via Agliè 9"
        )

        body = client.get("/api/v1/torino/commons").json()

        assert body == {
            "count": 1,
            "next": None,
            "results": [
                {
                    "id": commons.pk,
                    "name": "Ex bagni pubblici",
                    "kind": "building",
                    "availability": "open",
                    "address": "via Agliè 9",
                    "district": None,
                    "lon": MOLE[0],
                    "lat": MOLE[1],
                    "url": f"http://testserver/torino/commons/{commons.pk}-ex-bagni-pubblici/",
                }
            ],
        }

    def test_pagination_and_filters(self, client, torino):
        many_commons(torino, 25)

        first = client.get("/api/v1/torino/commons?page_size=10").json()
        assert (first["count"], len(first["results"])) == (25, 10)
        second = client.get(first["next"]).json()
        last = client.get(second["next"]).json()
        names = [r["name"] for page in (first, second, last) for r in page["results"]]
        assert names == sorted(names) and len(set(names)) == 25  # every row once, in order
        assert last["next"] is None
        assert len(last["results"]) == 5
        schools = client.get("/api/v1/torino/commons?kind=school&page_size=100").json()
        assert all(r["kind"] == "school" for r in schools["results"])

    @pytest.mark.parametrize(
        "query, parameter",
        [
            ("kind=spaceship", "kind"),
            ("availability=maybe", "availability"),
            ("district=atlantide", "district"),
            ("cursor=zero", "cursor"),
            ("page_size=1000", "page_size"),
            ("bbox=a,b,c,d", "bbox"),
        ],
    )
    def test_bad_parameter_is_a_400_naming_it(self, client, torino, query, parameter):
        response = client.get(f"/api/v1/torino/commons?{query}")

        assert response.status_code == 400
        assert parameter in response.json()["detail"]

    def test_unknown_city_is_a_json_404(self, client, db):
        response = client.get("/api/v1/nowhere/commons")
        assert response.status_code == 404
        assert "nowhere" in response.json()["detail"]


@pytest.mark.django_db
class TestCommonsGeoJson:
    def test_single_features_are_valid_rfc7946_with_the_documented_properties(self, client, torino):
        point = CommonsFactory(municipality=torino, name="Ex bagni")
        park = CommonsFactory(
            municipality=torino, name="Parco", kind=Commons.Kind.GREEN_AREA, polygon=PARK_AREA
        )
        commons_create(
            actor=None, municipality=torino, name="Memoria", kind=Commons.Kind.IMMATERIAL
        )

        body = client.get("/api/v1/torino/commons.geojson?bbox=7.6,45.0,7.8,45.1&zoom=17").json()

        FeatureCollection.model_validate(body)
        assert body == {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": point.pk,
                    "geometry": {"type": "Point", "coordinates": list(MOLE)},
                    "properties": {
                        "id": point.pk,
                        "name": "Ex bagni",
                        "kind": "building",
                        "availability": "open",
                        "url": point.url_for("torino"),
                    },
                },
                {
                    "type": "Feature",
                    "id": park.pk,
                    "geometry": PARK_AREA,
                    "properties": {
                        "id": park.pk,
                        "name": "Parco",
                        "kind": "green_area",
                        "availability": "open",
                        "url": park.url_for("torino"),
                    },
                },
            ],
        }

    def test_low_zoom_gives_clusters_with_counts(self, client, torino):
        many_commons(torino, 400)

        body = client.get("/api/v1/torino/commons.geojson?zoom=11").json()

        FeatureCollection.model_validate(body)
        clusters = [f for f in body["features"] if f["properties"].get("cluster")]
        assert clusters
        assert all(f["properties"]["count"] >= 2 for f in clusters)
        singles = len(body["features"]) - len(clusters)
        assert sum(f["properties"]["count"] for f in clusters) + singles == 400
        assert len(body["features"]) <= 300

    def test_zoomed_in_gives_single_commons(self, client, torino):
        many_commons(torino, 400)

        body = client.get(
            "/api/v1/torino/commons.geojson?zoom=17&bbox=7.660,45.060,7.665,45.065"
        ).json()

        assert body["features"]
        assert not any(f["properties"].get("cluster") for f in body["features"])
        for f in body["features"]:
            lon, lat = f["geometry"]["coordinates"]
            assert 7.660 <= lon <= 7.665 and 45.060 <= lat <= 45.065

    @pytest.mark.parametrize(
        "query, parameter",
        [
            ("bbox=1,2,3", "bbox"),
            ("bbox=10,0,5,1", "bbox"),
            ("zoom=99", "zoom"),
            ("zoom=near", "zoom"),
            ("kind=x", "kind"),
        ],
    )
    def test_malformed_parameter_is_a_400_naming_it(self, client, torino, query, parameter):
        response = client.get(f"/api/v1/torino/commons.geojson?{query}")

        assert response.status_code == 400
        assert response.json()["detail"].startswith(parameter)


@pytest.mark.django_db
def test_both_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/{city}/commons" in paths
    assert "/api/v1/{city}/commons.geojson" in paths
