"""The registry's filters, shared by the page and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import ApiErrorsMixin
from cocity.core.integers import BIGINT_MAX
from cocity.municipalities.models import District, Municipality
from cocity.pacts.models import Category, Stage, Status

NOT_A_COMMONS = _("This is not the number of a commons.")

PUBLIC_STATUSES = [(value, label) for value, label in Status.choices if value != Status.DRAFT]


class PactFilterForm(ApiErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Number, title, objectives or proponent"),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Every stage")), *Stage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *PUBLIC_STATUSES]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    commons = forms.IntegerField(
        label=_("Commons"),
        required=False,
        min_value=1,
        # No id is larger: a larger integer would overflow SQLite's in the query (a 500).
        max_value=BIGINT_MAX,
        widget=forms.HiddenInput,
        error_messages={
            "min_value": NOT_A_COMMONS,
            "max_value": NOT_A_COMMONS,
        },
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        district = self.fields["district"]
        assert isinstance(category, forms.ChoiceField) and isinstance(district, forms.ChoiceField)
        category.choices = [("", _("Every category"))] + [
            (c.slug, c.name) for c in Category.objects.filter(municipality=municipality)
        ]
        district.choices = [("", _("All districts"))] + [
            (d.slug, d.name)
            for d in District.objects.filter(municipality=municipality).only("slug", "name")
        ]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data.get(key) or ("" if key not in {"commons", "year"} else None)
            for key in ("q", "stage", "status", "category", "district", "commons", "year")
        }
