"""Bulk import of suppliers from CSV or XLSX: read, check every row, then save all or nothing.

Three steps, so the web preview, the confirm step and the CLI share them:

* `read_rows(filename, data)`: pure; bytes in, rows (with their line numbers) and file problems out.
* `check_rows(session, rows, today)`: the registry's own rules per row (`suppliers.clean_supplier`
  and `registration_checks.CHECKS`), duplicates against the registry and inside the file,
  looked up in bulk. Returns an `ImportPlan`; nothing is written.
* `apply_plan(session, plan, actor)`: creates and updates, each with its audit entry; refuses a
  plan with errors. The caller commits once.

A row is matched to an existing supplier by its Unified Social Credit Code; a row without one
(overseas suppliers) by its normalised name among suppliers without a code. So importing the
same file twice updates and never duplicates.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from supplychain.models import AuditEntry, Supplier, SupplierContact, User, supplier_categories
from supplychain.models.base import utcnow
from supplychain.services import audit, registration_checks
from supplychain.services import suppliers as registry

COLUMNS = ("name_zh", "name_en", "credit_code", "country", "province", "city", "address", "categories",
           "contact_name", "contact_phone", "contact_email")
OPTIONAL_COLUMNS = ("registered_on",)
MAX_ROWS = 200_000
HEADER_SEARCH = 10  # rows (a title, notes) that may stand above the header
# An XLSX is a zip: refuse one that would inflate past this (a "zip bomb") before openpyxl opens it.
MAX_XLSX_UNCOMPRESSED = 500 * 1024 * 1024
# Cells echoed back in messages are shortened, so one absurd cell cannot swamp the report.
ECHO_LIMIT = 100
log = logging.getLogger(__name__)
_CHUNK = 500  # IN (...) lists stay well below every database's parameter limit
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_CATEGORY_SEPARATORS = re.compile(r"[;；]")


@dataclass(frozen=True)
class RowError:
    """One problem: the file line (header = 1, None for the whole file), the column and the message."""

    line: int | None
    field: str
    message: object  # a lazy string (or DuplicateMessage), rendered in the reader's language

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class Row:
    """One data row of the file: its line number and its cells by (normalised) column name."""

    line: int
    values: dict[str, str]


@dataclass
class PlannedRow:
    """A row that passed every check, with the supplier it updates (None: a new supplier)."""

    line: int
    clean: registry.CleanSupplier
    supplier_id: int | None
    has_date: bool
    has_contact: bool

    @property
    def action(self) -> str:
        """"create" or "update"."""
        return "update" if self.supplier_id else "create"


@dataclass
class ImportPlan:
    """What an import would do: rows to create, rows to update, and every error."""

    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be imported as a whole."""
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


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _file_problem(message, line: int | None = None, column: str = "") -> RowError:
    return RowError(line, column, message)


def normalize_header(name: object) -> str:
    """A header cell as a column name: stripped, case-folded, spaces and hyphens as underscores."""
    text = str(name or "").replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold: dates as ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(cells: list[str]) -> bool:
    return not "".join(cell or "" for cell in cells).strip()


def _decode(data: bytes) -> str | None:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else GB 18030 (a superset of GBK)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (Excel's other exports)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return ","


def _csv_records(data: bytes, max_rows: int = MAX_ROWS) -> tuple[list[tuple[int, list[str]]], list[RowError]]:
    if b"\x00" in data[:8192] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return [], [_file_problem(_l("This is not a text (CSV) file. Upload a CSV or an XLSX spreadsheet."))]
    text = _decode(data)
    if text is None:
        return [], [_file_problem(
            _l("The file's characters cannot be read. Save it as \"CSV UTF-8\" and try again."))]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, list[str]]] = []
    try:
        # Line numbers count records, as a spreadsheet numbers its rows.
        for number, record in enumerate(reader, start=1):
            if _blank(record):
                continue
            records.append((number, record))
            if len(records) > max_rows + HEADER_SEARCH:
                break
    except csv.Error:
        line = len(records) + 1
        return [], [_file_problem(_l("The CSV cannot be read from this line on (a cell too long or a stray "
                                     "quote)."), line)]
    return records, []


def _xlsx_records(data: bytes, max_rows: int = MAX_ROWS) -> tuple[list[tuple[int, list[str]]], list[RowError]]:
    not_a_spreadsheet = _file_problem(_l("This is not a readable XLSX spreadsheet. Save it again as .xlsx "
                                         "(Excel workbook) or as CSV."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                return [], [not_a_spreadsheet]
    except (zipfile.BadZipFile, ValueError, OSError):
        return [], [not_a_spreadsheet]
    from openpyxl import load_workbook

    records: list[tuple[int, list[str]]] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return [], [not_a_spreadsheet]
            for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                texts = [_cell_text(value) for value in cells]
                if _blank(texts):
                    continue
                records.append((number, texts))
                if len(records) > max_rows + HEADER_SEARCH:
                    break
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (zip, XML, KeyError) for a broken file
        return [], [not_a_spreadsheet]
    return records, []


def _looks_like_xlsx(filename: str, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith((".xlsx", ".xlsm"))


def read_rows(filename: str, data: bytes) -> tuple[list[Row], list[RowError]]:
    """Rows of a supplier CSV or XLSX file (told apart by content), or the problems that stop reading it.

    See `read_table`; the supplier file's header is the first row naming name_zh.
    """
    return read_table(filename, data, COLUMNS, max_rows=MAX_ROWS)


def read_table(filename: str, data: bytes, required: tuple[str, ...], aliases: dict[str, str] | None = None,
               max_rows: int | None = None) -> tuple[list[Row], list[RowError]]:
    """Rows of any CSV or XLSX table with these required columns, or the problems that stop reading it.

    `aliases` maps other header names (normalised, e.g. Chinese ones) to column names; the header is
    the first row naming the first required column.

    Header names are case-insensitive; blank rows are skipped but keep their line numbers, and rows
    above the header (a title) are ignored. Line numbers are the spreadsheet's row numbers.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if data.strip() in (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        return [], [_file_problem(_l("The file is empty."))]
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return [], [_file_problem(
            _l("Old Excel files (.xls) are not supported. Save the file as .xlsx or CSV."))]
    reader = _xlsx_records if _looks_like_xlsx(filename, data) else _csv_records
    records, problems = reader(data, max_rows)
    if problems:
        return [], problems
    if not records:
        return [], [_file_problem(_l("The file is empty."))]
    # Spreadsheets often carry a title above the table: the header is the first row naming name_zh.
    aliases = aliases or {}

    def column(cell: object) -> str:
        name = normalize_header(cell)
        return aliases.get(name, name)

    start = next((i for i, (_number, cells) in enumerate(records[:HEADER_SEARCH])
                  if required[0] in {column(cell) for cell in cells}), 0)
    header_line, header_cells = records[start]
    header = [column(cell) for cell in header_cells]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(_file_problem(_l("The column %(name)s appears twice.", name=name), header_line))
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        problems.append(
            _file_problem(_l("Missing columns: %(names)s.", names=", ".join(missing)), header_line))
    if problems:
        return [], problems
    body = records[start + 1:]
    if not body:
        return [], [_file_problem(_l("The file has a header but no data rows."))]
    if len(body) > max_rows:
        return [], [_file_problem(
            _l("The file has more than %(n)d rows. Split it into smaller files.", n=max_rows))]
    rows = []
    named = [(i, name) for i, name in enumerate(header) if name]
    width = len(header)
    for number, cells in body:
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        rows.append(Row(number, {name: cells[i] or "" for i, name in named}))
    return rows, []


# --------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------


def _echo(value: str) -> str:
    """A cell shortened for echoing in a message; the ellipsis also keeps it from matching a real name."""
    value = (value or "").strip()
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


def parse_date(text: str) -> date | None:
    """A date written as YYYY-MM-DD (also / or . between, as spreadsheets write it); ValueError if not one."""
    match = _DATE.fullmatch((text or "").strip())
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def supplier_data(values: dict[str, str]) -> tuple[registry.SupplierData, dict[str, list]]:
    """A row's cells as the registry's input, with the problems only an import can have (dates)."""
    errors: dict[str, list] = {}
    get = lambda name: (values.get(name) or "").strip()  # noqa: E731
    registered_on = None
    if get("registered_on"):
        try:
            registered_on = parse_date(get("registered_on"))
        except ValueError:
            errors["registered_on"] = [_l("Not a date: %(value)s. Write it as YYYY-MM-DD.",
                                          value=_echo(get("registered_on")))]
    contact = registry.ContactData(get("contact_name"), get("contact_phone"), get("contact_email"))
    data = registry.SupplierData(
        name_zh=get("name_zh"), name_en=get("name_en"), credit_code=get("credit_code"),
        country=_echo(get("country")), province=_echo(get("province")), city=get("city"),
        address=get("address"),
        categories=[_echo(part) for part in _CATEGORY_SEPARATORS.split(get("categories")) if part.strip()],
        contacts=[contact] if (contact.name or contact.phone or contact.email) else [],
        registered_on=registered_on,
    )
    return data, errors


@dataclass
class _Known:
    """Existing suppliers the file refers to, loaded in bulk."""

    by_code: dict[str, tuple[int, str]]  # credit code -> (id, name_zh)
    by_name: dict[str, list[tuple[int, str, str | None]]]  # name key -> [(id, name_zh, credit code)]


def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _load_known(session: Session, codes: set[str], name_keys: set[str]) -> _Known:
    known = _Known({}, {})
    for chunk in _chunks(sorted(codes)):
        stmt = select(Supplier.credit_code, Supplier.id, Supplier.name_zh).where(
            Supplier.credit_code.in_(chunk))
        for code, supplier_id, name in session.execute(stmt):
            known.by_code[code] = (supplier_id, name)
    for chunk in _chunks(sorted(name_keys)):
        stmt = select(Supplier.name_key, Supplier.id, Supplier.name_zh, Supplier.credit_code).where(
            Supplier.name_key.in_(chunk))
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


def check_rows(session: Session, rows: list[Row], today: date) -> ImportPlan:
    """Every row checked as the registration form checks it, plus duplicates; nothing is written."""
    plan = ImportPlan(total_rows=len(rows))
    if rows:
        plan.ignored_columns = [name for name in rows[0].values if name not in COLUMNS + OPTIONAL_COLUMNS]
    categories = registry.category_index(session)
    # (row, clean values, has a date, has a contact, already refused): refused rows still take part in the
    # duplicate checks, so every problem of the file is reported at once.
    cleaned: list[tuple[Row, registry.CleanSupplier, bool, bool, bool]] = []
    for row in rows:
        data, errors = supplier_data(row.values)
        try:
            clean, row_errors = registry.clean_supplier(data, categories, today)
        except Exception:  # noqa: BLE001 - one odd row must not turn the whole report into a server error
            log.exception("import: checking line %s failed", row.line)
            clean, row_errors = None, {"": [_l("This row could not be checked.")]}
        for name, messages in (errors | row_errors).items():
            plan.errors.extend(RowError(row.line, name, message) for message in messages)
        if clean is not None:
            cleaned.append((row, clean, data.registered_on is not None, bool(data.contacts), bool(errors)))

    known = _load_known(session, {entry[1].credit_code for entry in cleaned if entry[1].credit_code},
                        {entry[1].name_key for entry in cleaned})
    found = _registration_checks(session, [entry[1] for entry in cleaned])
    first_code: dict[str, int] = {}
    first_name: dict[str, int] = {}
    for (row, clean, has_date, has_contact, refused), errors in zip(cleaned, found, strict=True):
        supplier_id = None
        if clean.credit_code:
            if clean.credit_code in first_code:
                errors.setdefault("credit_code", []).append(_l(
                    "The same credit code is already on line %(line)d.", line=first_code[clean.credit_code]))
            else:
                first_code[clean.credit_code] = row.line
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
        plan.rows.append(PlannedRow(row.line, clean, supplier_id, has_date, has_contact))
    plan.errors.sort(key=lambda error: (error.line or 0, COLUMNS.index(error.field)
                                        if error.field in COLUMNS else len(COLUMNS)))
    return plan


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


def _create_all(session: Session, rows: list[PlannedRow], actor: User | None, note: str | None,
                at: datetime) -> list[int]:
    if not rows:
        return []
    values = [{
        "name_zh": c.name_zh, "name_en": c.name_en, "name_key": c.name_key, "credit_code": c.credit_code,
        "search_text": c.search_text, "country": c.country, "province_code": c.province_code, "region": c.region,
        "city": c.city, "address": c.address, "status": "registered", "registered_on": c.registered_on,
        "created_at": at, "updated_at": at,
    } for c in (row.clean for row in rows)]
    # RETURNING in parameter order is slow for large batches; the name key is unique among the new rows
    # (check_rows refused in-file and registry duplicates), so it maps each new id back to its row.
    id_by_key: dict[str, int] = {}
    for chunk in _chunks(values, 1000):
        stmt = insert(Supplier.__table__).returning(Supplier.__table__.c.id, Supplier.__table__.c.name_key)
        for supplier_id, key in session.execute(stmt, chunk):
            id_by_key[key] = supplier_id
    ids = [id_by_key[row.clean.name_key] for row in rows]
    contacts, links, entries = [], [], []
    for supplier_id, row in zip(ids, rows, strict=True):
        for position, contact in enumerate(row.clean.contacts):
            contacts.append({"supplier_id": supplier_id, "position": position, "name": contact.name,
                             "phone": contact.phone or None, "email": contact.email or None})
        links.extend({"supplier_id": supplier_id, "category_id": category.id}
                     for category in row.clean.categories)
        entries.append(_audit_row(actor, "create", supplier_id,
                                  _creation_changes(row.clean, "registered"), note, at))
    # Core inserts on the tables (not the ORM bulk path, which splits rows by their NULL columns).
    for table, batch in ((SupplierContact.__table__, contacts), (supplier_categories, links),
                         (AuditEntry.__table__, entries)):
        for chunk in _chunks(batch, 5000):
            session.execute(insert(table), chunk)
    return ids


_SCALARS = ("name_zh", "name_en", "name_key", "credit_code", "country", "province_code", "region", "city",
            "address", "registered_on")


@dataclass
class _Current:
    """A supplier's stored values as plain data, for comparing without loading the ORM object."""

    values: dict
    category_ids: list[int] = field(default_factory=list)
    contacts: list[registry.ContactData] = field(default_factory=list)


def _load_current(session: Session, ids: list[int]) -> dict[int, _Current]:
    """Stored values, categories and contacts of these suppliers in three queries."""
    current: dict[int, _Current] = {}
    columns = [getattr(Supplier, name) for name in _SCALARS]
    for supplier_id, *values in session.execute(select(Supplier.id, *columns).where(Supplier.id.in_(ids))):
        current[supplier_id] = _Current(dict(zip(_SCALARS, values, strict=True)))
    links = supplier_categories.c
    for supplier_id, category_id in session.execute(
            select(links.supplier_id, links.category_id).where(links.supplier_id.in_(ids))):
        current[supplier_id].category_ids.append(category_id)
    contact = SupplierContact
    stmt = (select(contact.supplier_id, contact.name, contact.phone, contact.email)
            .where(contact.supplier_id.in_(ids)).order_by(contact.supplier_id, contact.position, contact.id))
    for supplier_id, name, phone, email in session.execute(stmt):
        current[supplier_id].contacts.append(registry.ContactData(name, phone or "", email or ""))
    return current


def _merged(row: PlannedRow, current: _Current) -> registry.CleanSupplier:
    """The row's values as they will be stored.

    The file holds one contact: it replaces the first and keeps the others; a blank date keeps the
    registration date, so re-importing a file without dates does not rewrite history.
    """
    contacts = (row.clean.contacts + current.contacts[1:]) if row.has_contact else list(current.contacts)
    registered_on = row.clean.registered_on if row.has_date else current.values["registered_on"]
    return replace(row.clean, contacts=contacts, registered_on=registered_on)


def _differs(current: _Current, clean: registry.CleanSupplier) -> bool:
    """Whether storing `clean` would change the supplier (compared exactly, before anything is set)."""
    if any(current.values[name] != getattr(clean, name) for name in _SCALARS):
        return True
    if sorted(current.category_ids) != sorted(c.id for c in clean.categories):
        return True
    contact = lambda c: (c.name, c.phone or None, c.email or None)  # noqa: E731
    return [contact(c) for c in current.contacts] != [contact(c) for c in clean.contacts]


def _update_all(session: Session, rows: list[PlannedRow], actor: User | None, note: str | None,
                at: datetime) -> tuple[int, int]:
    updated = unchanged = 0
    entries = []
    by_id = {row.supplier_id: row for row in rows}
    for chunk in _chunks(list(by_id)):
        current = _load_current(session, chunk)
        changed: dict[int, registry.CleanSupplier] = {}
        for supplier_id in chunk:
            if supplier_id not in current:
                continue  # deleted since the check; nothing to update
            merged = _merged(by_id[supplier_id], current[supplier_id])
            if _differs(current[supplier_id], merged):
                changed[supplier_id] = merged
            else:
                unchanged += 1  # the common case when a file is imported again: touch nothing
        if not changed:
            continue
        for supplier in session.scalars(select(Supplier).where(Supplier.id.in_(list(changed)))):
            before = registry.audit_snapshot(supplier)
            registry.apply_clean(supplier, changed[supplier.id])
            changes = audit.diff(before, registry.audit_snapshot(supplier))
            if changes:
                updated += 1
                entries.append(_audit_row(actor, "update", supplier.id, changes, note, at))
            else:
                unchanged += 1
        session.flush()
    for batch in _chunks(entries, 5000):
        session.execute(insert(AuditEntry.__table__), batch)
    return updated, unchanged


def apply_plan(session: Session, plan: ImportPlan, actor: User | None,
               source: str | None = None) -> ImportResult:
    """Create and update the planned suppliers, each with its audit entry; nothing when the plan has errors.

    The caller commits (once); `source` (the file name) is noted on every audit entry.
    """
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    at = utcnow()
    note = f"import {source}"[:1000] if source else "import"
    creates, updates = plan.creates, plan.updates
    ids = _create_all(session, creates, actor, note, at)
    updated, unchanged = _update_all(session, updates, actor, note, at)
    audit.record(session, actor, "import", "supplier_import", None,
                 {"created": len(ids), "updated": updated, "unchanged": unchanged, "rows": plan.total_rows},
                 note=note)
    session.flush()
    return ImportResult(created=len(ids), updated=updated, unchanged=unchanged,
                        supplier_ids=ids + [row.supplier_id for row in updates])


def import_file(session: Session, filename: str, data: bytes, actor: User | None, today: date,
                dry_run: bool = False) -> tuple[ImportPlan, ImportResult | None]:
    """Read, check and (unless dry_run or any error) apply a file; the caller commits."""
    rows, problems = read_rows(filename, data)
    if problems:
        return ImportPlan(errors=problems), None
    plan = check_rows(session, rows, today)
    if not plan.ok or dry_run:
        return plan, None
    return plan, apply_plan(session, plan, actor, source=filename)
