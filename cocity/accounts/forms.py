from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cocity.accounts.limits import ORGANISATION_DESCRIPTION
from cocity.accounts.models import Membership, Organisation, User
from cocity.core.forms import LimitedText
from cocity.core.markup import MARKDOWN_HELP


class SignupExtraForm(forms.Form):
    """Fields that allauth's sign-up form adds to e-mail and password."""

    display_name = forms.CharField(
        label=_("Name and surname"),
        max_length=150,
        help_text=_("Shown to the office and, only if you agree, in public registers."),
    )
    show_name_publicly = forms.BooleanField(
        label=_("Show my name in public registers"), required=False
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.show_name_publicly = self.cleaned_data["show_name_publicly"]
        user.save(update_fields=["display_name", "show_name_publicly"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name and surname"), max_length=150)
    show_name_publicly = forms.BooleanField(
        label=_("Show my name in public registers"),
        required=False,
        help_text=_("Otherwise public pages show “a citizen” instead of your name."),
    )


class OrganisationForm(forms.ModelForm[Organisation]):
    # The limit of cocity.accounts.limits (docs/decisions/0013), with a counter in the page.
    description = LimitedText(
        label=_("Description"),
        max_length=ORGANISATION_DESCRIPTION,
        rows=4,
        required=False,
        help_text=MARKDOWN_HELP,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "informal",
            "tax_code",
            "email",
            "website",
            "description",
            "municipality",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.empty_label = _("— none —")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
