import pytest

from cocity.accounts.models import StaffRole
from cocity.commons.models import Commons, Hub, Photo
from tests.accounts.factories import UserFactory, staff
from tests.commons.factories import MOLE, CommonsFactory
from tests.documents import jpeg_with_gps, upload

ACTORS = [
    "anonymous",
    "citizen",
    "turin_office",
    "turin_admin",
    "turin_manager",
    "reggio_office",
    "platform_admin",
]
MAY_MANAGE = {"turin_office", "turin_admin", "platform_admin"}


def _actor(name, torino, reggio):
    if name == "anonymous":
        return None
    if name == "citizen":
        return UserFactory()
    if name == "platform_admin":
        return UserFactory(is_platform_admin=True)
    city, role = name.split("_")
    return staff(municipality=torino if city == "turin" else reggio, role=role)


def _new(**overrides):
    data = {
        "name": "Ex mercato",
        "kind": "building",
        "availability": "open",
        "lon": str(MOLE[0]),
        "lat": str(MOLE[1]),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTORS)
def test_who_may_add_a_commons(client, torino, reggio, name):
    actor = _actor(name, torino, reggio)
    if actor:
        client.force_login(actor)

    response = client.post("/torino/office/commons/new/", _new())

    if name in MAY_MANAGE:
        assert response.status_code == 302
        assert Commons.objects.get().name == "Ex mercato"
    else:
        assert response.status_code in {302, 403}
        if name == "anonymous":
            assert response["Location"].startswith("/account/login/")
        assert not Commons.objects.exists()


@pytest.mark.django_db
class TestOfficeForms:
    def test_point_outside_the_city_is_a_clear_form_error(self, client, office):
        response = client.post("/torino/office/commons/new/", _new(lon="12.4922", lat="41.8902"))

        assert response.status_code == 400
        assert "Torino" in " ".join(response.context["form"].errors["lon"])
        assert not Commons.objects.exists()

    def test_invalid_polygon_json_is_a_form_error(self, client, office):
        response = client.post(
            "/torino/office/commons/new/", _new(lon="", lat="", polygon="{not json")
        )

        assert response.status_code == 400
        assert response.context["form"].errors["polygon"]
        assert not Commons.objects.exists()

    def test_photo_upload_through_the_form_strips_gps(self, client, office, torino, media):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/photos/",
            {
                "photo-image": upload("gps.jpg", jpeg_with_gps(), "image/jpeg"),
                "photo-alt_text": "La facciata",
                "photo-caption": "",
            },
        )

        assert response.status_code == 302
        photo = Photo.objects.get()
        served = client.get(photo.image.url)
        assert served.status_code == 200
        content = b"".join(served.streaming_content) if served.streaming else served.content
        assert b"Camera Segreta" not in content and b"GPS" not in content

    def test_not_an_image_is_refused_with_a_message(self, client, office, torino, media):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/photos/",
            {
                "photo-image": upload("x.jpg", b"hello", "image/jpeg"),
                "photo-alt_text": "x",
            },
        )

        assert response.status_code == 400
        assert response.context["photo_form"].errors["image"]
        assert not Photo.objects.exists()

    def test_hub_profile_set_and_removed(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)
        url = f"/torino/office/commons/{commons.pk}/hub/"

        client.post(
            url,
            {
                "hub-is_hub": "on",
                "hub-services": ["rooms"],
                "hub-opening_hours": "9–18",
            },
        )
        assert Hub.objects.get().services == ["rooms"]
        client.post(url, {})
        assert not Hub.objects.exists()

    def test_edit_changes_availability(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/",
            {
                "commons-name": commons.name,
                "commons-kind": "building",
                "commons-availability": "under_pact",
                "commons-lon": str(MOLE[0]),
                "commons-lat": str(MOLE[1]),
            },
        )

        assert response.status_code == 302
        commons.refresh_from_db()
        assert commons.availability == "under_pact"


@pytest.mark.django_db
class TestEachFormHasItsAddress:
    """The page of a commons sends each of its forms to an address of its own (issue #12)."""

    def test_the_page_names_each_address(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)
        page = f"/torino/office/commons/{commons.pk}/"

        html = client.get(page).content.decode()

        for address in ("", "photos/", "documents/", "hub/"):
            assert f'action="{page}{address}"' in html, address
        assert 'name="action"' not in html

    def test_a_wrong_hub_address_is_the_page_again_with_the_error(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/hub/",
            {"hub-is_hub": "on", "hub-email": "not an address"},
        )

        assert response.status_code == 400
        assert response.context["hub_form"].errors["email"]
        html = response.content.decode()
        assert 'name="photo-image"' in html and 'name="commons-name"' in html
        assert not Hub.objects.exists()

    def test_an_empty_name_is_the_page_again_with_the_error(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)

        response = client.post(
            f"/torino/office/commons/{commons.pk}/",
            {
                "commons-name": "",
                "commons-kind": "building",
                "commons-availability": "open",
                "commons-lon": str(MOLE[0]),
                "commons-lat": str(MOLE[1]),
            },
        )

        assert response.status_code == 400
        assert response.context["form"].errors["name"]
        assert 'name="hub-is_hub"' in response.content.decode()
        assert Commons.objects.get(pk=commons.pk).name == commons.name

    def test_a_get_of_a_form_address_goes_to_the_page(self, client, office, torino):
        commons = CommonsFactory(municipality=torino)

        response = client.get(f"/torino/office/commons/{commons.pk}/photos/")

        assert response.status_code == 302
        assert response["Location"] == f"/torino/office/commons/{commons.pk}/"

    @pytest.mark.parametrize("address", ["", "photos/", "documents/", "hub/"])
    def test_a_role_that_does_not_manage_the_catalogue_gets_a_403(self, client, torino, address):
        commons = CommonsFactory(municipality=torino)
        client.force_login(staff(municipality=torino, role=StaffRole.Role.MANAGER))

        response = client.post(
            f"/torino/office/commons/{commons.pk}/{address}",
            {"commons-name": "Altro nome", "hub-is_hub": "on"},
            headers={"accept-language": "en"},
        )

        assert response.status_code == 403
        assert "does not give access to this page" in response.content.decode()
        assert Commons.objects.get(pk=commons.pk).name == commons.name
        assert not Hub.objects.exists() and not Photo.objects.exists()
