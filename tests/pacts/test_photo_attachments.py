"""Photos as attachments of a proposal (issue #13, item 5): a JPEG or PNG is accepted and
stored re-encoded without its metadata (no GPS position, no camera); a file that is neither a
document nor a photo is refused with a message that says what is accepted, and nothing is
stored."""

import io

import pytest
from PIL import Image

from cocity.pacts.models import Attachment, PactEvent
from tests.documents import jpeg_with_gps, upload
from tests.pacts.factories import PactFactory


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.fixture
def draft(torino):
    return PactFactory(municipality=torino)


def _step(draft) -> str:
    return f"/torino/pacts/drafts/{draft.pk}/attachments/"


@pytest.mark.django_db
def test_a_photo_of_the_place_is_attached_without_its_position(client, draft):
    client.force_login(draft.proponent)
    answer = client.post(
        _step(draft),
        {"title": "Il giardino oggi", "file": upload("IMG_2041.jpg", jpeg_with_gps()), "stay": "1"},
    )
    assert answer.status_code == 302
    attachment = Attachment.objects.get(pact=draft)
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_2041.jpg"
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        exif = image.getexif()
        assert 0x8825 not in exif and 0x0110 not in exif  # no GPS, no camera model
    page = client.get(_step(draft)).content.decode()
    assert "Il giardino oggi" in page


@pytest.mark.django_db
def test_a_png_is_accepted(client, draft):
    client.force_login(draft.proponent)
    client.post(_step(draft), {"title": "Pianta", "file": upload("pianta.png", _png())})
    assert Attachment.objects.get(pact=draft).content_type == "image/png"


@pytest.mark.django_db
def test_another_kind_of_file_is_refused_with_what_is_accepted(client, draft):
    client.force_login(draft.proponent)
    events = PactEvent.objects.filter(pact=draft).count()
    answer = client.post(_step(draft), {"title": "Animazione", "file": upload("gif.gif", _gif())})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "una foto (JPEG, PNG, WebP)" in page
    assert not Attachment.objects.filter(pact=draft).exists()
    assert PactEvent.objects.filter(pact=draft).count() == events


@pytest.mark.django_db
def test_a_file_named_as_a_photo_that_is_not_one_is_refused(client, draft):
    client.force_login(draft.proponent)
    answer = client.post(
        _step(draft), {"title": "Falsa foto", "file": upload("foto.jpg", b"%PDF-1.4 not a photo")}
    )
    assert answer.status_code == 400
    assert "non è un&#x27;immagine" in answer.content.decode()
    assert not Attachment.objects.filter(pact=draft).exists()
