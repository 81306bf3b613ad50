"""Cells that stay text: spreadsheet (CSV/XLSX) formula injection is neutralised here, in one place.

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-``, ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a supplier named ``=HYPERLINK("http://evil")``
or ``@SUM(A1)`` would run when a buyer opens the export (OWASP "CSV injection"). Every text cell of
every list export goes through :func:`safe_cell`, which puts an apostrophe in front of such text:
Excel and LibreOffice show the text as typed and never evaluate it. Numbers, dates and booleans are
real values and pass unchanged (a negative number is a number, not a formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

#: Values written as they are (typed cells, never interpreted as formulas).
_TYPED = (int, float, Decimal, date, datetime)

#: XML 1.0 forbids most control characters; openpyxl refuses them, so they are dropped.
_ILLEGAL_XML = {c for c in range(32) if c not in (9, 10, 13)}


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as typed: an apostrophe before a formula trigger,
    control characters that XML cannot carry removed."""
    if any(ord(ch) in _ILLEGAL_XML for ch in text):
        text = "".join(ch for ch in text if ord(ch) not in _ILLEGAL_XML)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_cell(value: object) -> object:
    """A value ready for a CSV or XLSX cell: typed values as they are, everything else safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, _TYPED):
        return value
    return safe_text(str(value))


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row made safe."""
    return [safe_cell(value) for value in values]
