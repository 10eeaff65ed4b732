"""What the tests of the text limits share (docs/decisions/0013): a text one character over a
limit, the message that refuses it, and the check that a form field holds its limit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

TOO_LONG = "Il testo è troppo lungo"


def over(limit: int) -> str:
    return "x" * (limit + 1)


def italian_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def too_long_message(limit: int) -> str:
    return (
        f"{TOO_LONG}: {italian_number(limit + 1)} caratteri, al massimo "
        f"{italian_number(limit)}. Lo accorci, per favore."
    )


def assert_field_holds(form_class, name: str, limit: int) -> None:
    """The form's field refuses one character over ``limit`` with the message, and tells the
    browser the limit."""
    field = form_class.base_fields[name]

    with pytest.raises(ValidationError) as refused:
        field.clean(over(limit))

    assert refused.value.messages == [too_long_message(limit)]
    assert f'maxlength="{limit}"' in field.widget.render(name, "", field.widget_attrs(field.widget))
