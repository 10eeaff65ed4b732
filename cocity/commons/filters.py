"""The filters of the catalogue, shared by the page and the API so that both accept and refuse
the same values with the same messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.commons.models import Commons
from cocity.core.forms import ApiErrorsMixin
from cocity.municipalities.models import District, Municipality


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class CommonsFilterForm(ApiErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, address or description"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Commons.Kind.choices]
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[("", _("Any availability")), *Commons.Availability.choices],
    )
    bbox = forms.CharField(required=False, widget=forms.HiddenInput)
    zoom = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ChoiceField)
        district_field.choices = [("", _("All districts"))] + [
            (d.slug, d.name)
            for d in District.objects.filter(municipality=municipality).only("slug", "name")
        ]

    def clean_bbox(self) -> BBox | None:
        raw = self.cleaned_data.get("bbox") or ""
        if not raw:
            return None
        parts = raw.split(",")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4:
            raise forms.ValidationError(
                _("bbox must be four numbers: minLon,minLat,maxLon,maxLat."), code="bbox"
            )
        min_lon, min_lat, max_lon, max_lat = values
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError(
                _("bbox must have minLon ≤ maxLon within ±180 and minLat ≤ maxLat within ±90."),
                code="bbox",
            )
        return BBox(min_lon, min_lat, max_lon, max_lat)

    def clean_zoom(self) -> int | None:
        raw = self.cleaned_data.get("zoom") or ""
        if not raw:
            return None
        try:
            zoom = int(raw)
        except ValueError:
            zoom = -1
        if not 0 <= zoom <= 22:
            raise forms.ValidationError(_("zoom must be a whole number from 0 to 22."), code="zoom")
        return zoom

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments of the selectors."""
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "kind": data.get("kind") or "",
            "district": data.get("district") or "",
            "availability": data.get("availability") or "",
            "bbox": data.get("bbox"),
        }
