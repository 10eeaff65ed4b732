import pytest

from cocity.municipalities.services import district_create


@pytest.mark.django_db
def test_municipalities_list_and_detail(client, torino):
    body = client.get("/api/v1/municipalities").json()

    assert [m["slug"] for m in body] == ["torino"]
    assert body[0]["istat_code"] == "001272" and body[0]["province"] == "TO"
    assert body[0]["regulation"] == {
        "consultation_days": 15,
        "completeness_check_days": 30,
        "evaluation_days": 60,
        "report_interval_months": 6,
        "ordinary_max_months": 36,
        "complex_max_months": 108,
        "simple_pacts_skip_consultation": False,
    }
    assert len(body[0]["bbox"]) == 4 and body[0]["url"] == "http://testserver/torino/"
    detail = client.get("/api/v1/municipalities/torino").json()
    assert detail["boundary"]["type"] == "MultiPolygon"
    assert client.get("/api/v1/municipalities/nowhere").status_code == 404


@pytest.mark.django_db
def test_districts(client, torino):
    area = {
        "type": "Polygon",
        "coordinates": [[[7.6, 45.0], [7.7, 45.0], [7.7, 45.1], [7.6, 45.1], [7.6, 45.0]]],
    }
    district_create(municipality=torino, name="Centro", number=1, boundary=area)

    body = client.get("/api/v1/torino/districts").json()

    assert body == [
        {
            "slug": "centro",
            "number": 1,
            "name": "Centro",
            "lon": body[0]["lon"],
            "lat": body[0]["lat"],
            "bbox": [7.6, 45.0, 7.7, 45.1],
            "boundary": area,
        }
    ]
    assert client.get("/api/v1/nowhere/districts").status_code == 404
