"""Dates written in messages and texts the way the pages write them."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.formats import date_format


def short_date(value: dt.date | None, empty: str = "—") -> str:
    """``03/12/2026`` in the active language's short format (cocity/formats/), ``empty`` for
    no date."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else empty


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), the month's last day where it is shorter:
    31 January + 1 month is 28 or 29 February."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
