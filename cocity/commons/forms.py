from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cocity.accounts.models import Organisation
from cocity.commons import limits
from cocity.commons.models import Commons, Hub
from cocity.core.forms import LimitedText
from cocity.core.markup import MARKDOWN_HELP


def _label(field: str) -> Any:
    model_field = Commons._meta.get_field(field)
    assert isinstance(model_field, models.Field)
    return model_field.verbose_name


class CommonsForm(forms.ModelForm[Commons]):
    """The office's form. The position is a point (typed, or clicked on the map) or a polygon
    pasted as GeoJSON."""

    lon = forms.FloatField(
        label=_("Longitude"), required=False, help_text=_("Decimal degrees, e.g. 7.6869 (WGS 84).")
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, help_text=_("Decimal degrees, e.g. 45.0703 (WGS 84).")
    )
    polygon = LimitedText(
        label=_("Area (GeoJSON polygon)"),
        required=False,
        max_length=limits.POLYGON,
        rows=3,
        help_text=_("Optional: paste a GeoJSON Polygon to record an area instead of a point."),
    )
    # The model's texts, with their limits (cocity.commons.limits) and the model's labels.
    name = LimitedText(label=capfirst(_label("name")), max_length=limits.NAME)
    address = LimitedText(
        label=capfirst(_label("address")), max_length=limits.ADDRESS, required=False
    )
    owning_department = LimitedText(
        label=capfirst(_label("owning_department")),
        max_length=limits.OWNING_DEPARTMENT,
        required=False,
    )
    description = LimitedText(
        label=capfirst(_label("description")),
        max_length=limits.DESCRIPTION,
        rows=5,
        required=False,
        help_text=MARKDOWN_HELP,
    )
    heritage_notes = LimitedText(
        label=capfirst(_label("heritage_notes")),
        max_length=limits.HERITAGE_NOTES,
        rows=2,
        required=False,
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
    alt_text = LimitedText(
        label=_("Alternative text"),
        max_length=limits.PHOTO_ALT_TEXT,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = LimitedText(label=_("Caption"), max_length=limits.PHOTO_CAPTION, required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, OpenDocument or Office)"))
    title = LimitedText(label=_("Title"), max_length=limits.DOCUMENT_TITLE)


class HubForm(forms.Form):
    is_hub = forms.BooleanField(label=_("This commons is a neighbourhood house"), required=False)
    opening_hours = LimitedText(
        label=_("Opening hours"), required=False, max_length=limits.HUB_OPENING_HOURS, rows=3
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
