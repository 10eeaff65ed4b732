from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    funder = forms.CharField(label=_("Funder"), max_length=200)
    budget = forms.DecimalField(label=_("Budget (€)"), min_value=0, max_digits=14, decimal_places=2)
    start_date = forms.DateField(label=_("Start"), widget=DateInput)
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FundingForm(forms.Form):
    number = forms.CharField(
        label=_("Pact number"), max_length=20, help_text=_("e.g. TO-2024-0012")
    )
    amount = forms.DecimalField(label=_("Amount (€)"), min_value=0, max_digits=12, decimal_places=2)
