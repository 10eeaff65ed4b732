"""Forms that replace allauth's own (``ACCOUNT_FORMS``). Apart from ``forms.py``: allauth's
forms module imports ``ACCOUNT_SIGNUP_FORM_CLASS`` from there while it loads, so that module
cannot import allauth's forms back."""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from django.core.exceptions import ValidationError


class PasswordResetForm(ResetPasswordForm):
    """The same answer for every well-formed address (docs/decisions/0010): allauth says
    "unknown address" on the page when ``ACCOUNT_PREVENT_ENUMERATION`` is off, which sign-up
    needs (docs/decisions/0002). Here the mailbox alone learns it: an address without an
    account gets allauth's "no account with this address" mail, with a link to sign up."""

    def clean_email(self) -> str:
        try:
            return str(super().clean_email())
        except ValidationError as error:
            if error.code != "unknown_email":
                raise
            # allauth found no user (self.users is empty) and would stop here; save() then
            # sends the unknown-account mail instead of a reset link.
            return str(self.cleaned_data["email"])
