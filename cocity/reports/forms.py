from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput
from cocity.core.markup import MARKDOWN_HELP


class ActivityForm(forms.Form):
    """Quick to fill in from a phone: the date and what was done come first."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    activity = forms.CharField(label=_("What was done"), max_length=300)
    hours = forms.DecimalField(
        label=_("Hours of volunteering (in all)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, initial=1)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, initial=0)
    materials = forms.CharField(label=_("Materials used"), max_length=300, required=False)
    money_spent = forms.DecimalField(
        label=_("Money spent (€)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        initial=Decimal("0"),
    )
    money_raised = forms.DecimalField(
        label=_("Money raised (€)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        initial=Decimal("0"),
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)


class ReportForm(forms.Form):
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}), help_text=MARKDOWN_HELP
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the parties"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
