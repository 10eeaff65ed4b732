from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.accounts.models import Organisation
from cocity.commons.models import Commons, Hub
from cocity.core.markup import MARKDOWN_HELP


class CommonsForm(forms.ModelForm[Commons]):
    """The office's form. The position is a point (typed, or clicked on the map) or a polygon
    pasted as GeoJSON."""

    lon = forms.FloatField(
        label=_("Longitude"), required=False, help_text=_("Decimal degrees, e.g. 7.6869 (WGS 84).")
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, help_text=_("Decimal degrees, e.g. 45.0703 (WGS 84).")
    )
    polygon = forms.CharField(
        label=_("Area (GeoJSON polygon)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: paste a GeoJSON Polygon to record an area instead of a point."),
    )

    class Meta:
        model = Commons
        fields = [
            "name",
            "kind",
            "availability",
            "address",
            "owning_department",
            "description",
            "heritage_constraint",
            "heritage_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "heritage_notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"description": MARKDOWN_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.boundary:
            if instance.boundary.get("type") == "Point":
                self.initial.setdefault("lon", instance.lon)
                self.initial.setdefault("lat", instance.lat)
            else:
                self.initial.setdefault("polygon", json.dumps(instance.boundary))

    def clean_polygon(self) -> dict[str, Any] | None:
        raw = (self.cleaned_data.get("polygon") or "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
            raise forms.ValidationError(_("Paste a GeoJSON Polygon or MultiPolygon."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise forms.ValidationError(_("Give both longitude and latitude, or neither."))
        return data


class PhotoForm(forms.Form):
    # A plain file field: the service reads the content and gives the one message for all.
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))
    alt_text = forms.CharField(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=250, required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, OpenDocument or Office)"))
    title = forms.CharField(label=_("Title"), max_length=200)


class HubForm(forms.Form):
    is_hub = forms.BooleanField(label=_("This commons is a neighbourhood house"), required=False)
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=Hub.Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    run_by = forms.ModelChoiceField(
        label=_("Run by"), required=False, queryset=Organisation.objects.order_by("name")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False)
