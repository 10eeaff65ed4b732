from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput, LimitedText
from cocity.core.markup import MARKDOWN_HELP
from cocity.reports import limits


class ActivityForm(forms.Form):
    """Quick to fill in from a phone: the date and what was done come first."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    activity = LimitedText(label=_("What was done"), max_length=limits.ACTIVITY)
    hours = forms.DecimalField(
        label=_("Hours of volunteering (in all)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    volunteers = forms.IntegerField(label=_("Volunteers"), min_value=0, initial=1)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, initial=0)
    materials = LimitedText(label=_("Materials used"), max_length=limits.MATERIALS, required=False)
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
    results = LimitedText(
        label=_("Results"), max_length=limits.RESULTS, rows=5, help_text=MARKDOWN_HELP
    )
    problems = LimitedText(label=_("Problems"), required=False, max_length=limits.PROBLEMS, rows=3)
    next_steps = LimitedText(
        label=_("Next steps"), required=False, max_length=limits.NEXT_STEPS, rows=3
    )


class ReviewForm(forms.Form):
    note = LimitedText(
        label=_("Note for the parties"), required=False, max_length=limits.REVIEW_NOTE, rows=2
    )
