"""A list as a spreadsheet: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX.

Pure and streaming: the rows come from an iterator and are written one at a time; the XLSX is
written with openpyxl's write-only mode, which keeps no worksheet in memory, so 100,000 rows cost
a constant amount of memory. Every cell goes through :func:`supplychain.text_safety.spreadsheet_row`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from supplychain.text_safety import spreadsheet_row

FORMATS = ("xlsx", "csv")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class _Echo:
    """A file-like object whose write returns what it was given (for streaming CSV lines)."""

    def write(self, value: str) -> str:
        """Hand the formatted line back instead of writing it."""
        return value


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV file in chunks: a BOM, the header, then one line per row."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff".encode() + writer.writerow(spreadsheet_row(header)).encode("utf-8")
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([_csv_value(v) for v in spreadsheet_row(row)]))
        if len(batch) >= 500:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The whole CSV file."""
    return b"".join(iter_csv(header, rows))


def write_xlsx(out, header: Sequence[str], rows: Iterable[Sequence[object]], sheet_title: str = "Export") -> int:
    """Write the XLSX to a path or binary file object (write-only, streaming); returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    bold = Font(bold=True)
    header_cells = []
    for title in spreadsheet_row(header):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(v) for v in spreadsheet_row(row)])
        count += 1
    workbook.save(out)
    return count


def _xlsx_value(value: object) -> object:
    # A stored text that is a formula after all would be written as a formula by openpyxl when it
    # starts with "="; spreadsheet_row has already prefixed it, so only timezone-aware datetimes remain to fix
    # (Excel has no time zones: the local wall-clock time is written).
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], sheet_title: str = "Export") -> bytes:
    """The whole XLSX file, built in a spooled temporary file (in memory while small)."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        write_xlsx(spool, header, rows, sheet_title)
        spool.seek(0)
        return spool.read()


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Export"
    return cleaned[:31]


def to_bytes(fmt: str, header: Sequence[str], rows: Iterable[Sequence[object]], sheet_title: str = "Export") -> bytes:
    """The file in the format asked for ("xlsx" or "csv")."""
    if fmt == "csv":
        return csv_bytes(header, rows)
    if fmt == "xlsx":
        return xlsx_bytes(header, rows, sheet_title)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "MIMETYPES", "csv_bytes", "iter_csv", "to_bytes", "write_xlsx", "xlsx_bytes"]
