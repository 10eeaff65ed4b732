import io

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
    commons_update,
    hub_set,
)
from cocity.municipalities.services import district_create
from tests.commons.conftest import MOLE, VALENTINO, add_commons, jpeg_with_gps, upload
from tests.documents import pdf_bytes
from tests.factories import UserFactory, staff


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

        mole = add_commons(torino, "Mole", point=MOLE)
        valentino = add_commons(torino, "Valentino", point=VALENTINO)

        assert mole.district.name == "Est"
        assert valentino.district.name == "Ovest"

    def test_point_outside_the_city_is_refused(self, torino):
        with pytest.raises(ValidationError) as exc:
            add_commons(torino, "Colosseo", point=(12.4922, 41.8902))

        assert exc.value.messages == [
            "Il punto (41.89020, 12.49220) si trova al di fuori del confine del Comune di Torino."
        ]
        assert not Commons.objects.exists()

    def test_point_outside_the_city_is_refused_in_english_too(self, torino):
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            add_commons(torino, "Colosseo", point=(12.4922, 41.8902))

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
        area = {
            "type": "Polygon",
            "coordinates": [
                [
                    [7.684, 45.053],
                    [7.687, 45.053],
                    [7.687, 45.056],
                    [7.684, 45.056],
                    [7.684, 45.053],
                ]
            ],
        }
        commons = commons_create(
            actor=None,
            municipality=torino,
            name="Parco",
            kind=Commons.Kind.GREEN_AREA,
            polygon=area,
        )

        assert commons.boundary == area
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
        commons = add_commons(torino, "Vecchio nome")

        updated = commons_update(
            actor=None, commons=commons, name="Nuovo nome", lon=VALENTINO[0], lat=VALENTINO[1]
        )

        assert (updated.name, updated.slug) == ("Nuovo nome", "nuovo-nome")
        assert (updated.lon, updated.lat) == VALENTINO


@pytest.mark.django_db
class TestPhotos:
    def test_gps_exif_is_stripped_and_a_thumbnail_made(self, torino, media):
        commons = add_commons(torino)
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
        commons = add_commons(torino)

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
        commons = add_commons(torino)

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
        commons = add_commons(torino)

        with pytest.raises(ValidationError):
            commons_photo_add(
                actor=None, commons=commons, upload=upload("p.jpg", jpeg_with_gps()), alt_text="  "
            )
        assert not Photo.objects.exists()


@pytest.mark.django_db
class TestDocumentsAndHubs:
    def test_pdf_is_accepted_and_other_content_refused(self, torino, media):
        commons = add_commons(torino)

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
        commons = add_commons(torino, "Casa del Quartiere")

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
