"""The commons of a city (beni comuni) and the neighbourhood houses among them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cocity.accounts.fields import done_by
from cocity.accounts.models import Organisation
from cocity.municipalities.models import District, GeoBoundsMixin, Municipality


class Commons(GeoBoundsMixin, models.Model):
    """A commons. ``boundary`` holds its GeoJSON geometry (a Point, or a Polygon for an area);
    ``lon``/``lat`` a point inside it; the ``min_*``/``max_*`` fields its bounding box."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("Building")
        GREEN_AREA = "green_area", _("Green area")
        SQUARE_STREET = "square_street", _("Square or street")
        SCHOOL = "school", _("School")
        SPORTS_FACILITY = "sports_facility", _("Sports facility")
        IMMATERIAL = "immaterial", _("Immaterial commons")

    class Availability(models.TextChoices):
        OPEN = "open", _("Open to proposals")
        UNDER_PACT = "under_pact", _("Under a pact")
        UNAVAILABLE = "unavailable", _("Not available")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="commons",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commons",
        verbose_name=_("district"),
    )
    owning_department = models.CharField(_("owning department"), max_length=120, blank=True)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.OPEN
    )
    heritage_constraint = models.BooleanField(_("under heritage protection"), default=False)
    heritage_notes = models.TextField(_("heritage constraints"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("commons")
        verbose_name_plural = pgettext_lazy("plural", "commons")
        indexes = [
            models.Index(fields=["municipality", "name", "id"], name="commons_city_name"),
            models.Index(fields=["municipality", "kind"], name="commons_city_kind"),
            models.Index(fields=["municipality", "availability"], name="commons_city_avail"),
            models.Index(fields=["municipality", "lon", "lat"], name="commons_city_point"),
            models.Index(
                fields=["municipality", "min_lon", "max_lon", "min_lat", "max_lat"],
                name="commons_city_bbox",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "commons:detail",
            kwargs={"city": self.municipality.slug, "pk": self.pk, "slug": self.slug},
        )

    def url_for(self, city_slug: str) -> str:
        """The page's URL without loading the municipality (lists know the city already)."""
        return reverse(
            "commons:detail", kwargs={"city": city_slug, "pk": self.pk, "slug": self.slug}
        )


def _upload_path(instance: Photo | Document, folder: str, filename: str) -> str:
    commons = instance.commons
    return f"commons/{commons.municipality_id}/{commons.pk}/{folder}/{filename}"


def photo_upload_path(instance: Photo, filename: str) -> str:
    return _upload_path(instance, "photos", filename)


def document_upload_path(instance: Document, filename: str) -> str:
    return _upload_path(instance, "documents", filename)


class Photo(models.Model):
    """A photo, re-encoded on upload without its metadata (EXIF, GPS), with its thumbnail."""

    commons = models.ForeignKey(Commons, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"), upload_to=photo_upload_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_upload_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = done_by()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class Document(models.Model):
    commons = models.ForeignKey(Commons, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_path)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    uploaded_by = done_by()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Hub(models.Model):
    """The profile of a commons that is a neighbourhood house (Casa del Quartiere)."""

    class Service(models.TextChoices):
        HELP_DESK = "help_desk", _("Help desk for proposals")
        ROOMS = "rooms", _("Rooms for groups and associations")
        EVENTS = "events", _("Events and courses")
        COWORKING = "coworking", _("Coworking")
        CAFE = "cafe", _("Café and meeting place")
        GARDEN = "garden", _("Shared garden")

    commons = models.OneToOneField(Commons, on_delete=models.CASCADE, related_name="hub")
    opening_hours = models.TextField(_("opening hours"), blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    run_by = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hubs",
        verbose_name=_("run by"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("neighbourhood house")
        verbose_name_plural = _("neighbourhood houses")

    def __str__(self) -> str:
        return str(self.commons)

    def service_labels(self) -> list[str]:
        labels = dict(self.Service.choices)
        return [str(labels[s]) for s in self.services if s in labels]
