"""Municipalities and their districts: the root of every domain row."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Top-level paths that are not cities: a municipality may not take one of these as its slug.
RESERVED_SLUGS = frozenset(
    {
        "account",
        "accounts",
        "admin",
        "api",
        "cities",
        "i18n",
        "media",
        "ping",
        "municipalities",
        "catalog.jsonld",
        "static",
        "accessibility",
        "privacy",
        "office",
        "impact",
        "about",
        "login",
        "logout",
        "health",
        "favicon.ico",
        "robots.txt",
    }
)

istat_validator = RegexValidator(r"^\d{6}$", _("The ISTAT code has six digits, e.g. 001272."))


class GeoBoundsMixin(models.Model):
    """GeoJSON geometry kept as JSON, with an indexed bounding box and a point inside it.

    Viewport queries use the indexed numbers; shapely reads ``boundary`` where the exact shape
    matters (point in polygon)."""

    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Municipality(GeoBoundsMixin, models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    istat_code = models.CharField(
        _("ISTAT code"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[istat_validator],
    )
    province = models.CharField(_("province"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    ipa_code = models.CharField(
        _("IPA code"),
        max_length=20,
        blank=True,
        help_text=_("Code of the administration in the Italian public-administration index."),
    )
    website = models.URLField(_("website"), blank=True)

    # Regulation settings (DESIGN.md section 2); defaults follow Turin's regulation 391.
    consultation_days = models.PositiveSmallIntegerField(
        _("consultation period (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    completeness_check_days = models.PositiveSmallIntegerField(
        _("completeness check (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    evaluation_days = models.PositiveSmallIntegerField(
        _("evaluation (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("report interval (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    ordinary_max_months = models.PositiveSmallIntegerField(
        _("maximum duration of ordinary pacts (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    complex_max_months = models.PositiveSmallIntegerField(
        _("maximum duration of complex pacts (months)"),
        default=108,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    simple_pacts_skip_consultation = models.BooleanField(
        _("ordinary pacts skip public consultation"), default=False
    )

    class CitySigner(models.TextChoices):
        MANAGER_OR_EXECUTIVE = "manager_or_executive", _("a manager or the executive")
        MANAGER = "manager", _("a manager (dirigente)")
        EXECUTIVE = "executive", _("the executive (giunta)")

    city_signs = models.CharField(
        _("who signs pacts for the city"),
        max_length=24,
        choices=CitySigner.choices,
        default=CitySigner.MANAGER_OR_EXECUTIVE,
    )
    open_data_licence = models.CharField(
        _("open data licence"), max_length=120, default="CC-BY-4.0"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:home", kwargs={"city": self.slug})

    @property
    def code_prefix(self) -> str:
        """Two letters used in protocol numbers (TO-2026-0042): the province, else the name."""
        return (self.province or self.name[:2]).upper()


class RegulationChange(models.Model):
    """One change of a municipality's regulation settings: what each setting was and became,
    who recorded it, and the act it follows (a deliberation), shown on the office's page and,
    without the person, on the city's public page of rules."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="regulation_changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"consultation_days": [15, 20], …}: the value before and after, as stored.
    changes = models.JSONField(default=dict)
    note = models.CharField(_("reason or act"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("change of the regulation settings")
        verbose_name_plural = _("changes of the regulation settings")

    def __str__(self) -> str:
        return f"{self.municipality} {self.changed_at:%Y-%m-%d}"


class District(GeoBoundsMixin, models.Model):
    """A circoscrizione or quartiere of a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="districts",
        verbose_name=_("municipality"),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)

    class Meta:
        ordering = ["municipality", "number", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="district_unique_slug"),
        ]
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="district_bbox"),
        ]

    def __str__(self) -> str:
        return self.name
