"""Writes on the commons catalogue. Callers pass the acting user (``None`` for the platform
itself: the seed, an import); each service checks ``commons.manage`` first and changes nothing
when it refuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.accounts.models import Organisation, User
from cocity.commons import limits
from cocity.commons.models import Commons, Document, Hub, Photo
from cocity.commons.permissions import check_office
from cocity.core import changes, geo, uploads
from cocity.core.limits import check_text_lengths
from cocity.municipalities.models import Municipality
from cocity.municipalities.selectors import district_at

EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "address",
    "owning_department",
    "availability",
    "heritage_constraint",
    "heritage_notes",
)


def _changed(commons: Commons) -> None:
    changes.changed(municipality_id=commons.municipality_id, kind="commons.commons", pk=commons.pk)


_CATALOGUE_REFUSAL = gettext_lazy("Only the commons office of %(city)s can change its catalogue.")


def _check_actor(actor: User | None, municipality: Municipality) -> None:
    check_office(actor, municipality, _CATALOGUE_REFUSAL)


def _geometry(
    *,
    municipality: Municipality,
    kind: str,
    lon: float | None,
    lat: float | None,
    polygon: dict[str, Any] | None,
) -> dict[str, Any]:
    """The geometry fields of a commons: a Polygon (or MultiPolygon) where given, otherwise a
    Point; refused when outside the municipality. Only immaterial commons may have none."""
    if polygon is not None:
        try:
            shape = geo.valid_area(polygon)
        except geo.GeometryError as exc:
            raise ValidationError(
                {"polygon": _("The polygon is not valid: %(reason)s.") % {"reason": exc}}
            ) from exc
        point = shape.representative_point()
        lon, lat = point.x, point.y
        geometry = geo.plain(polygon)
        if municipality.boundary and not geo.to_shape(municipality.boundary).buffer(0.002).covers(
            shape
        ):
            raise ValidationError(
                {
                    "polygon": _("The polygon lies outside the boundary of %(city)s.")
                    % {"city": municipality.name}
                }
            )
    elif lon is not None and lat is not None:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError({"lon": _("Longitude and latitude are out of range.")})
        if municipality.boundary and not geo.contains(municipality.boundary, lon, lat):
            raise ValidationError(
                {
                    "lon": _(
                        "The point (%(lat).5f, %(lon).5f) lies outside the boundary of %(city)s."
                    )
                    % {"lat": lat, "lon": lon, "city": municipality.name}
                }
            )
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    elif kind == Commons.Kind.IMMATERIAL:
        return {
            "boundary": None,
            "lon": None,
            "lat": None,
            **geo.bounds_fields(None),
            "district": None,
        }
    else:
        raise ValidationError({"lon": _("Give the position of the commons: a point or a polygon.")})
    return {
        "boundary": geometry,
        "lon": lon,
        "lat": lat,
        **geo.bounds_fields(geometry),
        "district": district_at(municipality=municipality, lon=lon, lat=lat),
    }


@transaction.atomic
def commons_create(
    *,
    actor: User | None,
    municipality: Municipality,
    name: str,
    kind: str,
    lon: float | None = None,
    lat: float | None = None,
    polygon: dict[str, Any] | None = None,
    **fields: Any,
) -> Commons:
    """Add a commons; its district is the one whose polygon holds its point."""
    _check_actor(actor, municipality)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    check_text_lengths(values={"name": name.strip(), **fields}, limits=limits.COMMONS_FIELDS)
    commons = Commons(
        municipality=municipality,
        name=name.strip(),
        slug=slugify(name)[:200] or "bene",
        kind=kind,
        **fields,
        **_geometry(municipality=municipality, kind=kind, lon=lon, lat=lat, polygon=polygon),
    )
    commons.full_clean()
    commons.save()
    _changed(commons)
    return commons


@transaction.atomic
def commons_update(
    *,
    actor: User | None,
    commons: Commons,
    lon: float | None = None,
    lat: float | None = None,
    polygon: dict[str, Any] | None = None,
    **fields: Any,
) -> Commons:
    """Change a commons. Position arguments replace the geometry (all ``None`` for an immaterial
    commons removes it)."""
    _check_actor(actor, commons.municipality)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    check_text_lengths(values=fields, limits=limits.COMMONS_FIELDS)
    locked = (
        Commons.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=commons.pk)
    )
    for field, value in fields.items():
        setattr(locked, field, value)
    if "name" in fields:
        locked.name = locked.name.strip()
        locked.slug = slugify(locked.name)[:200] or "bene"
    for field, value in _geometry(
        municipality=locked.municipality, kind=locked.kind, lon=lon, lat=lat, polygon=polygon
    ).items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    _changed(locked)
    return locked


@transaction.atomic
def commons_set_availability(*, commons: Commons, availability: str) -> Commons:
    """Follow the life of the pacts on a commons (called by the pacts' transition service)."""
    if availability not in Commons.Availability.values:
        raise ValidationError({"availability": _("Unknown availability.")})
    Commons.objects.filter(pk=commons.pk).update(availability=availability)
    commons.availability = availability
    _changed(commons)
    return commons


@transaction.atomic
def commons_photo_add(
    *, actor: User | None, commons: Commons, upload: UploadedFile, alt_text: str, caption: str = ""
) -> Photo:
    """Store a photo without its metadata, with a thumbnail made once, here."""
    _check_actor(actor, commons.municipality)
    if not alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the photo for people who cannot see it.")})
    check_text_lengths(
        values={"alt_text": alt_text.strip(), "caption": caption.strip()},
        limits={"alt_text": limits.PHOTO_ALT_TEXT, "caption": limits.PHOTO_CAPTION},
    )
    processed = uploads.process_photo(upload)
    position = commons.photos.count()
    photo = Photo(
        commons=commons,
        alt_text=alt_text.strip(),
        caption=caption.strip(),
        position=position,
        uploaded_by=actor,
    )
    photo.image.save(processed.image.name or "photo", processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name or "thumb", processed.thumbnail, save=False)
    photo.save()
    _changed(commons)
    return photo


@transaction.atomic
def commons_photo_delete(*, actor: User | None, photo: Photo) -> None:
    _check_actor(actor, photo.commons.municipality)
    image, thumbnail = photo.image, photo.thumbnail
    photo.delete()
    _changed(photo.commons)
    # Files go only once the row is gone for good.
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))


@transaction.atomic
def commons_document_add(
    *, actor: User | None, commons: Commons, upload: UploadedFile, title: str
) -> Document:
    _check_actor(actor, commons.municipality)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    check_text_lengths(values={"title": title.strip()}, limits={"title": limits.DOCUMENT_TITLE})
    content_type = uploads.check_document(upload)
    document = Document(
        commons=commons,
        title=title.strip(),
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=actor,
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    _changed(commons)
    return document


@transaction.atomic
def hub_set(
    *,
    actor: User | None,
    commons: Commons,
    opening_hours: str = "",
    services: list[str] | None = None,
    run_by: Organisation | None = None,
    phone: str = "",
    email: str = "",
    website: str = "",
) -> Hub:
    """Make the commons a neighbourhood house, or update its hub profile."""
    _check_actor(actor, commons.municipality)
    services = list(dict.fromkeys(services or []))
    unknown = set(services) - set(Hub.Service.values)
    if unknown:
        raise ValidationError(
            {"services": _("Unknown service: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    check_text_lengths(
        values={"opening_hours": opening_hours.strip()},
        limits={"opening_hours": limits.HUB_OPENING_HOURS},
    )
    hub, _created = Hub.objects.select_for_update().get_or_create(commons=commons)
    hub.opening_hours = opening_hours.strip()
    hub.services = services
    hub.run_by = run_by
    hub.phone, hub.email, hub.website = phone.strip(), email.strip(), website.strip()
    hub.full_clean()
    hub.save()
    _changed(commons)
    return hub


@transaction.atomic
def hub_remove(*, actor: User | None, commons: Commons) -> None:
    _check_actor(actor, commons.municipality)
    Hub.objects.filter(commons=commons).delete()
    _changed(commons)
