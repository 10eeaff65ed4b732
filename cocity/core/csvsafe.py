"""CSV that a spreadsheet opens without running anything: the one rule for every CSV the
platform writes (the open-data exports, the impact dashboard, the observatory).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` leaks data on a click,
``=cmd|...`` runs a program through DDE). Such a cell gets an apostrophe in front, as OWASP's
"CSV Injection" page recommends: the spreadsheets show the text as text. Numbers are left
alone (a Python number, or a text that is a plain decimal number such as ``-0.5``: no formula
can hide in one), so that a negative coordinate stays a number. The rule and its reasons are
in docs/opendata.md; JSON and GeoJSON keep the text as typed.

Not ``defusedcsv``: it also rewrites every ``|`` inside such a cell to ``\\|`` (changing the
text a reader gets back) and leaves tabs and carriage returns alone."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV writer should get it: text that a spreadsheet would take for a
    formula with a leading ``'``; anything else (numbers, ``None``, other text) unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """``csv.writer`` with every cell through :func:`csv_cell`."""

    def __init__(self, target: _Writable, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
