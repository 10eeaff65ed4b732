import pytest
from django.core.management import call_command

from cocity.accounts.models import Membership, Organisation, StaffRole, User
from cocity.municipalities.models import District, Municipality


def _snapshot():
    return {
        "cities": sorted(Municipality.objects.values_list("slug", flat=True)),
        "districts": District.objects.count(),
        "users": sorted(User.objects.values_list("email", "display_name")),
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "organisation__name", "role")
        ),
        "roles": StaffRole.objects.count(),
    }


# The foundation's seeders; the other apps test theirs in their own folders.
FOUNDATION = "municipalities,accounts"


@pytest.mark.django_db
def test_seed_builds_the_three_demo_cities_and_is_safe_twice():
    call_command("seed", seed=7, only=FOUNDATION)
    first = _snapshot()
    call_command("seed", seed=7, only=FOUNDATION)

    assert _snapshot() == first
    assert first["cities"] == ["latina", "reggio-emilia", "torino"]
    assert District.objects.filter(municipality__slug="torino").count() == 8
    assert User.objects.get(email="ufficio.torino@example.org").staff_roles.get().role == "office"
    assert User.objects.get(email="admin@example.org").is_superuser


@pytest.mark.django_db
def test_seed_is_deterministic_for_a_given_seed(django_db_blocker):
    call_command("seed", seed=11, only=FOUNDATION)
    first = _snapshot()
    for model in (Membership, StaffRole, Organisation, District, Municipality):
        model.objects.all().delete()
    User.objects.all().delete()

    call_command("seed", seed=11, only=FOUNDATION)

    assert _snapshot() == first


@pytest.mark.django_db
def test_every_district_lies_inside_its_city():
    from shapely.geometry import shape

    call_command("seed", seed=1, only="municipalities")

    for district in District.objects.select_related("municipality"):
        city = shape(district.municipality.boundary).buffer(1e-5)
        assert city.covers(shape(district.boundary)), district.name
