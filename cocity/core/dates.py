"""Dates written in messages and texts the way the pages write them."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format


def short_date(value: dt.date | None, empty: str = "—") -> str:
    """``03/12/2026`` in the active language's short format (cocity/formats/), ``empty`` for
    no date."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else empty
