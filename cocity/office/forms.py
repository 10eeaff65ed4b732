from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.accounts.models import StaffRole
from cocity.municipalities.models import District, Municipality
from cocity.municipalities.services import SETTING_FIELDS


class StaffRoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the user"))
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
    department = forms.CharField(
        label=_("Department"),
        max_length=120,
        required=False,
        help_text=_("For department staff: Patrimonio, Verde pubblico, Scuole…"),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("For district staff."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = District.objects.filter(municipality=municipality)
        district_field.empty_label = _("— none —")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What uses it, e.g. the front desk's system"),
    )


class RegulationNoteForm(forms.Form):
    """The act a change of the regulation follows (kept in the history of the changes)."""

    note = forms.CharField(
        label=_("Reason or act"),
        max_length=300,
        required=False,
        help_text=_("For example: Deliberation of the Council no. 45 of 12/03/2026."),
    )


class RegulationForm(RegulationNoteForm):
    """The municipality's regulation settings, with the act the change follows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Municipality, fields=SETTING_FIELDS)
        self.fields = {**fields, "note": self.fields["note"]}


class ArticleForm(forms.Form):
    """An article of the model pact; left empty, it is removed."""

    title = forms.CharField(label=_("Title of the article"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text of the article"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


ArticleFormSet = forms.formset_factory(ArticleForm, extra=1, max_num=40)
