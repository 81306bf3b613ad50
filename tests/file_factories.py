"""Files as users upload them, built in memory: an XLSX workbook of rows, a ZIP of named files."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook whose first sheet holds these rows (dates and numbers as Excel stores them)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of these files by name (compressed, so a large file of zeros stays small)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
