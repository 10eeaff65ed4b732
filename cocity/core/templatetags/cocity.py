from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def control(field: forms.BoundField) -> SafeString:
    """Render a field's widget with the design system's class and the ARIA links to its help
    text and errors."""
    widget = field.field.widget
    attrs: dict[str, str | bool] = {}
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        attrs["class"] = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        attrs["class"] = "form-select"
    elif not isinstance(widget, forms.HiddenInput | forms.FileInput):
        attrs["class"] = "form-control"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
