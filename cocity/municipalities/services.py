"""Writes on municipalities and districts. Only the platform admin (or a provisioning command)
creates municipalities; callers check that before calling."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocity.core import changes, geo
from cocity.core.limits import check_text_lengths
from cocity.core.permissions import can
from cocity.municipalities import reference
from cocity.municipalities.models import (
    RESERVED_SLUGS,
    District,
    Municipality,
    RegulationChange,
)

SETTING_FIELDS = (
    "consultation_days",
    "completeness_check_days",
    "evaluation_days",
    "report_interval_months",
    "ordinary_max_months",
    "complex_max_months",
    "simple_pacts_skip_consultation",
    "city_signs",
)
NOTE_LIMIT = 300


def _geometry_fields(boundary: dict[str, Any] | None) -> dict[str, Any]:
    if boundary is None:
        return {}
    try:
        geo.valid_area(boundary)
    except geo.GeometryError as exc:
        raise ValidationError(
            {"boundary": _("The boundary is not a valid polygon: %(reason)s") % {"reason": exc}}
        ) from exc
    lon, lat = geo.inside_point(boundary)
    return {"boundary": boundary, "lon": lon, "lat": lat, **geo.bounds_fields(boundary)}


def municipality_check_slug(slug: str) -> None:
    """Refuse a slug that is not URL-safe or that a platform page already uses."""
    if slug != slugify(slug) or not slug or slug[0] == "-":
        raise ValidationError(
            {
                "slug": _("The slug %(slug)s may only hold lowercase letters, digits and hyphens.")
                % {"slug": slug}
            }
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": _("The slug %(slug)s is reserved for a page of the platform.")
                % {"slug": slug}
            }
        )


@transaction.atomic
def municipality_create(
    *,
    slug: str,
    name: str,
    istat_code: str | None = None,
    province: str = "",
    region: str = "",
    boundary: dict[str, Any] | None = None,
    **regulation: Any,
) -> Municipality:
    """Create a municipality. Where the ISTAT code (or, failing that, the name) is found in the
    national reference data, the boundary, province and region come from there."""
    municipality_check_slug(slug)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("The name may not be empty.")})
    unknown = set(regulation) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown regulation settings: {sorted(unknown)}")
    if Municipality.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("A municipality with the slug %(slug)s already exists.") % {"slug": slug}}
        )
    if Municipality.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("A municipality named %(name)s already exists.") % {"name": name}}
        )
    ref = reference.by_istat(istat_code) if istat_code else reference.by_name(name)
    if istat_code and ref is None:
        raise ValidationError(
            {
                "istat_code": _("No Italian municipality has the ISTAT code %(code)s.")
                % {"code": istat_code}
            }
        )
    if istat_code and Municipality.objects.filter(istat_code=istat_code).exists():
        raise ValidationError(
            {
                "istat_code": _("A municipality with the ISTAT code %(code)s already exists.")
                % {"code": istat_code}
            }
        )
    if ref is not None and Municipality.objects.filter(istat_code=ref.istat).exists():
        ref = None  # a namesake is already on the platform: do not guess
    municipality = Municipality(
        slug=slug,
        name=name,
        istat_code=ref.istat if ref else None,
        province=province or (ref.province if ref else ""),
        region=region or (ref.region if ref else ""),
        **_geometry_fields(boundary or (ref.boundary if ref else None)),
        **regulation,
    )
    municipality.full_clean()
    municipality.save()
    changes.changed(
        municipality_id=municipality.pk, kind="municipalities.municipality"
    )  # the national figures gain a row
    return municipality


@transaction.atomic
def municipality_update_settings(
    *, municipality: Municipality, actor: Any = None, note: str = "", **values: Any
) -> Municipality:
    """Change regulation settings; deadlines computed from them follow at once. Each change
    is kept in the history (``RegulationChange``) with who recorded it and ``note`` (the act
    it follows). ``actor=None`` is the platform (a command, the seed); otherwise the actor
    needs ``office.change_regulation`` on the municipality."""
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown regulation settings: {sorted(unknown)}")
    regulation_check(actor, municipality)
    check_text_lengths(values={"note": note.strip()}, limits={"note": NOTE_LIMIT})
    locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
    before = {field: getattr(locked, field) for field in values}
    for field, value in values.items():
        setattr(locked, field, value)
    locked.full_clean()
    diff = {f: [before[f], getattr(locked, f)] for f in values if before[f] != getattr(locked, f)}
    if not diff:
        return locked
    locked.save()
    regulation_change_record(municipality=locked, actor=actor, changes=diff, note=note)
    return locked


def regulation_check(actor: Any, municipality: Municipality) -> None:
    """Refuse an actor who may not change the municipality's rules (``None``: the platform)."""
    if actor is not None and not can(actor, "office.change_regulation", municipality):
        raise PermissionDenied(
            _("Only the commons office and the administrators of %(city)s change its rules.")
            % {"city": municipality.name}
        )


def regulation_change_record(
    *, municipality: Municipality, actor: Any, changes: dict[str, list[Any]], note: str
) -> RegulationChange:
    """Keep a change of the regulation settings in their history ({setting: [before, after]})
    and announce it. Called by the services that made the change, which checked the actor."""
    change = RegulationChange.objects.create(
        municipality=municipality,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changes=changes,
        note=note.strip(),
    )
    _announce(municipality)
    return change


def _announce(municipality: Municipality) -> None:
    changes.changed(
        municipality_id=municipality.pk, kind="municipalities.municipality", pk=municipality.pk
    )


@transaction.atomic
def district_create(
    *,
    municipality: Municipality,
    name: str,
    number: int | None = None,
    boundary: dict[str, Any] | None = None,
    slug: str = "",
) -> District:
    district = District(
        municipality=municipality,
        name=name.strip(),
        number=number,
        slug=slug or slugify(name)[:80],
        **_geometry_fields(boundary),
    )
    district.full_clean()
    district.save()
    changes.changed(municipality_id=municipality.pk, kind="municipalities.district", pk=district.pk)
    return district
