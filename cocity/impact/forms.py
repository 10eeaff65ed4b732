from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import ApiErrorsMixin
from cocity.impact.selectors import Filters
from cocity.municipalities.models import District, Municipality
from cocity.pacts.models import Category
from cocity.programmes.models import Programme


class ImpactFilterForm(ApiErrorsMixin, forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=2000, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=2000, max_value=2100)
    district = forms.ChoiceField(label=_("District"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        district, category, programme = fields["district"], fields["category"], fields["programme"]
        assert isinstance(district, forms.ChoiceField)
        assert isinstance(category, forms.ChoiceField)
        assert isinstance(programme, forms.ChoiceField)
        district.choices = [("", _("All districts"))] + list(
            District.objects.filter(municipality=municipality).values_list("slug", "name")
        )
        category.choices = [("", _("Every category"))] + list(
            Category.objects.filter(municipality=municipality).values_list("slug", "name")
        )
        programme.choices = [("", _("Every programme"))] + [
            (str(pk), name)
            for pk, name in Programme.objects.filter(municipality=municipality).values_list(
                "pk", "name"
            )
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError(_("The first year comes after the last."))
        return data

    def to_filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            district=data.get("district") or "",
            category=data.get("category") or "",
            programme=data.get("programme"),
        )
