from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy

from cocity.core.limits import COUNTER_TEMPLATE, TextLimitValidator, limit_help


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names where the form has
    that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def page_forms(sent: forms.BaseForm | None, *empty: forms.BaseForm) -> list[forms.BaseForm]:
    """The forms of a page that holds several, in order: each of ``empty``, except the one
    with the prefix of ``sent`` (the form just sent to its own address and refused), which
    comes back in its place with what was written and its errors."""
    return [sent if sent is not None and form.prefix == sent.prefix else form for form in empty]


class ApiErrorsMixin:
    """For forms that also validate API parameters: one message per parameter at fault."""

    errors: forms.utils.ErrorDict

    def error_messages(self) -> dict[str, str]:
        return {field: " ".join(str(e) for e in errors) for field, errors in self.errors.items()}


class DateInput(forms.DateInput):
    """The browser's date picker (and plain typing without JavaScript). Its value is always
    ISO 8601 (``2027-03-01``), whatever the language: the picker reads nothing else, and a
    value in the local format ("01/03/2027") would show an empty field and be lost at the next
    save. Django's date fields accept ISO input in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; its value is ISO 8601 without seconds
    (``2027-03-01T18:30``), as ``datetime-local`` requires."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class LimitedText(forms.CharField):
    """A text a person writes, with its length limit (``cocity.core.limits``): ``maxlength`` in
    the page and the limit checked on submit, with the limits' message. With ``rows`` it is a
    multi-line text: the help text states the limit (which holds without JavaScript) and
    ``core/text-counter.js`` shows a live count. The browser sends line breaks as ``\\r\\n`` but
    counts them as one character: so does this field, which stores them as ``\\n``."""

    def __init__(self, *, max_length: int, rows: int | None = None, **kwargs: Any) -> None:
        if rows is not None:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
            help_text = kwargs.get("help_text")
            kwargs["help_text"] = (
                format_lazy("{} {}", help_text, limit_help(max_length))
                if help_text
                else limit_help(max_length)
            )
        super().__init__(max_length=max_length, **kwargs)
        # Django's own validator says "Assicurati…"; ours speaks as the rest of the site.
        self.validators = [
            validator for validator in self.validators if type(validator) is not MaxLengthValidator
        ] + [TextLimitValidator(max_length)]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None:  # a field whose empty value is None
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            attrs["data-counter"] = COUNTER_TEMPLATE
        return attrs


def option_tags(choices: Iterable[tuple[Any, Any]], chosen: Collection[str] = ()) -> SafeString:
    """``<option>`` elements for (value, label) pairs, ``selected`` where the value is in
    ``chosen``: written with one escape per value, not a template or ``format_html`` per
    option, for lists of hundreds (every municipality in the city switcher, a city's commons)."""
    rows = [
        f'<option value="{escape(str(value))}"{" selected" if str(value) in chosen else ""}>'
        f"{escape(str(label))}</option>"
        for value, label in choices
    ]
    return SafeString("\n".join(rows))  # nosec B703: every value and label is escaped above


class LongSelect(forms.Select):
    """A ``<select>`` with many options (a city's commons: thousands at national scale),
    written in Python rather than through one template per option, which costs about 0.1 ms
    an option. The same markup as Django's ``Select`` for a single choice without groups."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = option_tags(self.choices, chosen)
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)
