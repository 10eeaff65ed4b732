import pytest
from django.core.exceptions import ValidationError

from cocity.municipalities.models import Municipality
from cocity.municipalities.services import (
    district_create,
    municipality_check_slug,
    municipality_create,
)


@pytest.mark.django_db
class TestMunicipalityCreate:
    def test_defaults_follow_the_regulation(self):
        city = municipality_create(slug="palermo", name="Palermo")

        assert (city.consultation_days, city.completeness_check_days, city.evaluation_days) == (
            15,
            30,
            60,
        )
        assert city.report_interval_months == 6
        assert (city.ordinary_max_months, city.complex_max_months) == (36, 108)

    def test_boundary_and_codes_come_from_the_reference_data(self):
        city = municipality_create(slug="palermo", name="Palermo")

        assert city.istat_code == "082053"
        assert (city.province, city.region) == ("PA", "Sicilia")
        assert city.boundary["type"] == "Polygon"
        assert city.min_lon < city.lon < city.max_lon
        assert city.min_lat < city.lat < city.max_lat

    @pytest.mark.parametrize(
        "slug", ["Palermo", "pa lermo", "", "-palermo", "palermo/", "api", "admin", "account"]
    )
    def test_invalid_or_reserved_slug_is_refused(self, slug):
        with pytest.raises(ValidationError) as checked:
            municipality_check_slug(slug)
        with pytest.raises(ValidationError) as exc:
            municipality_create(slug=slug, name="Palermo")

        assert "slug" in checked.value.message_dict and "slug" in exc.value.message_dict
        assert not Municipality.objects.exists()

    @pytest.mark.parametrize("slug", ["palermo", "reggio-emilia", "sant-angelo-2"])
    def test_a_url_safe_slug_passes_the_check(self, slug):
        municipality_check_slug(slug)

    def test_duplicate_name_is_refused(self):
        municipality_create(slug="palermo", name="Palermo")

        with pytest.raises(ValidationError) as exc:
            municipality_create(slug="palermo-2", name="palermo")

        assert "name" in exc.value.message_dict
        assert Municipality.objects.count() == 1

    def test_unknown_istat_code_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            municipality_create(slug="atlantide", name="Atlantide", istat_code="999999")

        assert "istat_code" in exc.value.message_dict
        assert not Municipality.objects.exists()

    def test_self_intersecting_district_is_refused(self, torino):
        bowtie = {
            "type": "Polygon",
            "coordinates": [[[7.6, 45.0], [7.7, 45.1], [7.7, 45.0], [7.6, 45.1], [7.6, 45.0]]],
        }
        with pytest.raises(ValidationError):
            district_create(municipality=torino, name="Bowtie", boundary=bowtie)

        assert not torino.districts.exists()
