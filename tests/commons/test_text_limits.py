"""The texts of the catalogue have limits (issue #11, finding 1): the office's form refuses a
text one character too long with the message and saves nothing, and so do the services, for
every other caller. The limits are named in ``cocity.commons.limits``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cocity.commons import forms, limits
from cocity.commons.models import Commons, Document, Hub, Photo
from cocity.commons.services import (
    commons_create,
    commons_document_add,
    commons_photo_add,
    commons_update,
    hub_set,
)
from tests.commons.factories import MOLE, CommonsFactory
from tests.documents import jpeg_with_gps, upload
from tests.texts import assert_field_holds, over, too_long_message

FORM_FIELDS = [
    (forms.CommonsForm, "name", limits.NAME),
    (forms.CommonsForm, "address", limits.ADDRESS),
    (forms.CommonsForm, "owning_department", limits.OWNING_DEPARTMENT),
    (forms.CommonsForm, "description", limits.DESCRIPTION),
    (forms.CommonsForm, "heritage_notes", limits.HERITAGE_NOTES),
    (forms.CommonsForm, "polygon", limits.POLYGON),
    (forms.PhotoForm, "alt_text", limits.PHOTO_ALT_TEXT),
    (forms.PhotoForm, "caption", limits.PHOTO_CAPTION),
    (forms.DocumentForm, "title", limits.DOCUMENT_TITLE),
    (forms.HubForm, "opening_hours", limits.HUB_OPENING_HOURS),
]


@pytest.mark.parametrize(("form_class", "name", "limit"), FORM_FIELDS)
def test_each_form_field_refuses_one_character_over_its_limit(form_class, name, limit):
    assert_field_holds(form_class, name, limit)


@pytest.mark.django_db
def test_the_office_form_shows_the_message_and_saves_nothing(client, office):
    response = client.post(
        "/torino/office/commons/new/",
        {
            "name": "Ex mercato",
            "kind": "building",
            "availability": "open",
            "lon": str(MOLE[0]),
            "lat": str(MOLE[1]),
            "description": over(limits.DESCRIPTION),
        },
    )

    assert response.status_code == 400
    assert too_long_message(limits.DESCRIPTION) in response.content.decode()
    assert not Commons.objects.exists()


@pytest.mark.django_db
class TestServices:
    @pytest.mark.parametrize(
        ("field", "limit"),
        [
            ("description", limits.DESCRIPTION),
            ("heritage_notes", limits.HERITAGE_NOTES),
            ("address", limits.ADDRESS),
            ("owning_department", limits.OWNING_DEPARTMENT),
        ],
    )
    def test_create_and_update_refuse_a_text_over_its_limit(self, torino, field, limit):
        commons = CommonsFactory(municipality=torino, name="Ex bagni pubblici")

        with pytest.raises(ValidationError) as created:
            CommonsFactory(municipality=torino, name="Ex mercato", **{field: over(limit)})
        with pytest.raises(ValidationError) as updated:
            commons_update(
                actor=None, commons=commons, lon=MOLE[0], lat=MOLE[1], **{field: over(limit)}
            )

        assert created.value.message_dict == {field: [too_long_message(limit)]}
        assert updated.value.message_dict == {field: [too_long_message(limit)]}
        assert list(Commons.objects.values_list("name", flat=True)) == ["Ex bagni pubblici"]
        assert getattr(Commons.objects.get(), field) == getattr(commons, field)

    def test_a_name_over_its_limit_is_refused(self, torino):
        with pytest.raises(ValidationError) as refused:
            commons_create(
                actor=None,
                municipality=torino,
                name=over(limits.NAME),
                kind=Commons.Kind.IMMATERIAL,
            )

        assert refused.value.message_dict == {"name": [too_long_message(limits.NAME)]}
        assert not Commons.objects.exists()

    def test_photo_document_and_hub_texts_are_held_to_their_limits(
        self, torino, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        commons = CommonsFactory(municipality=torino)

        with pytest.raises(ValidationError) as alt:
            commons_photo_add(
                actor=None,
                commons=commons,
                upload=upload("a.jpg", jpeg_with_gps(), "image/jpeg"),
                alt_text=over(limits.PHOTO_ALT_TEXT),
            )
        with pytest.raises(ValidationError) as caption:
            commons_photo_add(
                actor=None,
                commons=commons,
                upload=upload("a.jpg", jpeg_with_gps(), "image/jpeg"),
                alt_text="Il cortile",
                caption=over(limits.PHOTO_CAPTION),
            )
        with pytest.raises(ValidationError) as title:
            commons_document_add(
                actor=None,
                commons=commons,
                upload=upload("a.pdf", b"%PDF-1.4\n"),
                title=over(limits.DOCUMENT_TITLE),
            )
        with pytest.raises(ValidationError) as hours:
            hub_set(actor=None, commons=commons, opening_hours=over(limits.HUB_OPENING_HOURS))

        assert alt.value.message_dict == {"alt_text": [too_long_message(limits.PHOTO_ALT_TEXT)]}
        assert caption.value.message_dict == {"caption": [too_long_message(limits.PHOTO_CAPTION)]}
        assert title.value.message_dict == {"title": [too_long_message(limits.DOCUMENT_TITLE)]}
        assert hours.value.message_dict == {
            "opening_hours": [too_long_message(limits.HUB_OPENING_HOURS)]
        }
        assert not Photo.objects.exists() and not Document.objects.exists()
        assert not Hub.objects.exists()
        assert not list(tmp_path.rglob("*.*"))
