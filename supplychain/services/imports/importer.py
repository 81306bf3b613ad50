"""Bulk import of suppliers from CSV or XLSX: read, check every row, then save all or nothing.

Three steps, so the web preview, the confirm step, the background job and the CLI share them:

* `read_file(filename, data, encoding, mapping)`: pure; bytes in, rows (with their line numbers), the
  encoding used, the header found, notes and file problems out. Headers are recognised in Chinese and
  English (supplychain.importing.columns), a title above and a two-row header are handled, and only
  the name column is required.
* `check_rows(session, rows, today, options)`: the registry's own rules per row
  (`suppliers.clean_supplier` and `registration_checks.CHECKS`), duplicates against the registry and
  inside the file, looked up in bulk; for each update the fields that would change. Returns an
  `ImportPlan` with errors, warnings (to accept) and notes apart; nothing is written.
* `apply_plan(session, plan, actor)`: creates and updates, each with its audit entry; refuses a
  plan with errors, or with warnings nobody accepted. The caller commits once.

A row is matched to an existing supplier by its Unified Social Credit Code; a row without one
(overseas suppliers) by its normalised name among suppliers without a code. So importing the
same file twice updates and never duplicates, and an empty cell never erases a stored value
unless the user asks for it (`ImportOptions.blank_erases`).

A migration (`ImportOptions.migration`, admins only, with a reason) also brings over the status of an
existing supply base, the day it holds since and the categories the supplier is qualified for; the
audit log keeps the reason as the origin of each status.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import bulk_load, db, import_labels, regions, scope
from supplychain import credit_code as uscc
from supplychain.bulk_insert import insert_rows, pipelined, reserve_ids
from supplychain.gc_pause import gc_paused
from supplychain.importing import columns as headers
from supplychain.importing import encodings, values
from supplychain.models import (
    QUALIFICATION_STATUSES,
    AuditEntry,
    Organisation,
    Supplier,
    SupplierChange,
    SupplierContact,
    SupplierQualification,
    SupplierRelationship,
    SupplierRisk,
    User,
    relationship_categories,
    supplier_categories,
)
from supplychain.models.base import utcnow
from supplychain.services.core import audit, locking
from supplychain.services.registry import registration_checks
from supplychain.services.registry import suppliers as registry
from supplychain.services.risk import recompute as risk_recompute
from supplychain.value_lists import chunks, member_conditions

# The product's own template, in this order; any other names in supplychain.importing.columns are read too.
COLUMNS = ("name_zh", "name_en", "credit_code", "country", "province", "city", "address", "categories",
           "contact_name", "contact_phone", "contact_email")
OPTIONAL_COLUMNS = ("registered_on", "supplier_type", "legal_representative")
MIGRATION_COLUMNS = ("status", "status_since", "qualified_categories")
FIELD_ORDER = COLUMNS + OPTIONAL_COLUMNS + MIGRATION_COLUMNS
MAX_ROWS = 200_000
HEADER_SEARCH = headers.HEADER_SEARCH
# An XLSX is a zip: refuse one that would inflate past this (a "zip bomb") before openpyxl opens it.
MAX_XLSX_UNCOMPRESSED = 500 * 1024 * 1024
# Cells echoed back in messages are shortened, so one absurd cell cannot swamp the report.
ECHO_LIMIT = 100

T = TypeVar("T")
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One problem: the file line (header = 1, None for the whole file), the column and the message."""

    line: int | None
    field: str
    message: object  # a lazy string (or DuplicateMessage), rendered in the reader's language

    def __str__(self) -> str:
        """With the internal field key, for logs and benches; users read import_labels.problem_text."""
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class Row:
    """One data row of the file: its line number and its cells by field name."""

    line: int
    values: dict[str, str]


@dataclass
class ReadResult:
    """What reading a file found: rows, problems that stop the import, notes, the encoding and the header."""

    rows: list[Row] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    encoding: encodings.Detected | None = None
    header: headers.Header | None = None


@dataclass(frozen=True)
class ImportOptions:
    """Choices made for one import: erase with empty cells; a migration of an existing supply base."""

    blank_erases: bool = False
    migration: bool = False
    reason: str = ""
    default_org: str = ""  # organisation code for rows without an `org` cell (default: the importer's own)


@dataclass
class Change:
    """One field an update changes, as the preview shows it."""

    field: str
    old: str
    new: str


@dataclass
class PlannedRow:
    """A row that passed every check, with the supplier it updates (None: a new supplier)."""

    line: int
    clean: registry.CleanSupplier
    supplier_id: int | None
    has_date: bool
    has_contact: bool
    blank: frozenset[str] = frozenset()  # fields whose cell was empty (or whose column is absent)
    status: str | None = None  # migration: the status to bring over
    status_since: date | None = None
    organisation_ids: tuple[int, ...] = ()  # the organisations that buy from it (relationships opened)
    qualified: tuple = ()  # migration: the categories (SupplyCategory) it is qualified for, with `status`
    changes: list[Change] = field(default_factory=list)  # updates: what would change (set by check_rows)
    merged: registry.CleanSupplier | None = None  # updates: the values as they will be stored
    current_status: str | None = None

    @property
    def action(self) -> str:
        """"create" or "update"."""
        return "update" if self.supplier_id else "create"


@dataclass
class ImportPlan:
    """What an import would do: rows to create and update, every error, warnings to accept and notes."""

    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    encoding: encodings.Detected | None = None
    header: headers.Header | None = None
    options: ImportOptions = field(default_factory=ImportOptions)

    @property
    def ok(self) -> bool:
        """True when the file can be imported as a whole (warnings still need accepting)."""
        return not self.errors

    @property
    def creates(self) -> list[PlannedRow]:
        """Rows that would register a new supplier."""
        return [row for row in self.rows if row.supplier_id is None]

    @property
    def updates(self) -> list[PlannedRow]:
        """Rows that would update an existing supplier (matched by credit code)."""
        return [row for row in self.rows if row.supplier_id is not None]

    @property
    def changed_updates(self) -> list[PlannedRow]:
        """Updates that change at least one field."""
        return [row for row in self.updates if row.changes]

    @property
    def bad_lines(self) -> list[int]:
        """The line numbers with at least one error, in order."""
        return sorted({error.line for error in self.errors if error.line is not None})


@dataclass
class ImportResult:
    """What an applied import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    supplier_ids: list[int] = field(default_factory=list)
    statuses: int = 0  # migration: statuses brought over


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _file_problem(message, line: int | None = None, column: str = "") -> RowError:
    return RowError(line, column, message)


def normalize_header(name: object) -> str:
    """A header cell as a column name: stripped, case-folded, spaces and hyphens as underscores."""
    return headers.header_key(name)


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold: dates as ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return values.date_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return values.number_text(value)
    return str(value)


def _blank(cells: list[str]) -> bool:
    for cell in cells:  # a loop that stops at the first filled cell: this runs for every row of a large file
        if cell and not cell.isspace():
            return False
    return True


def _delimiter(text: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (Excel's other exports)."""
    lines = [line for line in text[:20000].splitlines() if line.strip()][:HEADER_SEARCH]
    counts = {sep: max((line.count(sep) for line in lines), default=0) for sep in (",", "\t", ";")}
    if counts[","]:
        # A title line may have no commas; the widest line decides unless tabs clearly dominate.
        return "\t" if counts["\t"] > counts[","] else ","
    if counts["\t"]:
        return "\t"
    if counts[";"]:
        return ";"
    return ","


def _shown_characters(characters: str, limit: int = 8) -> str:
    """A few characters for a message; invisible ones (private use) as their code point, U+E134."""
    shown = [ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in characters[:limit]]
    return " ".join(shown) + (" …" if len(characters) > limit else "")


def _csv_records(data: bytes, encoding: str | None, result: ReadResult,
                 max_rows: int | None = None) -> list[tuple[int, list[str]]]:
    detected = encodings.Detected(encoding, True) if encoding else encodings.detect(data)
    if detected is None and b"\x00" in data[:8192]:
        result.problems.append(_file_problem(
            _l("This is not a text (CSV) file. Upload a CSV or an XLSX spreadsheet.")))
        return []
    if detected is None:
        result.problems.append(_file_problem(
            _l("The file's characters cannot be read. Save it as \"CSV UTF-8\" and try again.")))
        return []
    text = encodings.decode(data, detected.encoding)
    if text is None:
        result.problems.append(_file_problem(_l(
            "The file cannot be read as %(encoding)s. Choose another encoding.", encoding=detected.label)))
        return []
    if "\x00" in text[:8192]:
        result.problems.append(_file_problem(
            _l("This is not a text (CSV) file. Upload a CSV or an XLSX spreadsheet.")))
        return []
    result.encoding = detected
    others = ", ".join(encodings.label(name) for name in detected.alternatives) or "—"
    if detected.garbled:
        # A doubtful guess whose text holds kana, box drawing or private-use characters: saving it would
        # keep garbled names, so the file is refused until the user picks its encoding (which is then certain).
        result.problems.append(_file_problem(_l(
            "Read as %(encoding)s, the file holds characters that Chinese text does not (%(chars)s): the "
            "encoding is probably wrong and the names would be saved garbled. Choose the file's encoding "
            "under \"Columns and encoding\" in the preview (%(others)s).",
            encoding=detected.label, chars=_shown_characters(detected.implausible), others=others)))
        return []
    if not detected.certain:
        result.warnings.append(_file_problem(_l(
            "The file's encoding is not certain: it was read as %(encoding)s. If the Chinese names look wrong, "
            "choose another encoding (%(others)s).", encoding=detected.label, others=others)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, list[str]]] = []
    try:
        # Line numbers count records, as a spreadsheet numbers its rows.
        for number, record in enumerate(reader, start=1):
            if _blank(record):
                continue
            records.append((number, record))
            if len(records) > (max_rows or MAX_ROWS) + HEADER_SEARCH:
                break
    except csv.Error:
        line = len(records) + 1
        result.problems.append(_file_problem(_l(
            "The CSV cannot be read from this line on (a cell too long or a stray quote)."), line))
        return []
    return records


def _xlsx_records(data: bytes, _encoding: str | None, result: ReadResult,
                  max_rows: int | None = None) -> list[tuple[int, list[str]]]:
    not_a_spreadsheet = _file_problem(_l("This is not a readable XLSX spreadsheet. Save it again as .xlsx "
                                         "(Excel workbook) or as CSV."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                result.problems.append(not_a_spreadsheet)
                return []
    except (zipfile.BadZipFile, ValueError, OSError):
        result.problems.append(not_a_spreadsheet)
        return []
    from openpyxl import load_workbook

    records: list[tuple[int, list[str]]] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                result.problems.append(not_a_spreadsheet)
                return []
            for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                texts = [_cell_text(value) for value in cells]
                if _blank(texts):
                    continue
                records.append((number, texts))
                if len(records) > (max_rows or MAX_ROWS) + HEADER_SEARCH:
                    break
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, KeyError) for a broken file
        result.problems.append(not_a_spreadsheet)
        return []
    return records


def _looks_like_xlsx(filename: str, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith((".xlsx", ".xlsm"))


@gc_paused()
def read_file(filename: str, data: bytes, encoding: str | None = None,
              mapping: Mapping[str, str] | None = None, vocabulary: str = "suppliers",
              required: tuple[str, ...] = (), max_rows: int | None = None) -> ReadResult:
    """Rows of a CSV or XLSX file (told apart by content), or the problems that stop reading it.

    The header is the row among the first ten naming the most known columns (a title above it is
    skipped; a second header row below a group header is merged in); `mapping` (header key -> field)
    names the columns nobody recognised. Blank rows are skipped but keep their line numbers, footer
    rows (合计, 备注 …) are skipped with a note. Line numbers are the spreadsheet's row numbers.
    `encoding` overrides the detected encoding of a CSV. `vocabulary` names the columns of another kind
    of file (evidence, see importing.columns.EVIDENCE_FIELDS), whose `required` columns must be there.
    """
    result = ReadResult()
    if data.strip() in (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff") or data.strip(b"\x00\xff\xfe") == b"":
        result.problems.append(_file_problem(_l("The file is empty.")))
        return result
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        result.problems.append(_file_problem(
            _l("Old Excel files (.xls) are not supported. Save the file as .xlsx or CSV.")))
        return result
    reader = _xlsx_records if _looks_like_xlsx(filename, data) else _csv_records
    max_rows = MAX_ROWS if max_rows is None else max_rows
    records = reader(data, encoding, result, max_rows)
    if result.problems:
        return result
    if not records:
        result.problems.append(_file_problem(_l("The file is empty.")))
        return result
    found = headers.find_header(records, mapping, vocabulary)
    if vocabulary != "suppliers":
        missing = [name for name in required if found is None or name not in found[0].fields]
        if missing:
            result.problems.append(_file_problem(_l("Missing columns: %(names)s.",
                                                    names=import_labels.field_titles(missing, vocabulary)),
                                                 found[0].line if found else records[0][0]))
            result.header = found[0] if found else None
            return result
    elif found is None or "name_zh" not in found[0].fields:
        line = found[0].line if found else records[0][0]
        result.problems.append(_file_problem(_l(
            "No column names the supplier: add a column \"供应商名称\" (name_zh), or map one below."), line))
        if found:
            result.header = found[0]
        return result
    header, start = found
    result.header = header
    for name in header.duplicates:
        result.problems.append(_file_problem(_l("The column %(name)s appears twice.",
                                                name=import_labels.field_titles([name], vocabulary)), header.line))
    if result.problems:
        return result
    body = records[start:]
    if not body:
        result.problems.append(_file_problem(_l("The file has a header but no data rows.")))
        return result
    if len(body) > max_rows:
        result.problems.append(_file_problem(
            _l("The file has more than %(n)d rows. Split it into smaller files.", n=max_rows)))
        return result
    positions = [(i, name) for i, name in enumerate(header.columns) if name]
    rows = result.rows
    footer = (_l("Skipped: a total or notes row, not a supplier.") if vocabulary == "suppliers"
              else _l("Skipped: a total or notes row, not a record."))
    for number, cells in body:
        if values.is_footer(cells):
            result.notes.append(_file_problem(footer, number))
            continue
        width = len(cells)
        rows.append(Row(number, {name: (cells[i] if i < width else "") or "" for i, name in positions}))
    if not rows:
        result.problems.append(_file_problem(_l("The file has a header but no data rows.")))
    return result


def read_records(filename: str, data: bytes, max_rows: int | None = None) -> tuple[list[tuple[int, list[str]]],
                                                                              list[RowError]]:
    """The non-blank rows of a CSV or XLSX file as (spreadsheet row, cells), without looking for a header
    (a bare list with no column names), or the problems that stop reading it."""
    result = ReadResult()
    reader = _xlsx_records if _looks_like_xlsx(filename, data) else _csv_records
    records = reader(data, None, result, max_rows)
    return ([] if result.problems else records), result.problems


def read_rows(filename: str, data: bytes, encoding: str | None = None,
              mapping: Mapping[str, str] | None = None) -> tuple[list[Row], list[RowError]]:
    """`read_file`, as (rows, problems) for callers that need nothing else."""
    result = read_file(filename, data, encoding, mapping)
    return (result.rows if not result.problems else []), result.problems


# --------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------


def echo(value: str) -> str:
    """A cell shortened for echoing in a message; the ellipsis also keeps it from matching a real name."""
    value = (value or "").strip()
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


def new_records(plan: ImportPlan, keyed: Iterable[tuple[int, Hashable, T]], existing: Container) -> list[tuple[int, T]]:
    """The checked records, as (line, record), whose key is neither stored already (a note on the plan: skipped)
    nor on an earlier line of the file (an error on the plan naming that line)."""
    seen: dict[Hashable, int] = {}
    kept: list[tuple[int, T]] = []
    for line, key, record in keyed:
        if key in existing:
            plan.notes.append(RowError(line, "", _l("Already recorded: skipped.")))
        elif key in seen:
            plan.errors.append(RowError(line, "", _l("The same record is already on line %(line)d.", line=seen[key])))
        else:
            seen[key] = line
            kept.append((line, record))
    return kept


def parse_date(text: str) -> date | None:
    """A date as people and Excel write it (see importing.values.parse_date); ValueError if not one."""
    return values.parse_date(text)


# Fields a row may leave empty without erasing the stored value (see ImportOptions.blank_erases).
_KEEPABLE = ("name_en", "city", "address", "categories", "contacts", "registered_on", "place", "supplier_type")


def _blank_fields(raw: dict[str, str]) -> frozenset[str]:
    filled = {name for name, value in raw.items() if value and not value.isspace()}
    blank = {name for name in ("name_en", "city", "address", "categories", "registered_on", "supplier_type")
             if name not in filled}
    if not filled & {"contact_name", "contact_phone", "contact_email"}:
        blank.add("contacts")
    if not filled & {"province", "country"}:
        blank.add("place")
    return frozenset(blank)


def supplier_data(raw: dict[str, str]) -> tuple[registry.SupplierData, dict[str, list]]:
    """A row's cells as the registry's input, with the problems only an import can have (dates)."""
    errors: dict[str, list] = {}
    # Every cell stripped once; a missing column reads as "" (a plain dict look-up: this runs per row).
    get = defaultdict(str, {name: value.strip() for name, value in raw.items() if value}).__getitem__

    registered_on = None
    if get("registered_on"):
        try:
            registered_on = parse_date(get("registered_on"))
        except ValueError:
            errors["registered_on"] = [_l("Not a date: %(value)s. Write it as YYYY-MM-DD or 2024年5月6日.",
                                          value=echo(get("registered_on")))]
    contact = registry.ContactData(get("contact_name"), values.normalize_phone(get("contact_phone")),
                                   values.normalize_email(get("contact_email")))
    data = registry.SupplierData(
        name_zh=get("name_zh"), name_en=get("name_en"), credit_code=get("credit_code"),
        country=echo(get("country")), province=echo(get("province")), city=get("city"),
        address=get("address"),
        categories=[echo(part) for part in values.split_categories(get("categories"))],
        contacts=[contact] if (contact.name or contact.phone or contact.email) else [],
        registered_on=registered_on,
        supplier_type=echo(get("supplier_type")),
        legal_representative=get("legal_representative") or None,  # an empty cell keeps the stored name
    )
    return data, errors


def _valid_code(cell: str) -> str | None:
    """A cell's credit code, normalised, when it is a valid one (for the duplicate check of a refused row)."""
    code = uscc.normalize(cell or "")
    return code if len(code) == uscc.LENGTH and not uscc.validate(code) else None


def _place_from_code(data: registry.SupplierData, line: int, plan: ImportPlan) -> None:
    """An empty province of a Chinese supplier is taken from the credit code's division (with a note); a
    province that contradicts the division is a warning to accept."""
    code = uscc.normalize(data.credit_code or "")
    if len(code) != uscc.LENGTH:
        return
    country = regions.find_country(data.country or "CN") if (data.country or "CN").strip() else None
    if country != "CN" or uscc.validate(code):
        return
    from_code = regions.find_province(code[2:8])
    if from_code is None:
        return
    given = regions.find_province(data.province) if (data.province or "").strip() else None
    if not (data.province or "").strip():
        data.province = from_code.code
        plan.notes.append(RowError(line, "province", _l(
            "Province taken from the credit code: %(province)s.", province=from_code.name_zh)))
    elif given is not None and given.code != from_code.code:
        plan.warnings.append(RowError(line, "province", _l(
            "The province %(given)s differs from the credit code's registration place %(code)s.",
            given=given.name_zh, code=from_code.name_zh)))


def _migration_values(raw: dict[str, str], options: ImportOptions, categories: dict, today: date,
                      errors: dict[str, list]) -> tuple[str | None, date | None, list]:
    """status, status_since and qualified categories of a row (a migration only)."""
    if not any(raw.get(name) for name in MIGRATION_COLUMNS):  # the common case: not a migration file
        return None, None, []
    get = lambda name: (raw.get(name) or "").strip()  # noqa: E731
    given = [name for name in MIGRATION_COLUMNS if get(name)]
    if not given:
        return None, None, []
    if not options.migration:
        for name in given:
            errors.setdefault(name, []).append(_l(
                "A status can only be brought over in a migration of an existing supply base (an admin, "
                "with a reason)."))
        return None, None, []
    status = values.parse_status(get("status")) if get("status") else None
    if get("status") and status is None:
        errors.setdefault("status", []).append(_l("Unknown status: %(value)s.", value=echo(get("status"))))
    since = None
    if get("status_since"):
        try:
            since = parse_date(get("status_since"))
        except ValueError:
            errors.setdefault("status_since", []).append(_l(
                "Not a date: %(value)s. Write it as YYYY-MM-DD or 2024年5月6日.", value=echo(get("status_since"))))
        if since and since > today:
            errors.setdefault("status_since", []).append(_l("The date cannot be in the future."))
        if not get("status"):
            errors.setdefault("status_since", []).append(_l("A date without a status: add the status."))
    qualified = []
    for raw_name in values.split_categories(get("qualified_categories")):
        category = registry.find_category(categories, raw_name)
        if category is None:
            errors.setdefault("qualified_categories", []).append(
                _l("Unknown supply category: %(value)s.", value=echo(raw_name)))
        elif category not in qualified:
            qualified.append(category)
    return status, (since or (today if status else None)), qualified


@dataclass
class _Known:
    """Existing suppliers the file refers to, loaded in bulk."""

    by_code: dict[str, tuple[int, str]]  # credit code -> (id, name_zh)
    by_name: dict[str, list[tuple[int, str, str | None]]]  # name key -> [(id, name_zh, credit code)]


def _load_known(session: Session, codes: set[str], name_keys: set[str]) -> _Known:
    known = _Known({}, {})
    for condition in member_conditions(session, Supplier.credit_code, sorted(codes)):
        # The whole group's master: a supplier another organisation buys from is the same record.
        stmt = scope.unscoped(select(Supplier.credit_code, Supplier.id, Supplier.name_zh).where(condition))
        for code, supplier_id, name in session.execute(stmt):
            known.by_code[code] = (supplier_id, name)
    for condition in member_conditions(session, Supplier.name_key, sorted(name_keys)):
        stmt = scope.unscoped(select(Supplier.name_key, Supplier.id, Supplier.name_zh, Supplier.credit_code)
                              .where(condition))
        for key, supplier_id, name, code in session.execute(stmt):
            known.by_name.setdefault(key, []).append((supplier_id, name, code))
    return known


class _ExistingSupplier:
    """Just enough of a supplier for registry.DuplicateMessage (its id)."""

    def __init__(self, supplier_id: int):
        self.id = supplier_id


def _duplicate(supplier_id: int, message) -> registry.DuplicateMessage:
    return registry.DuplicateMessage(_ExistingSupplier(supplier_id), message)


def _registration_checks(session: Session, cleans: list[registry.CleanSupplier]) -> list[dict[str, list]]:
    """registration_checks.CHECKS for every row: {field: [messages]} per row, in order.

    A check may offer `check.many(session, cleans)` returning that list in one go (a few queries for the
    whole file instead of some per row); otherwise it is called row by row, as the form calls it.
    """
    found: list[dict[str, list]] = [{} for _ in cleans]
    for check in registration_checks.CHECKS:
        many = getattr(check, "many", None)
        results = many(session, cleans) if many else [check(session, clean) for clean in cleans]
        for errors, result in zip(found, results, strict=True):
            for name, messages in (result or {}).items():
                errors.setdefault(name, []).extend(messages)
    return found


def organisation_resolver(session: Session, actor: User | None, default_code: str = ""):
    """A resolver of `org` cells (codes separated by ; 、 or ,) to open organisation ids within the acting scope,
    the default for empty cells (`default_code`, else the actor's organisation, else the root), and the
    problems with that default."""
    by_code = {org.code.upper(): org for org in session.scalars(scope.unscoped(select(Organisation)))}
    active = scope.current(session)
    seen: dict[str, tuple[tuple[int, ...], list]] = {}  # a file names a few organisations, row after row

    def resolve(cell: str) -> tuple[tuple[int, ...], list]:
        if cell not in seen:
            seen[cell] = _resolve(cell)
        ids, problems = seen[cell]
        return ids, list(problems)  # the caller's own list of problems

    def _resolve(cell: str) -> tuple[tuple[int, ...], list]:
        ids, problems = [], []
        for code in values.split_categories(cell):
            org = by_code.get(code.strip().upper())
            if org is None:
                problems.append(_l("Unknown organisation %(code)s.", code=echo(code)))
            elif not active.allows(org.id):
                problems.append(_l("%(code)s is outside your organisation.", code=org.code))
            elif not org.is_open:
                problems.append(_l("%(code)s is closed.", code=org.code))
            elif org.id not in ids:
                ids.append(org.id)
        return tuple(ids), problems

    if default_code:
        default, problems = resolve(default_code)
    else:
        own, problems = scope.record_organisation(session, None, actor)
        default = (own,) if own else ()
    return resolve, default, problems


@gc_paused()
def check_rows(session: Session, rows: list[Row], today: date, options: ImportOptions | None = None,
               read: ReadResult | None = None, progress: Progress | None = None,
               actor: User | None = None) -> ImportPlan:
    """Every row checked as the registration form checks it, plus duplicates; nothing is written.

    For updates the plan holds the fields that would change (old and new value); `read` carries the
    reader's notes, warnings, encoding and header into the plan.
    """
    options = options or ImportOptions()
    plan = ImportPlan(total_rows=len(rows), options=options)
    if read is not None:
        plan.notes.extend(read.notes)
        plan.warnings.extend(read.warnings)
        plan.encoding, plan.header = read.encoding, read.header
        if read.header:
            plan.ignored_columns = list(read.header.unknown)
    categories = registry.category_index(session)
    resolve_orgs, default_orgs, org_problems = organisation_resolver(session, actor, options.default_org)
    plan.errors.extend(RowError(None, "org", message) for message in org_problems)
    # (row, clean values, has a date, has a contact, already refused, blank fields, status, since, orgs):
    # refused rows still take part in the duplicate checks, so every problem of the file is reported at once.
    cleaned: list[tuple] = []
    # The first line of each valid credit code, and the later lines that repeat one: a row refused for another
    # reason (a bad e-mail) keeps its code in the check, whichever of the two rows is wrong.
    first_code: dict[str, int] = {}
    repeated_code: dict[int, int] = {}
    for number, row in enumerate(rows, start=1):
        if progress is not None and number % 5000 == 0:
            progress(number, len(rows))
        data, errors = supplier_data(row.values)
        status, since, qualified = _migration_values(row.values, options, categories, today, errors)
        org_cell = (row.values.get("org") or "").strip()
        org_ids, problems = resolve_orgs(org_cell) if org_cell else (default_orgs, [])
        if problems:
            errors["org"] = problems
        code_cell = (row.values.get("credit_code") or "").strip()
        mangled = values.excel_mangled_code(code_cell)
        _place_from_code(data, row.line, plan)
        try:
            clean, row_errors = registry.clean_supplier(data, categories, today)
        except Exception:  # noqa: BLE001 - one odd row must not turn the whole report into a server error
            log.exception("import: checking line %s failed", row.line)
            clean, row_errors = None, {"": [_l("This row could not be checked.")]}
        if mangled:
            row_errors = dict(row_errors)
            row_errors["credit_code"] = [_l(
                "Excel turned this credit code into a number and lost its last digits (%(value)s). Format the "
                "column as Text and enter the codes again, or export them from the platform as text.",
                value=echo(code_cell))]
            clean = None
        for name, messages in (errors | row_errors).items():
            plan.errors.extend(RowError(row.line, name, message) for message in messages)
        code = clean.credit_code if clean is not None else (None if mangled else _valid_code(code_cell))
        if code and code in first_code:
            repeated_code[row.line] = first_code[code]
            if clean is None:  # a clean row has it added to its other checks below
                plan.errors.append(RowError(row.line, "credit_code", _l(
                    "The same credit code is already on line %(line)d.", line=first_code[code])))
        elif code:
            first_code[code] = row.line
        if clean is not None:
            if qualified:
                clean = replace(clean, categories=clean.categories + [c for c in qualified
                                                                      if c not in clean.categories])
            if since and data.registered_on is None and since < clean.registered_on:
                # A migrated supplier without a registration date was registered at the latest when its
                # status began (so a past year's disclosure counts it).
                clean = replace(clean, registered_on=since)
            cleaned.append((row, clean, data.registered_on is not None, bool(data.contacts), bool(errors),
                            _blank_fields(row.values), status, since, org_ids, tuple(qualified or ())))

    known = _load_known(session, {entry[1].credit_code for entry in cleaned if entry[1].credit_code},
                        {entry[1].name_key for entry in cleaned})
    found = _registration_checks(session, [entry[1] for entry in cleaned])
    first_name: dict[str, int] = {}
    for (row, clean, has_date, has_contact, refused, blank, status, since, org_ids, qualified), errors in zip(
            cleaned, found, strict=True):
        supplier_id = None
        if clean.credit_code:
            if row.line in repeated_code:
                errors.setdefault("credit_code", []).append(_l(
                    "The same credit code is already on line %(line)d.", line=repeated_code[row.line]))
            if clean.credit_code in known.by_code:
                supplier_id = known.by_code[clean.credit_code][0]
        if clean.name_key in first_name:
            errors.setdefault("name_zh", []).append(
                _l("The same name is already on line %(line)d.", line=first_name[clean.name_key]))
        else:
            first_name[clean.name_key] = row.line
        namesakes = known.by_name.get(clean.name_key, [])
        if supplier_id is None and not clean.credit_code:
            # No credit code (overseas): the name identifies the supplier, among those without a code.
            without_code = [entry for entry in namesakes if not entry[2]]
            if len(without_code) == 1:
                supplier_id = without_code[0][0]
        for other_id, other_name, _code in namesakes:
            if other_id != supplier_id:
                errors.setdefault("name_zh", []).append(_duplicate(
                    other_id, _l("A supplier with this name exists: %(name)s.", name=other_name)))
                break
        for name, messages in errors.items():
            plan.errors.extend(RowError(row.line, name, message) for message in messages)
        if errors or refused:
            continue
        plan.rows.append(PlannedRow(row.line, clean, supplier_id, has_date, has_contact, blank, status, since,
                                    org_ids, qualified))
    _plan_updates(session, plan)
    order = {name: i for i, name in enumerate(FIELD_ORDER)}
    for found_list in (plan.errors, plan.warnings, plan.notes):
        found_list.sort(key=lambda error: (error.line or 0, order.get(error.field, len(order))))
    return plan


def _plan_updates(session: Session, plan: ImportPlan) -> None:
    """For each update: the values as they will be stored and the fields that change (old -> new)."""
    by_id = {row.supplier_id: row for row in plan.updates}
    for chunk in chunks(list(by_id)):
        current = _load_current(session, chunk)
        for supplier_id in chunk:
            row = by_id[supplier_id]
            if supplier_id not in current:
                continue
            row.merged = _merged(row, current[supplier_id], plan.options)
            row.current_status = current[supplier_id].status
            row.changes = _changes(current[supplier_id], row.merged, row.status)


# --------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------


def _creation_changes(clean: registry.CleanSupplier, status: str) -> dict:
    """What create_supplier records for a new supplier: audit.diff({}, registry.audit_snapshot(supplier)).

    Built straight from the clean values (a test pins it to the registry's own snapshot), because
    snapshotting a stand-in object per row was a third of the time of saving a large file.
    """
    changes: dict = {}
    for name in registry.AUDITED_FIELDS[:-2]:
        value = status if name == "status" else getattr(clean, name)
        if value is not None:
            changes[name] = [None, value.isoformat() if isinstance(value, date) else value]
    changes["category_codes"] = [None, sorted(c.code for c in clean.categories)]
    contacts = [f"{c.name} {c.phone or ''} {c.email or ''}".strip() for c in clean.contacts]
    changes["contact_list"] = [None, contacts]
    return changes


def _audit_row(actor: User | None, action: str, supplier_id: int, changes: dict, note: str | None,
               at: datetime) -> dict:
    """The values audit.record would give an AuditEntry, for a bulk insert."""
    return {"at": at, "actor_id": getattr(actor, "id", None), "actor_email": getattr(actor, "email", None),
            "action": action, "entity_type": "supplier", "entity_id": supplier_id, "supplier_id": supplier_id,
            "changes": changes, "note": note}


def _status_row(actor: User | None, supplier_id: int, old: str, new: str, since: date | None, origin: str,
                at: datetime) -> dict:
    """The audit entry of a migrated status: its origin (the migration's reason and file) is the note."""
    changes = {"status": [old, new]}
    if since is not None:
        changes["status_since"] = [None, since.isoformat()]
    return _audit_row(actor, "status", supplier_id, changes, origin, at)


def _open_relationships(session: Session, pairs: list[tuple[int, PlannedRow]], actor: User | None,
                        note: str | None, at: datetime, created: set[int]) -> None:
    """Each imported supplier's organisations start buying from it (the ones that already do are left alone)."""
    open_relationships(session, {(org_id, supplier_id): [c.id for c in row.clean.categories]
                                 for supplier_id, row in pairs for org_id in row.organisation_ids}, actor, note, at,
                       created)


def open_relationships(session: Session, wanted: Mapping[tuple[int, int], list[int]], actor: User | None,
                       note: str | None, at: datetime, created: set[int] = frozenset()) -> int:
    """Bulk-open the (organisation id, supplier id) relationships not there yet, with their category ids and
    audit entries; existing ones are left alone. Returns how many were opened.

    `created`: suppliers this transaction has just created, which no organisation can buy from yet (not looked up).
    """
    return insert_relationships(session, relationships_to_open(session, wanted, created), actor, note, at)


def relationships_to_open(session: Session, wanted: Mapping[tuple[int, int], list[int]],
                          created: set[int] = frozenset()) -> dict[tuple[int, int], list[int]]:
    """The wanted (organisation id, supplier id) relationships that are not there yet, with their category ids:
    look-ups only. A pipelined caller asks before it queues its COPYs, which a look-up would wait for."""
    if not wanted:
        return {}
    existing: set[tuple[int, int]] = set()
    for condition in member_conditions(session, SupplierRelationship.supplier_id,
                                       sorted({supplier_id for _org, supplier_id in wanted} - created)):
        existing.update(session.execute(scope.unscoped(
            select(SupplierRelationship.organisation_id, SupplierRelationship.supplier_id).where(condition)))
            .tuples())
    return {pair: category_ids for pair, category_ids in wanted.items() if pair not in existing}


def insert_relationships(session: Session, new: Mapping[tuple[int, int], list[int]], actor: User | None,
                         note: str | None, at: datetime) -> int:
    """Open these relationships (none there yet: `relationships_to_open`) with their category ids and audit
    entries; how many. In a pipelined block with their ids reserved, nothing here waits for the server."""
    if not new:
        return 0
    # One statement for all (on PostgreSQL one COPY, which a pipelined caller's thread writes while the links and
    # audit entries are built here).
    inserted = insert_rows(session, SupplierRelationship.__table__, [
        {"organisation_id": org_id, "supplier_id": supplier_id, "status": "active", "since_on": at.date(),
         "buyer_id": getattr(actor, "id", None), "version_id": 1, "created_at": at, "updated_at": at}
        for org_id, supplier_id in new], ("id", "organisation_id", "supplier_id"))
    # In insertion order (the returned rows come in no guaranteed order), as the ids were handed out.
    inserted.sort()
    links, entries = [], []
    changes: dict[int, dict] = {}  # one (unchanging) dict per organisation: written as JSON once
    for relationship_id, org_id, supplier_id in inserted:
        links.extend({"relationship_id": relationship_id, "category_id": category_id}
                     for category_id in new[(org_id, supplier_id)])
        change = changes.setdefault(org_id, {"organisation_id": [None, org_id]})
        entries.append(_audit_row(actor, "create", supplier_id, change, note, at)
                       | {"entity_type": "supplier_relationship", "entity_id": relationship_id})
    insert_rows(session, relationship_categories, links)
    audit.insert_entries(session, entries)
    return len(new)


def _qualify(session: Session, pairs: list[tuple[int, PlannedRow]], origin: str, at: datetime,
             created: set[int]) -> None:
    """A migration's qualified categories become the supplier's qualification for them, with its status
    (`created`: suppliers just created, which have none yet)."""
    wanted = {(supplier_id, category.id): row for supplier_id, row in pairs
              if row.status in QUALIFICATION_STATUSES for category in row.qualified}
    if not wanted:
        return
    existing: set[tuple[int, int]] = set()
    for condition in member_conditions(session, SupplierQualification.supplier_id,
                                       sorted({supplier_id for supplier_id, _category in wanted} - created)):
        existing.update(session.execute(scope.unscoped(
            select(SupplierQualification.supplier_id, SupplierQualification.category_id).where(condition)))
            .tuples())
    rows = [{"supplier_id": supplier_id, "category_id": category_id, "status": row.status,
             "since_on": row.status_since or at.date(), "note": origin[:300], "created_at": at, "updated_at": at}
            for (supplier_id, category_id), row in wanted.items() if (supplier_id, category_id) not in existing]
    insert_rows(session, SupplierQualification.__table__, rows)


def _create_all(session: Session, rows: list[PlannedRow], actor: User | None, note: str | None,
                at: datetime, origin: str, progress: Callable[[int], None], loading: bulk_load.Loading) -> list[int]:
    if not rows:
        return []
    ids = _insert_suppliers(session, rows, at)
    loading.parent_written()
    # What hangs off them in chunks of a few thousand rows, progress reported after each. On PostgreSQL the
    # suppliers' one COPY is still being written (pipelined) while these are built.
    for batch_ids, batch_rows in zip(chunks(ids, 5000), chunks(rows, 5000), strict=True):
        _insert_dependants(session, batch_ids, batch_rows, actor, note, at, origin)
        progress(len(batch_rows))
    return ids


def _insert_suppliers(session: Session, rows: list[PlannedRow], at: datetime) -> list[int]:
    """The new suppliers in one statement (their ids taken at once, so nothing waits for the rows to be
    stored); their ids in the order of `rows`."""
    new_values = [{
        "name_zh": c.name_zh, "name_en": c.name_en, "name_key": c.name_key, "credit_code": c.credit_code,
        "search_text": c.search_text, "country": c.country, "province_code": c.province_code, "region": c.region,
        "city": c.city, "address": c.address, "legal_representative": c.legal_representative,
        "status": row.status or "registered",
        "status_since": row.status_since if row.status else None, "registered_on": c.registered_on,
        "supplier_type": c.supplier_type, "created_at": at, "updated_at": at,
    } for row, c in ((row, row.clean) for row in rows)]
    # RETURNING in parameter order is slow for large batches; the name key is unique among the new rows
    # (check_rows refused in-file and registry duplicates), so it maps each new id back to its row.
    inserted = insert_rows(session, Supplier.__table__, new_values, ("id", "name_key"))
    id_by_key = {key: supplier_id for supplier_id, key in inserted}
    return [id_by_key[row.clean.name_key] for row in rows]


def _insert_dependants(session: Session, ids: list[int], rows: list[PlannedRow], actor: User | None,
                       note: str | None, at: datetime, origin: str) -> None:
    """The new suppliers' contacts, categories and audit entries (with a migrated status's)."""
    contacts, links, entries = [], [], []
    for supplier_id, row in zip(ids, rows, strict=True):
        for position, contact in enumerate(row.clean.contacts):
            contacts.append({"supplier_id": supplier_id, "position": position, "name": contact.name,
                             "phone": contact.phone or None, "email": contact.email or None})
        links.extend({"supplier_id": supplier_id, "category_id": category.id}
                     for category in row.clean.categories)
        entries.append(_audit_row(actor, "create", supplier_id,
                                  _creation_changes(row.clean, "registered"), note, at))
        if row.status and row.status != "registered":
            entries.append(_status_row(actor, supplier_id, "registered", row.status, row.status_since, origin, at))
    # Straight to the driver (bulk_insert), not the ORM bulk path, which splits rows by their NULL columns.
    insert_rows(session, SupplierContact.__table__, contacts)
    insert_rows(session, supplier_categories, links)
    audit.insert_entries(session, entries)


_SCALARS = ("name_zh", "name_en", "name_key", "credit_code", "country", "province_code", "region", "city",
            "address", "registered_on", "supplier_type", "legal_representative")


@dataclass
class _Current:
    """A supplier's stored values as plain data, for comparing without loading the ORM object."""

    values: dict
    status: str = "registered"
    categories: list = field(default_factory=list)  # SupplyCategory
    contacts: list[registry.ContactData] = field(default_factory=list)


def _load_current(session: Session, ids: list[int]) -> dict[int, _Current]:
    """Stored values, categories and contacts of these suppliers in three queries."""
    from supplychain.models import SupplyCategory

    current: dict[int, _Current] = {}
    columns = [getattr(Supplier, name) for name in _SCALARS]
    for supplier_id, status, *stored in session.execute(
            select(Supplier.id, Supplier.status, *columns).where(Supplier.id.in_(ids))):
        current[supplier_id] = _Current(dict(zip(_SCALARS, stored, strict=True)), status)
    # Plain ids, mapped to the (few) category objects loaded once: loading an ORM object per link was the
    # slowest part of checking a file of updates.
    links = supplier_categories.c
    by_id = {category.id: category for category in session.scalars(select(SupplyCategory))}
    for supplier_id, category_id in session.execute(
            select(links.supplier_id, links.category_id).where(links.supplier_id.in_(ids))):
        current[supplier_id].categories.append(by_id[category_id])
    contact = SupplierContact
    stmt = (select(contact.supplier_id, contact.name, contact.phone, contact.email)
            .where(contact.supplier_id.in_(ids)).order_by(contact.supplier_id, contact.position, contact.id))
    for supplier_id, name, phone, email in session.execute(stmt):
        current[supplier_id].contacts.append(registry.ContactData(name, phone or "", email or ""))
    return current


def _merged(row: PlannedRow, current: _Current, options: ImportOptions) -> registry.CleanSupplier:
    """The row's values as they will be stored.

    An empty cell (or a column the file does not have) keeps the stored value, unless the user chose
    `blank_erases`; the date of registration and the place are never erased. The file holds one
    contact: it replaces the first and keeps the others.
    """
    keep = (lambda name: name in row.blank) if not options.blank_erases else (
        lambda name: name in row.blank and name in ("registered_on", "place", "supplier_type"))
    clean = row.clean
    stored = current.values
    if keep("contacts"):
        contacts = list(current.contacts)
    elif "contacts" in row.blank:
        contacts = []
    else:
        contacts = clean.contacts + current.contacts[1:]
    categories = clean.categories
    if keep("categories"):
        categories = list(current.categories) + [c for c in clean.categories if c not in current.categories]
    registered_on = clean.registered_on if row.has_date else stored["registered_on"]
    if row.status and row.status_since and row.status_since < registered_on:
        registered_on = row.status_since  # a migrated status cannot predate the supplier's registration
    changes = {"contacts": contacts, "categories": categories, "registered_on": registered_on}
    for name in ("name_en", "city", "address", "supplier_type"):
        if keep(name):
            changes[name] = stored[name]
    if keep("place"):
        changes.update(country=stored["country"], province_code=stored["province_code"], region=stored["region"])
    return replace(clean, **changes)


def _contact_text(contacts) -> str:
    return "; ".join(" ".join(part for part in (c.name, c.phone or "", c.email or "") if part) for c in contacts)


def _changes(current: _Current, merged: registry.CleanSupplier, status: str | None) -> list[Change]:
    """Field, old and new value of everything storing `merged` (and a migrated status) would change."""
    stored = current.values
    found: list[Change] = []
    for name in ("name_zh", "name_en", "credit_code", "country", "province_code", "city", "address",
                 "registered_on", "supplier_type"):
        old, new = stored[name], getattr(merged, name)
        if old != new:
            text = lambda v: v.isoformat() if isinstance(v, date) else (v or "")  # noqa: E731
            found.append(Change("province" if name == "province_code" else name, text(old), text(new)))
    if not merged.keep_legal_representative and stored["legal_representative"] != merged.legal_representative:
        found.append(Change("legal_representative", stored["legal_representative"] or "",
                            merged.legal_representative or ""))
    old_codes = sorted(c.code for c in current.categories)
    new_codes = sorted(c.code for c in merged.categories)
    if old_codes != new_codes:
        found.append(Change("categories", ", ".join(old_codes), ", ".join(new_codes)))
    key = lambda c: (c.name, c.phone or None, c.email or None)  # noqa: E731
    if [key(c) for c in current.contacts] != [key(c) for c in merged.contacts]:
        found.append(Change("contacts", _contact_text(current.contacts), _contact_text(merged.contacts)))
    if status and status != current.status:
        found.append(Change("status", current.status, status))
    return found


def _update_all(session: Session, rows: list[PlannedRow], actor: User | None, note: str | None,
                at: datetime, origin: str, progress: Callable[[int], None]) -> tuple[int, int, int]:
    updated = unchanged = statuses = 0
    entries = []
    for chunk in chunks(rows, 1000):
        changed = {row.supplier_id: row for row in chunk if row.changes and row.merged is not None}
        unchanged += len(chunk) - len(changed)  # the common case when a file is imported again: touch nothing
        if changed:
            for supplier in session.scalars(select(Supplier).where(Supplier.id.in_(list(changed)))):
                row = changed[supplier.id]
                before = registry.audit_snapshot(supplier)
                registry.apply_clean(supplier, row.merged)
                changes = audit.diff(before, registry.audit_snapshot(supplier))
                if changes:
                    locking.touch(supplier)  # a change of categories or contacts alone moves the lock too
                    entries.append(_audit_row(actor, "update", supplier.id, changes, note, at))
                if row.status and row.status != supplier.status:
                    entries.append(_status_row(actor, supplier.id, supplier.status, row.status, row.status_since,
                                               origin, at))
                    supplier.status, supplier.status_since = row.status, row.status_since
                    statuses += 1
                    changes = True
                if changes:
                    updated += 1
                else:
                    unchanged += 1
            session.flush()
        progress(len(chunk))
    audit.insert_entries(session, entries)
    return updated, unchanged, statuses


def migration_refusal(options: ImportOptions, actor: User | None) -> list[RowError]:
    """Why this actor may not run this migration (empty: allowed). The CLI (no actor) runs as an admin."""
    if not options.migration:
        return []
    problems = []
    if actor is not None and getattr(actor, "role", None) != "admin":
        problems.append(_file_problem(_l("Only an administrator can migrate an existing supply base.")))
    if not options.reason.strip():
        problems.append(_file_problem(_l("Give the reason for the migration (where the statuses come from).")))
    elif len(options.reason.strip()) > 500:
        problems.append(_file_problem(_l("At most %(n)d characters.", n=500)))
    return problems


# What an import writes under its new suppliers (a first import defers their checks: bulk_load.first_import).
_WRITTEN_UNDER_SUPPLIERS = (SupplierContact.__table__, supplier_categories, SupplierRelationship.__table__,
                            relationship_categories, SupplierQualification.__table__, SupplierRisk.__table__)
_WRITTEN_BY_EVERY_CHANGE = (AuditEntry.__table__, SupplierChange.__table__)


@gc_paused()
def apply_plan(session: Session, plan: ImportPlan, actor: User | None, source: str | None = None,
               accept_warnings: bool = False, progress: Progress | None = None) -> ImportResult:
    """Create and update the planned suppliers, each with its audit entry; nothing when the plan has errors
    or warnings that were not accepted.

    The caller commits (once); `source` (the file name) is noted on every audit entry, and a migration's
    reason on every status it brings over. `progress(done, total)` is called as rows are saved.
    """
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    if plan.warnings and not accept_warnings:
        raise ValueError("an import plan with warnings needs them accepted")
    refused = migration_refusal(plan.options, actor)
    if refused:
        raise PermissionError(str(refused[0].message))
    db.no_statement_timeout(session)
    at = utcnow()
    note = f"import {source}"[:1000] if source else "import"
    origin = f"migration: {plan.options.reason.strip()} ({note})"[:1000]
    creates, updates = plan.creates, plan.updates
    total, done = len(creates) + len(updates), [0]

    def step(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(done[0], total)

    with (bulk_load.first_import(session, Supplier.__table__, _WRITTEN_UNDER_SUPPLIERS, len(creates),
                                 _WRITTEN_BY_EVERY_CHANGE) as loading,
          pipelined(session)):
        # The new suppliers' relationships are all new: their ids taken now, so nothing waits for the queued
        # COPYs and index builds before they are written.
        reserve_ids(session, SupplierRelationship.__table__, sum(len(row.organisation_ids) for row in creates))
        ids = _create_all(session, creates, actor, note, at, origin, step, loading)
        updated, unchanged, statuses = _update_all(session, updates, actor, note, at, origin, step)
        pairs = [*zip(ids, creates, strict=True), *((row.supplier_id, row) for row in updates)]
        _open_relationships(session, pairs, actor, note, at, set(ids))
        _qualify(session, pairs, origin, at, set(ids))
        risk_recompute.refresh(session, [*ids, *(row.supplier_id for row in updates if row.changes or row.status)],
                               actor=actor)
    statuses += sum(1 for row in creates if row.status and row.status != "registered")
    summary = {"created": len(ids), "updated": updated, "unchanged": unchanged, "rows": plan.total_rows,
               "blank_erases": plan.options.blank_erases}
    if loading.deferred:
        summary["deferred_checks"] = True  # bulk_load: indexes (and on PostgreSQL keys) were built at the end
    if plan.options.migration:
        summary |= {"migration": True, "reason": plan.options.reason.strip(), "statuses": statuses}
    audit.record(session, actor, "import", "supplier_import", None, summary, note=note)
    session.flush()
    return ImportResult(created=len(ids), updated=updated, unchanged=unchanged,
                        supplier_ids=ids + [row.supplier_id for row in updates], statuses=statuses)


def plan_file(session: Session, filename: str, data: bytes, actor: User | None, today: date,
              options: ImportOptions | None = None, encoding: str | None = None,
              mapping: Mapping[str, str] | None = None, progress: Progress | None = None) -> ImportPlan:
    """Read and check a file: the plan the preview shows; nothing is written."""
    options = options or ImportOptions()
    read = read_file(filename, data, encoding, mapping)
    refused = migration_refusal(options, actor)
    if read.problems or refused:
        return ImportPlan(errors=refused + read.problems, warnings=read.warnings, notes=read.notes,
                          encoding=read.encoding, header=read.header, options=options,
                          ignored_columns=list(read.header.unknown) if read.header else [])
    return check_rows(session, read.rows, today, options, read, progress, actor)


def estimated_rows(filename: str, data: bytes) -> int:
    """A quick estimate of a file's rows before reading it (lines of a CSV; about 60 bytes a row of XLSX), to
    decide whether its check runs in the request or in the background."""
    if _looks_like_xlsx(filename, data):
        return len(data) // 60
    return data.count(b"\n")


def import_file(session: Session, filename: str, data: bytes, actor: User | None, today: date,
                dry_run: bool = False, options: ImportOptions | None = None, encoding: str | None = None,
                mapping: Mapping[str, str] | None = None, accept_warnings: bool = False,
                progress: Progress | None = None) -> tuple[ImportPlan, ImportResult | None]:
    """Read, check and (unless dry_run, any error, or warnings not accepted) apply a file; the caller commits."""
    plan = plan_file(session, filename, data, actor, today, options, encoding, mapping)
    if not plan.ok or dry_run or (plan.warnings and not accept_warnings):
        return plan, None
    return plan, apply_plan(session, plan, actor, source=filename, accept_warnings=accept_warnings,
                            progress=progress)
