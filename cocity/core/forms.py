from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names where the form has
    that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ApiErrorsMixin:
    """For forms that also validate API parameters: one message per parameter at fault."""

    errors: forms.utils.ErrorDict

    def error_messages(self) -> dict[str, str]:
        return {field: " ".join(str(e) for e in errors) for field, errors in self.errors.items()}


class DateInput(forms.DateInput):
    """The browser's date picker (and plain typing without JavaScript)."""

    input_type = "date"
