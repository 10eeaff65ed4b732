import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocity.commons.models import Commons
from cocity.commons.services import commons_photo_add, hub_set
from tests.commons.factories import VALENTINO, CommonsFactory, many_commons
from tests.documents import jpeg_with_gps, upload


def count_queries(client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
class TestCatalogue:
    def test_filters_by_kind_availability_text_and_district(self, client, torino):
        CommonsFactory(municipality=torino, name="Scuola Pascoli", kind=Commons.Kind.SCHOOL)
        CommonsFactory(
            municipality=torino,
            name="Giardino Lamarmora",
            kind=Commons.Kind.GREEN_AREA,
            availability=Commons.Availability.UNDER_PACT,
            point=VALENTINO,
        )

        def names(query: str) -> list[str]:
            response = client.get(f"/torino/commons/?{query}")
            assert response.status_code == 200
            return [c.name for c in response.context["page"].object_list]

        assert names("") == ["Giardino Lamarmora", "Scuola Pascoli"]
        assert names("kind=school") == ["Scuola Pascoli"]
        assert names("availability=under_pact") == ["Giardino Lamarmora"]
        assert names("q=lamarm") == ["Giardino Lamarmora"]

    def test_bad_filter_value_is_a_form_error_not_a_crash(self, client, torino):
        response = client.get("/torino/commons/?kind=spaceship&bbox=1,2")

        assert response.status_code == 400
        form = response.context["form"]
        assert set(form.errors) == {"kind", "bbox"}
        assert "it-header-wrapper" in response.content.decode()

    def test_list_works_without_javascript(self, client, torino):
        CommonsFactory(municipality=torino, name="Ex bagni di via Agliè")

        html = client.get("/torino/commons/").content.decode()

        assert '<form method="get"' in html
        assert "Ex bagni di via Agliè" in html
        assert 'href="/torino/commons/' in html

    def test_htmx_request_gets_only_the_list(self, client, torino):
        CommonsFactory(municipality=torino, name="Ex bagni")

        response = client.get("/torino/commons/", headers={"HX-Request": "true"})

        assert "<html" not in response.content.decode()
        assert "Ex bagni" in response.content.decode()

    def test_list_follows_a_viewport(self, client, torino):
        CommonsFactory(municipality=torino, name="In centro")  # the Mole
        CommonsFactory(municipality=torino, name="Al Valentino", point=VALENTINO)

        response = client.get("/torino/commons/?bbox=7.690,45.065,7.700,45.075")

        assert [c.name for c in response.context["page"].object_list] == ["In centro"]

    def test_query_counts_do_not_grow_with_the_catalogue(self, client, torino):
        many_commons(torino, 5)
        first = Commons.objects.order_by("id").first()
        urls = [
            "/torino/commons/",
            "/torino/commons/?kind=school&q=Bene",
            first.url_for("torino"),
            "/torino/hubs/",
            "/torino/",
            "/api/v1/torino/commons",
            "/api/v1/torino/commons.geojson?zoom=17&bbox=7.6,45.0,7.8,45.1",
        ]
        for url in urls:  # warm up: per-process lookups cached once, as in production
            client.get(url)
        small = {url: count_queries(client, url) for url in urls}

        many_commons(torino, 400, seed=2)
        for c in Commons.objects.all()[:20]:
            hub_set(actor=None, commons=c, services=["rooms"])
        for url in urls:  # the writes changed the data: figures are computed once again
            client.get(url)

        large = {url: count_queries(client, url) for url in urls}
        assert large == small

    def test_cluster_query_count_does_not_grow_with_the_catalogue(self, client, torino):
        """City, count, the grid's cells, and the commons alone in their cell (when any):
        at most five queries, at 320 commons as at 640."""
        url = "/api/v1/torino/commons.geojson?zoom=12"
        many_commons(torino, 320)
        assert client.get(url).json()["features"][0]["properties"].get("cluster")
        assert count_queries(client, url) <= 5

        many_commons(torino, 320, seed=2)

        assert count_queries(client, url) <= 5


@pytest.mark.django_db
class TestDetail:
    def test_shows_the_facts_photos_and_hub(self, client, torino, media):
        commons = CommonsFactory(
            municipality=torino,
            name="Cascina Roccafranca",
            heritage_constraint=True,
            heritage_notes="Vincolo della Soprintendenza",
        )
        commons_photo_add(
            actor=None,
            commons=commons,
            upload=upload("a.jpg", jpeg_with_gps()),
            alt_text="Il cortile della cascina",
            caption="Il cortile",
        )
        hub_set(actor=None, commons=commons, opening_hours="Lun–Sab 9–23", services=["help_desk"])

        html = client.get(commons.get_absolute_url()).content.decode()

        assert "Cascina Roccafranca" in html
        assert 'alt="Il cortile della cascina"' in html
        assert "Vincolo della Soprintendenza" in html
        assert "Lun–Sab 9–23" in html

    def test_wrong_slug_redirects_and_unknown_id_is_404(self, client, torino):
        commons = CommonsFactory(municipality=torino, name="Cascina")

        response = client.get(f"/torino/commons/{commons.pk}-altro/")
        assert response.status_code == 301
        assert response["Location"] == commons.get_absolute_url()
        assert client.get("/torino/commons/999999-x/").status_code == 404

    def test_commons_of_another_city_is_not_found_here(self, client, torino, reggio):
        commons = CommonsFactory(municipality=torino, name="Cascina")

        assert client.get(f"/reggio-emilia/commons/{commons.pk}-cascina/").status_code == 404

    def test_english_page(self, client, torino):
        commons = CommonsFactory(municipality=torino, name="Cascina")

        html = client.get(
            commons.get_absolute_url(), headers={"accept-language": "en"}
        ).content.decode()

        assert "Owning department" in html


@pytest.mark.django_db
def test_hubs_page_and_city_home_list_the_neighbourhood_houses(client, torino):
    commons = CommonsFactory(municipality=torino, name="Casa del Quartiere di San Salvario")
    hub_set(actor=None, commons=commons, services=["events"])
    CommonsFactory(municipality=torino, name="Non una casa", point=VALENTINO)

    hubs = client.get("/torino/hubs/").content.decode()
    home = client.get("/torino/").content.decode()

    assert "Casa del Quartiere di San Salvario" in hubs and "Non una casa" not in hubs
    assert "Casa del Quartiere di San Salvario" in home
