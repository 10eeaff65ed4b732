import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from PIL import Image

from cocity.accounts.models import StaffRole
from cocity.commons.models import Commons, Document, Hub, Photo
from cocity.commons.services import (
    commons_create,
    commons_document_add,
    commons_photo_add,
    commons_photo_delete,
    commons_set_availability,
    commons_update,
    hub_remove,
    hub_set,
)
from cocity.municipalities.services import district_create
from tests.accounts.factories import UserFactory, staff
from tests.commons.factories import MOLE, PARK_AREA, VALENTINO, CommonsFactory
from tests.documents import jpeg_with_gps, pdf_bytes, upload


@pytest.mark.django_db
class TestCommonsCreate:
    def test_district_is_found_from_the_point(self, torino):
        west = {
            "type": "Polygon",
            "coordinates": [[[7.5, 44.9], [7.69, 44.9], [7.69, 45.2], [7.5, 45.2], [7.5, 44.9]]],
        }
        east = {
            "type": "Polygon",
            "coordinates": [[[7.69, 44.9], [7.8, 44.9], [7.8, 45.2], [7.69, 45.2], [7.69, 44.9]]],
        }
        district_create(municipality=torino, name="Ovest", boundary=west)
        district_create(municipality=torino, name="Est", boundary=east)

        mole = CommonsFactory(municipality=torino, name="Mole", point=MOLE)
        valentino = CommonsFactory(municipality=torino, name="Valentino", point=VALENTINO)

        assert mole.district.name == "Est"
        assert valentino.district.name == "Ovest"

    def test_point_outside_the_city_is_refused(self, torino):
        with pytest.raises(ValidationError) as exc:
            CommonsFactory(municipality=torino, name="Colosseo", point=(12.4922, 41.8902))

        assert exc.value.messages == [
            "Il punto (41.89020, 12.49220) si trova al di fuori del confine del Comune di Torino."
        ]
        assert not Commons.objects.exists()

    def test_point_outside_the_city_is_refused_in_english_too(self, torino):
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            CommonsFactory(municipality=torino, name="Colosseo", point=(12.4922, 41.8902))

        assert exc.value.messages == [
            "The point (41.89020, 12.49220) lies outside the boundary of Torino."
        ]

    def test_self_intersecting_polygon_is_refused(self, torino):
        bowtie = {
            "type": "Polygon",
            "coordinates": [
                [[7.68, 45.06], [7.69, 45.07], [7.69, 45.06], [7.68, 45.07], [7.68, 45.06]]
            ],
        }
        with pytest.raises(ValidationError) as exc:
            commons_create(
                actor=None,
                municipality=torino,
                name="Farfalla",
                kind=Commons.Kind.GREEN_AREA,
                polygon=bowtie,
            )

        assert "polygon" in exc.value.message_dict
        assert not Commons.objects.exists()

    def test_polygon_keeps_its_shape_and_bounding_box(self, torino):
        commons = CommonsFactory(
            municipality=torino, name="Parco", kind=Commons.Kind.GREEN_AREA, polygon=PARK_AREA
        )

        assert commons.boundary == PARK_AREA
        assert (commons.min_lon, commons.min_lat, commons.max_lon, commons.max_lat) == (
            7.684,
            45.053,
            7.687,
            45.056,
        )
        assert commons.min_lon < commons.lon < commons.max_lon

    def test_immaterial_commons_needs_no_position(self, torino):
        commons = commons_create(
            actor=None,
            municipality=torino,
            name="Memoria del quartiere",
            kind=Commons.Kind.IMMATERIAL,
        )
        assert commons.boundary is None and commons.lon is None

    def test_a_building_needs_a_position(self, torino):
        with pytest.raises(ValidationError):
            commons_create(
                actor=None, municipality=torino, name="Senza luogo", kind=Commons.Kind.BUILDING
            )
        assert not Commons.objects.exists()

    def test_only_the_office_may_write(self, torino, reggio):
        citizen = UserFactory()
        other_office = staff(municipality=reggio, role=StaffRole.Role.OFFICE)
        manager = staff(municipality=torino, role=StaffRole.Role.MANAGER)
        for actor in (citizen, other_office, manager):
            with pytest.raises(PermissionDenied):
                commons_create(
                    actor=actor,
                    municipality=torino,
                    name="X",
                    kind=Commons.Kind.BUILDING,
                    lon=MOLE[0],
                    lat=MOLE[1],
                )
        assert not Commons.objects.exists()

        office = staff(municipality=torino, role=StaffRole.Role.OFFICE)
        commons_create(
            actor=office,
            municipality=torino,
            name="X",
            kind=Commons.Kind.BUILDING,
            lon=MOLE[0],
            lat=MOLE[1],
        )
        assert Commons.objects.count() == 1

    def test_update_moves_the_point_and_renames(self, torino):
        commons = CommonsFactory(municipality=torino, name="Vecchio nome")

        updated = commons_update(
            actor=None, commons=commons, name="Nuovo nome", lon=VALENTINO[0], lat=VALENTINO[1]
        )

        assert (updated.name, updated.slug) == ("Nuovo nome", "nuovo-nome")
        assert (updated.lon, updated.lat) == VALENTINO


@pytest.mark.django_db
class TestPhotos:
    def test_gps_exif_is_stripped_and_a_thumbnail_made(self, torino, media):
        commons = CommonsFactory(municipality=torino)
        original = Image.open(io.BytesIO(jpeg_with_gps()))
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries GPS data

        photo = commons_photo_add(
            actor=None,
            commons=commons,
            upload=upload("p.jpg", jpeg_with_gps(), "image/jpeg"),
            alt_text="La facciata",
            caption="Ingresso",
        )

        stored = Image.open(photo.image.path)
        assert not stored.getexif()
        with open(photo.image.path, "rb") as stored_file:
            assert b"Camera Segreta" not in stored_file.read()
        assert Image.open(photo.thumbnail.path).size[0] <= 480
        assert (photo.width, photo.height) == (64, 48)

    @pytest.mark.parametrize("content", [b"%PDF-1.7 not an image", b"GIF89a" + b"\0" * 40, b""])
    def test_a_file_that_is_not_an_accepted_image_is_refused(self, torino, media, content):
        commons = CommonsFactory(municipality=torino)

        with pytest.raises(ValidationError):
            commons_photo_add(
                actor=None,
                commons=commons,
                upload=upload("fake.jpg", content, "image/jpeg"),
                alt_text="x",
            )

        assert not Photo.objects.exists()
        assert not list(media.rglob("*.jpg")) if media.exists() else True

    def test_a_photo_over_the_size_limit_is_refused(self, torino, media, settings):
        settings.MAX_UPLOAD_BYTES = 1000
        commons = CommonsFactory(municipality=torino)

        with pytest.raises(ValidationError) as exc:
            commons_photo_add(
                actor=None,
                commons=commons,
                upload=upload("big.jpg", jpeg_with_gps() + b"\0" * 2000),
                alt_text="x",
            )

        assert "MB" in exc.value.messages[0]
        assert not Photo.objects.exists()

    def test_alternative_text_is_required(self, torino, media):
        commons = CommonsFactory(municipality=torino)

        with pytest.raises(ValidationError):
            commons_photo_add(
                actor=None, commons=commons, upload=upload("p.jpg", jpeg_with_gps()), alt_text="  "
            )
        assert not Photo.objects.exists()


@pytest.mark.django_db
class TestDocumentsAndHubs:
    def test_pdf_is_accepted_and_other_content_refused(self, torino, media):
        commons = CommonsFactory(municipality=torino)

        doc = commons_document_add(
            actor=None,
            commons=commons,
            upload=upload("scheda.pdf", pdf_bytes()),
            title="Scheda",
        )
        assert doc.content_type == "application/pdf"

        with pytest.raises(ValidationError):
            commons_document_add(
                actor=None,
                commons=commons,
                upload=upload("virus.pdf", b"MZ\x90\x00 executable"),
                title="X",
            )
        assert Document.objects.count() == 1

    def test_hub_profile(self, torino):
        commons = CommonsFactory(municipality=torino, name="Casa del Quartiere")

        hub = hub_set(
            actor=None,
            commons=commons,
            opening_hours="Lun–Ven 9–22",
            services=["help_desk", "rooms", "help_desk"],
        )

        assert hub.services == ["help_desk", "rooms"]
        with pytest.raises(ValidationError):
            hub_set(actor=None, commons=commons, services=["teleport"])
        assert Hub.objects.get().services == ["help_desk", "rooms"]


@pytest.mark.django_db
class TestRemovals:
    """What the office takes away: a photo (its files too, once the removal is committed), a
    neighbourhood house's profile; anyone else is refused and nothing goes."""

    def _photo(self, commons):
        return commons_photo_add(
            actor=None,
            commons=commons,
            upload=upload("p.jpg", jpeg_with_gps(), "image/jpeg"),
            alt_text="La facciata",
        )

    def test_the_office_deletes_a_photo_and_its_files(
        self, torino, media, django_capture_on_commit_callbacks
    ):
        commons = CommonsFactory(municipality=torino)
        photo = self._photo(commons)
        files = [Path(photo.image.path), Path(photo.thumbnail.path)]

        with django_capture_on_commit_callbacks(execute=True):
            commons_photo_delete(actor=staff(municipality=torino), photo=photo)

        assert not commons.photos.exists()
        assert not any(f.exists() for f in files)

    def test_a_citizen_or_another_citys_office_cannot_delete_a_photo(
        self, torino, reggio, media, django_capture_on_commit_callbacks
    ):
        photo = self._photo(CommonsFactory(municipality=torino))

        for actor in (UserFactory(), staff(municipality=reggio)):
            with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
                commons_photo_delete(actor=actor, photo=photo)

        assert Photo.objects.filter(pk=photo.pk).exists()
        assert Path(photo.image.path).exists() and Path(photo.thumbnail.path).exists()

    def test_the_office_removes_the_hub_and_the_commons_stays(self, torino):
        commons = CommonsFactory(municipality=torino, name="Casa del Quartiere")
        hub_set(actor=None, commons=commons, services=["rooms"])

        hub_remove(actor=staff(municipality=torino), commons=commons)

        assert not Hub.objects.exists()
        assert Commons.objects.filter(pk=commons.pk).exists()

    def test_a_citizen_cannot_remove_the_hub(self, torino):
        commons = CommonsFactory(municipality=torino, name="Casa del Quartiere")
        hub_set(actor=None, commons=commons, services=["rooms"])

        with pytest.raises(PermissionDenied):
            hub_remove(actor=UserFactory(), commons=commons)

        assert Hub.objects.get(commons=commons).services == ["rooms"]


@pytest.mark.django_db
class TestAvailability:
    def test_the_availability_follows_the_pacts_and_shows_on_the_page(self, client, torino):
        commons = CommonsFactory(municipality=torino)

        commons_set_availability(commons=commons, availability=Commons.Availability.UNDER_PACT)

        assert Commons.objects.get(pk=commons.pk).availability == Commons.Availability.UNDER_PACT
        assert commons.availability == Commons.Availability.UNDER_PACT
        assert (
            str(Commons.Availability.UNDER_PACT.label)
            in client.get(commons.get_absolute_url()).content.decode()
        )

    def test_an_unknown_availability_is_refused(self, torino):
        commons = CommonsFactory(municipality=torino)

        with pytest.raises(ValidationError):
            commons_set_availability(commons=commons, availability="demolished")

        assert Commons.objects.get(pk=commons.pk).availability == Commons.Availability.OPEN
