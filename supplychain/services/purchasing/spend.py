"""The spend ledger: one line per organisation, supplier, category and month, sent in batches.

Batches come from the API and from `flask spend import FILE`. `record_batch` checks every line,
writes all or nothing (bulk inserts) and is idempotent by the sender's external id; see
`supplychain.services.purchasing.batches` for the rules every batch follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from supplychain.currencies import is_currency
from supplychain.gc_pause import gc_paused
from supplychain.models import SpendLine, User
from supplychain.models.base import utcnow
from supplychain.services.core import audit
from supplychain.services.imports import importer
from supplychain.services.purchasing import batches
from supplychain.services.purchasing.batches import BatchRejected, BatchResult, LineError
from supplychain.services.risk import recompute as risk_recompute
from supplychain.value_lists import chunks

MAX_AMOUNT = Decimal(10) ** 13  # exact in every database (SQLite keeps numbers as doubles)
CENT = Decimal("0.01")

# File columns and their Chinese (and other English) header names.
COLUMNS = ("external_id", "organisation", "category", "month", "amount", "currency")
OPTIONAL_COLUMNS = ("credit_code", "supplier_id", "order_count")
MAX_FILE_ROWS = 2_000_000


@dataclass(frozen=True, slots=True)
class SpendInput:
    """One spend line as sent: plain text or numbers, checked by `record_batch`.

    The supplier is named by `credit_code`, or by `supplier_id` when it has no credit code (overseas).
    `month` is YYYY-MM; `amount` a decimal number in `currency` (text, Decimal, int, or a JSON float read as written).
    `line` numbers the line in messages (the file row); without it, its position in the batch.
    """

    external_id: str
    organisation: str
    category: str
    month: str | date
    amount: str | Decimal | int | float
    currency: str
    order_count: str | int | None = 0
    credit_code: str = ""
    supplier_id: int | str | None = None
    line: int | None = None


def _content(row: dict) -> tuple:
    return (row["organisation_id"], row["supplier_id"], row["category_id"], row["month_on"],
            Decimal(row["amount"]).quantize(CENT), row["currency"], row["order_count"])


def _check(refs: batches.References, item: SpendInput, number: int) -> tuple[dict | None, list[LineError]]:
    """A line as the row to insert, or its problems (the common case, a good line, is kept fast)."""
    problems: list[LineError] = []
    ident = batches.text(item.external_id)

    def add(name: str, message) -> None:
        problems.append(LineError(number, ident, name, message))

    (org_id, supplier_id, category_id), found = refs.resolved(item.organisation, item.credit_code,
                                                              item.supplier_id, item.category)
    if not found and ident and len(ident) <= batches.MAX_EXTERNAL_ID:
        try:
            month_on = batches.parse_month(item.month)
            amount = batches.parse_decimal(item.amount, 2, MAX_AMOUNT)
            currency = batches.text(item.currency).upper()
            orders = batches.text(item.order_count)
            orders = int(orders) if orders else 0
            if is_currency(currency) and 0 <= orders <= 10**9:
                return {"external_id": ident, "organisation_id": org_id, "supplier_id": supplier_id,
                        "category_id": category_id, "month_on": month_on, "amount": amount, "currency": currency,
                        "order_count": orders}, []
        except ValueError:
            pass  # checked again below, field by field, to name every problem
    ident = batches.external_id(item.external_id, add)
    for name, message in found:
        add(name, message)
    month_on = None
    try:
        month_on = batches.parse_month(item.month)
    except ValueError:
        add("month", _l("Not a month: %(value)s. Write it as YYYY-MM.", value=batches.echo(item.month)))
    amount = None
    try:
        amount = batches.parse_decimal(item.amount, 2, MAX_AMOUNT)
    except ValueError:
        if batches.text(item.amount).startswith("-"):
            add("amount", _l("The amount cannot be negative: %(value)s.", value=batches.echo(item.amount)))
        else:
            add("amount", _l("Not an amount: %(value)s. Write a number with at most two decimals, below "
                             "10,000,000,000,000.", value=batches.echo(item.amount)))
    currency = batches.text(item.currency).upper()
    if not is_currency(currency):
        add("currency", _l("Unknown currency: %(value)s. Use an ISO 4217 code such as CNY, HKD or USD.",
                           value=batches.echo(item.currency)))
    orders = 0
    if batches.text(item.order_count):
        try:
            orders = int(batches.text(item.order_count))
            if orders < 0 or orders > 10**9:
                raise ValueError
        except ValueError:
            add("order_count", _l("The order count must be a whole number of 0 or more."))
    if problems:
        return None, problems
    return {"external_id": ident, "organisation_id": org_id, "supplier_id": supplier_id,
            "category_id": category_id, "month_on": month_on, "amount": amount, "currency": currency,
            "order_count": orders}, []


def _existing(session: Session, rows: list[dict]) -> tuple[dict[str, tuple], dict[tuple, str]]:
    """Stored lines the batch may repeat: content by external id, and external id by natural key."""
    by_id: dict[str, tuple] = {}
    columns = (SpendLine.external_id, SpendLine.organisation_id, SpendLine.supplier_id, SpendLine.category_id,
               SpendLine.month_on, SpendLine.amount, SpendLine.currency, SpendLine.order_count)
    connection = session.connection()  # Core rows: no ORM processing for a million lines (unscoped by nature)
    for chunk in chunks(sorted({row["external_id"] for row in rows}), batches.LOOKUP_CHUNK):
        for ident, *content in connection.execute(select(*columns).where(SpendLine.external_id.in_(chunk))):
            content[4] = Decimal(content[4]).quantize(CENT)
            by_id[ident] = tuple(content)
    by_key: dict[tuple, str] = {}
    if rows:
        first = min(row["month_on"] for row in rows)
        last = max(row["month_on"] for row in rows)
        for chunk in chunks(sorted({row["supplier_id"] for row in rows})):
            stmt = (select(SpendLine.organisation_id, SpendLine.supplier_id, SpendLine.category_id,
                           SpendLine.month_on, SpendLine.external_id)
                    .where(SpendLine.supplier_id.in_(chunk), SpendLine.month_on >= first, SpendLine.month_on <= last))
            for org_id, supplier_id, category_id, month_on, ident in connection.execute(stmt):
                by_key[(org_id, supplier_id, category_id, month_on)] = ident
    return by_id, by_key


def check_batch(session: Session, lines: list[SpendInput]) -> tuple[list[dict], int, list[LineError]]:
    """Every line checked against the references, the batch itself and the stored ledger.

    Returns (rows to insert, lines already stored unchanged, problems); nothing is written.
    """
    checked, problems = batches.check_lines(session, lines, _check)
    by_id, by_key = _existing(session, [row for _n, row in checked])
    seen_id: dict[str, tuple[int, dict]] = {}
    seen_key: dict[tuple, tuple[int, str]] = {}
    new_rows: list[dict] = []
    unchanged = 0
    for number, row in checked:
        ident = row["external_id"]
        key = (row["organisation_id"], row["supplier_id"], row["category_id"], row["month_on"])
        if ident in seen_id:
            first, first_row = seen_id[ident]
            if _content(first_row) != _content(row):
                problems.append(batches.repeated_with_other_content(number, ident, first))
            else:
                unchanged += 1
            continue
        seen_id[ident] = (number, row)
        if ident in by_id:
            if by_id[ident] != _content(row):
                problems.append(batches.resent_with_other_content(number, ident))
            else:
                unchanged += 1
            continue
        if key in seen_key:
            problems.append(LineError(number, ident, "month", _l(
                "Line %(line)d already has this organisation, supplier, category and month.",
                line=seen_key[key][0])))
            continue
        seen_key[key] = (number, ident)
        if key in by_key:
            problems.append(LineError(number, ident, "month", _l(
                "The ledger already has this organisation, supplier, category and month, under the external "
                "id %(id)s.", id=batches.echo(by_key[key])), conflict=True))
            continue
        new_rows.append(row)
    return new_rows, unchanged, problems


@gc_paused()
def record_batch(session: Session, lines: list[SpendInput], actor: User | None, source: str = "api") -> BatchResult:
    """Check and save a batch of spend lines, all or nothing; raises BatchRejected naming every bad line.

    Idempotent by external id. The caller commits. One audit entry records the batch.
    """
    if not lines:
        raise BatchRejected([LineError(0, "", "", _l("The batch has no lines."))])
    rows, unchanged, problems = check_batch(session, lines)
    if problems:
        raise BatchRejected(problems)
    now = utcnow()
    connection = session.connection()
    for chunk in chunks(rows, batches.INSERT_CHUNK):
        for row in chunk:
            row["created_at"] = row["updated_at"] = now
        connection.execute(insert(SpendLine.__table__), chunk)  # Core executemany: the bulk path
    if rows:
        months = sorted({row["month_on"] for row in rows})
        audit.record(session, actor, "import", "spend_batch", None, {
            "created": [None, len(rows)], "unchanged": [None, unchanged],
            "months": [None, [months[0].isoformat(), months[-1].isoformat()]],
        }, note=batches.echo(source))
        risk_recompute.refresh(session, {row["supplier_id"] for row in rows}, actor=actor)
    return BatchResult(created=len(rows), unchanged=unchanged)


def inputs_from_rows(rows: list[importer.Row]) -> list[SpendInput]:
    """The rows of a spend file as batch lines, each numbered by its spreadsheet row."""
    result = []
    append = result.append
    for row in rows:
        get = row.values.get
        append(SpendInput(get("external_id", ""), get("organisation", ""), get("category", ""), get("month", ""),
                          get("amount", ""), get("currency", ""), get("order_count", ""), get("credit_code", ""),
                          get("supplier_id", ""), row.line))
    return result


@gc_paused()
def import_file(session: Session, filename: str, data: bytes, actor: User | None) -> BatchResult:
    """Read a CSV or XLSX spend file (Chinese or English headers) and record it as one batch.

    Raises BatchRejected with every problem: the file's (line 0 for the whole file) or its rows'.
    """
    read = importer.read_file(filename, data, vocabulary="spend", required=COLUMNS, max_rows=MAX_FILE_ROWS)
    if read.problems:
        raise BatchRejected([LineError(p.line or 0, "", p.field, p.message) for p in read.problems])
    return record_batch(session, inputs_from_rows(read.rows), actor, source=filename)
