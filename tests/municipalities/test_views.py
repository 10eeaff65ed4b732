import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocity.municipalities.services import district_create
from tests.municipalities.factories import MunicipalityFactory


@pytest.mark.django_db
class TestNationalView:
    def test_lists_every_municipality_with_its_figures(self, client, torino, reggio):
        district_create(municipality=torino, name="Centro", number=1)

        response = client.get("/")

        assert response.status_code == 200
        rows = {row["municipality"].slug: row for row in response.context["rows"]}
        assert set(rows) == {"torino", "reggio-emilia"}
        figures = {f["key"]: f["value"] for f in rows["torino"]["figures"]}
        assert figures["districts"] == 1
        assert 'href="/torino/"' in response.content.decode()

    def test_query_count_does_not_grow_with_municipalities(
        self, client, torino, django_capture_on_commit_callbacks
    ):
        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/").status_code == 200
            return len(ctx.captured_queries)

        few = queries()
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(10):
                MunicipalityFactory()
        assert queries() == few

    def test_a_new_municipality_appears_at_once(
        self, client, torino, django_capture_on_commit_callbacks
    ):
        client.get("/")  # the figures are computed and cached
        with django_capture_on_commit_callbacks(execute=True):
            MunicipalityFactory(slug="palermo", name="Palermo")

        html = client.get("/").content.decode()

        assert html.count('href="/palermo/"') == 2  # in both tables


@pytest.mark.django_db
class TestCityHome:
    def test_answers_in_italian_by_default(self, client, torino):
        response = client.get("/torino/")

        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="it">' in html
        assert "Beni comuni" in html or "beni comuni" in html
        assert "Torino" in html

    def test_answers_in_english_when_asked(self, client, torino):
        response = client.get("/torino/", headers={"accept-language": "en"})

        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "Urban commons in Torino" in html

    def test_language_switch_sticks(self, client, torino):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/torino/"})
        assert response.status_code == 302
        assert response["Location"] == "/torino/"

        assert '<html lang="en">' in client.get("/torino/").content.decode()

    def test_unknown_city_is_a_friendly_404_in_the_layout(self, client, torino):
        response = client.get("/nowhere/")

        assert response.status_code == 404
        html = response.content.decode()
        assert "it-header-wrapper" in html  # the site's header
        assert "nowhere" in html  # says which city was not found
        assert "Traceback" not in html

    def test_unknown_page_is_a_friendly_404(self, client, torino):
        response = client.get("/torino/no/such/page/")

        assert response.status_code == 404
        assert "it-footer" in response.content.decode()

    def test_city_switch_redirects_only_to_cities(self, client, torino):
        assert client.get("/cities/go/", {"city": "torino"})["Location"] == "/torino/"
        assert client.get("/cities/go/", {"city": "//evil.example"})["Location"] == "/"
