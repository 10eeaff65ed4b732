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


def _city_choices(form: forms.Form, municipality: Municipality) -> None:
    """Fill the ``category`` and ``district`` choices with the municipality's own."""
    category = form.fields["category"]
    district = form.fields["district"]
    assert isinstance(category, forms.ChoiceField) and isinstance(district, forms.ChoiceField)
    category.choices = [("", _("Every category"))] + [
        (c.slug, c.name) for c in Category.objects.filter(municipality=municipality)
    ]
    district.choices = [("", _("All districts"))] + [
        (d.slug, d.name)
        for d in District.objects.filter(municipality=municipality).only("slug", "name")
    ]


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
        _city_choices(self, municipality)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data.get(key) or ("" if key not in {"commons", "year"} else None)
            for key in ("q", "stage", "status", "category", "district", "commons", "year")
        }


class WorklistFilterForm(forms.Form):
    """The office's worklist: search and filters (issue #13, item 10)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Number, title or proponent"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, statuses: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _city_choices(self, municipality)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Every status"))] + [
            (value, label) for value, label in Status.choices if value in statuses
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
