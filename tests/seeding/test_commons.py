import random
import time

import pytest

from cocity.commons.models import Commons, Hub
from cocity.core import geo
from cocity.municipalities.models import Municipality
from cocity.seeding import accounts as account_seeds
from cocity.seeding import commons as commons_seeds
from cocity.seeding import municipalities as municipality_seeds


def _seed_all() -> float:
    municipality_seeds.seed(rng=random.Random(1))
    account_seeds.seed(rng=random.Random(1))
    start = time.perf_counter()
    commons_seeds.seed(rng=random.Random(1))
    return time.perf_counter() - start


def _snapshot() -> list[tuple[str, str, float | None, float | None]]:
    return sorted(
        Commons.objects.values_list("municipality__slug", "name", "lon", "lat"),
        key=lambda row: (row[0], row[1], row[2] or 0, row[3] or 0),
    )


@pytest.mark.django_db
class TestCommonsSeed:
    def test_catalogue_of_the_demo_cities(self):
        elapsed = _seed_all()

        counts = {m.slug: m.commons.count() for m in Municipality.objects.all()}
        assert 130 <= counts["torino"] <= 170
        assert 20 <= counts["reggio-emilia"] <= 45
        assert 20 <= counts["latina"] <= 45
        assert Hub.objects.filter(commons__municipality__slug="torino").count() >= 8
        assert Hub.objects.filter(commons__municipality__slug="reggio-emilia").exists()
        assert Hub.objects.filter(commons__municipality__slug="latina").exists()
        assert elapsed < 10

    def test_every_positioned_commons_is_inside_its_city_and_a_district(self):
        _seed_all()

        positioned = Commons.objects.exclude(lon=None).select_related("municipality", "district")
        assert positioned.exists()
        for commons in positioned:
            assert geo.contains(commons.municipality.boundary, commons.lon, commons.lat), commons
            assert commons.district is not None, commons
            assert commons.district.municipality_id == commons.municipality_id
        torino = Municipality.objects.get(slug="torino")
        covered = set(torino.commons.exclude(district=None).values_list("district", flat=True))
        assert covered == set(torino.districts.values_list("pk", flat=True))

    def test_catalogue_is_varied(self):
        _seed_all()

        torino = Commons.objects.filter(municipality__slug="torino")
        kinds = set(torino.values_list("kind", flat=True))
        assert kinds == set(Commons.Kind.values)
        assert not torino.filter(kind=Commons.Kind.IMMATERIAL).exclude(lon=None).exists()
        assert Commons.objects.filter(boundary__type="Polygon").exists()
        availability = set(Commons.objects.values_list("availability", flat=True))
        assert availability == set(Commons.Availability.values)
        assert Commons.objects.filter(heritage_constraint=True).exclude(heritage_notes="").exists()
        assert Hub.objects.exclude(run_by=None).exists()
        names = list(torino.values_list("name", flat=True))
        assert len(names) == len(set(names))
        assert "Cascina Roccafranca" in names
        assert all(c.description for c in Commons.objects.all())

    def test_running_again_adds_nothing(self):
        _seed_all()
        before = _snapshot()

        commons_seeds.seed(rng=random.Random(2))

        assert _snapshot() == before

    def test_same_seed_same_catalogue(self):
        _seed_all()
        first = _snapshot()
        Commons.objects.all().delete()

        commons_seeds.seed(rng=random.Random(1))

        assert _snapshot() == first
