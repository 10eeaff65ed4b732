"""Length limits of the texts people write (docs/decisions/0013-text-limits-and-stored-pdf.md).

Each app names its limits in its own ``limits.py``. This module gives what they share: the one
message, the check that services run before they write anything (so that the API, the seed and
every other caller are held to the limits of the forms), and the validator of the form fields
(``cocity.core.forms.LimitedText``), which uses the same message.

Lengths are counted in characters (Python's ``len``), with line breaks counted once: the form
fields turn the browser's ``\\r\\n`` into ``\\n`` before they count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

# The message of every refusal of a text too long: in the forms, the services and the pages.
TEXT_TOO_LONG = gettext_lazy(
    "This text is too long: %(length)s characters, at most %(limit)s. Please shorten it."
)
# Stated under every multi-line field, so that the limit is known without JavaScript.
LIMIT_HELP = gettext_lazy("At most %(limit)s characters.")
# The live counter of cocity/core/static/core/text-counter.js; {count} and {limit} are filled
# in by the script.
COUNTER_TEMPLATE = gettext_lazy("{count} characters of {limit}")


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def too_long(*, length: int, limit: int) -> ValidationError:
    return ValidationError(
        TEXT_TOO_LONG,
        code="max_length",
        params={"length": _number(length), "limit": _number(limit)},
    )


def _limit_help(limit: int) -> str:
    return str(LIMIT_HELP) % {"limit": _number(limit)}


# Lazy: a form's help text is read in each request's language, not the one active at import.
limit_help = lazy(_limit_help, str)


def check_text_lengths(*, values: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """Refuse, naming each field, every text of ``values`` longer than its limit in
    ``limits``. Values that are not text and fields without a limit are not looked at. Call
    it before anything is written: it changes nothing."""
    errors: dict[str, list[ValidationError]] = {}
    for field, value in values.items():
        limit = limits.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            errors[field] = [too_long(length=len(value), limit=limit)]
    if errors:
        raise ValidationError(errors)


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """Django's ``MaxLengthValidator`` with the message above and grouped numbers."""

    message = TEXT_TOO_LONG

    def __call__(self, value: Any) -> None:
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if len(value) > limit:
            raise too_long(length=len(value), limit=limit)
