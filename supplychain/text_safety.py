"""Text that travels into spreadsheets, file names and pages: formula injection and invisible characters.

Pure functions, no Flask, no database: every CSV and XLSX the application writes passes its cells
through `spreadsheet_cell`, and names typed or imported pass through `strip_controls`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

# A cell starting with one of these is a formula (or starts one) in Excel, LibreOffice and Google Sheets;
# tab and carriage return come first in some injection payloads (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NAME_FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def strip_controls(text: str | None, keep_newlines: bool = False) -> str:
    """The text without control characters (C0, C1, DEL) and invisible format characters: bidirectional
    overrides and isolates (U+202A–U+202E, U+2066–U+2069, which can make "exe.pdf" read as "fdp.exe"),
    zero-width characters and the byte-order mark. Newlines survive when `keep_newlines`."""
    if not text:
        return text or ""
    if text.isprintable():
        return text  # no Cc or Cf character (str.isprintable is False for both): most names, checked in C
    kept = []
    for char in text:
        if keep_newlines and char in "\n\t":
            kept.append(char)
        elif unicodedata.category(char) not in ("Cc", "Cf"):
            kept.append(char)
    return "".join(kept)


def starts_like_formula(text: str | None) -> bool:
    """Whether a name would start a spreadsheet formula (=, +, -, @, full-width forms included)."""
    return bool(text) and text.lstrip().startswith(NAME_FORMULA_STARTS)


# XML 1.0 (and so XLSX) cannot carry most C0 control characters (all but tab, newline and carriage
# return); openpyxl refuses them. One pattern: an export checks a million cells.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_cell(value):
    """A value safe to put in a CSV or XLSX cell: text that a spreadsheet would read as a formula gets a
    leading apostrophe (shown as text, never evaluated), control characters XML cannot carry are dropped;
    numbers, dates, booleans, None and numeric text are unchanged; anything else (a translated label) is text."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    value = str(value)
    if not value:
        return value
    if _ILLEGAL_XML.search(value):
        value = _ILLEGAL_XML.sub("", value)
    if value.lstrip(" ").startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value.strip()):
        return "'" + value
    return value


def spreadsheet_row(values) -> list:
    """Every cell of a row through `spreadsheet_cell`."""
    return [spreadsheet_cell(value) for value in values]
