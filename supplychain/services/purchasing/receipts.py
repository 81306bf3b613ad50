"""Purchase receipts: when each purchase-order line was due and received, and how much passed inspection.

Batches come from the API (and the demo); `record_batch` follows the batch rules of
`supplychain.services.purchasing.batches`. From the receipts come the on-time delivery rate and the acceptance
rate per supplier and period (`rates`), which the periodic evaluation scores (see
`supplychain.scoring.facts.DeliveryFact`).

On time means received on or before the due date (`scoring.facts.is_on_time`): a line received on
its due day is on time, one received the day after is late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.gc_pause import gc_paused
from supplychain.models import ReceiptLine, Supplier, User
from supplychain.models.base import utcnow
from supplychain.services.core import audit
from supplychain.services.purchasing import batches
from supplychain.services.purchasing.batches import BatchRejected, BatchResult, LineError
from supplychain.value_lists import chunks

MAX_QUANTITY = Decimal(10) ** 12
QUANTUM = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class ReceiptInput:
    """One received purchase-order line as sent: plain text or numbers, checked by `record_batch`.

    Quantities received = accepted + rejected (what incoming inspection decided), at most three decimals.
    """

    external_id: str
    organisation: str
    category: str
    due_on: str | date
    received_on: str | date
    quantity_received: str | Decimal | int
    quantity_accepted: str | Decimal | int
    quantity_rejected: str | Decimal | int = "0"
    credit_code: str = ""
    supplier_id: int | str | None = None
    po_line: str = ""
    line: int | None = None


def _content(row: dict) -> tuple:
    return (row["organisation_id"], row["supplier_id"], row["category_id"], row["po_line"] or None,
            row["due_on"], row["received_on"], *(Decimal(row[name]).quantize(QUANTUM) for name in
                                                 ("quantity_received", "quantity_accepted", "quantity_rejected")))


def _check(refs: batches.References, item: ReceiptInput, number: int) -> tuple[dict | None, list[LineError]]:
    problems: list[LineError] = []
    ident = batches.text(item.external_id)

    def add(name: str, message) -> None:
        problems.append(LineError(number, ident, name, message))

    ident = batches.external_id(item.external_id, add)
    org_id, supplier_id, category_id = refs.resolve(item.organisation, item.credit_code, item.supplier_id,
                                                    item.category, add)
    dates = {}
    for name in ("due_on", "received_on"):
        value = getattr(item, name)
        try:
            dates[name] = batches.parse_date(value)
        except ValueError:
            add(name, _l("Not a date: %(value)s. Write it as YYYY-MM-DD.", value=batches.echo(value)))
    quantities = {}
    for name in ("quantity_received", "quantity_accepted", "quantity_rejected"):
        value = getattr(item, name)
        if name == "quantity_rejected" and not batches.text(value):
            value = "0"
        try:
            quantities[name] = batches.parse_decimal(value, 3, MAX_QUANTITY)
            if quantities[name] < 0:
                raise ValueError(value)
        except ValueError:
            add(name, _l("Not a quantity: %(value)s. Write a number of 0 or more with at most three decimals.",
                         value=batches.echo(value)))
    if len(quantities) == 3:
        if quantities["quantity_received"] <= 0:
            add("quantity_received", _l("The quantity received must be above 0."))
        elif quantities["quantity_accepted"] + quantities["quantity_rejected"] != quantities["quantity_received"]:
            add("quantity_accepted", _l("Accepted plus rejected must equal the quantity received."))
    po_line = batches.text(item.po_line)
    if len(po_line) > 100:
        add("po_line", _l("At most %(n)d characters.", n=100))
    if problems:
        return None, problems
    return {"external_id": ident, "organisation_id": org_id, "supplier_id": supplier_id, "category_id": category_id,
            "po_line": po_line or None, **dates, **quantities}, []


def _existing(session: Session, idents: list[str]) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    columns = (ReceiptLine.external_id, ReceiptLine.organisation_id, ReceiptLine.supplier_id,
               ReceiptLine.category_id, ReceiptLine.po_line, ReceiptLine.due_on, ReceiptLine.received_on,
               ReceiptLine.quantity_received, ReceiptLine.quantity_accepted, ReceiptLine.quantity_rejected)
    for chunk in chunks(sorted(set(idents))):
        for ident, *content in session.execute(scope.unscoped(select(*columns).where(
                ReceiptLine.external_id.in_(chunk)))):
            found[ident] = (*content[:6], *(Decimal(value).quantize(QUANTUM) for value in content[6:]))
    return found


@gc_paused()
def record_batch(session: Session, lines: list[ReceiptInput], actor: User | None,
                 source: str = "api") -> BatchResult:
    """Check and save a batch of receipt lines, all or nothing; raises BatchRejected naming every bad line.

    Idempotent by external id: the same id and content is a no-op, other content a conflict. The caller
    commits. One audit entry records the batch.
    """
    if not lines:
        raise BatchRejected([LineError(0, "", "", _l("The batch has no lines."))])
    checked, problems = batches.check_lines(session, lines, _check)
    stored = _existing(session, [row["external_id"] for _n, row in checked])
    seen: dict[str, tuple[int, tuple]] = {}
    rows: list[dict] = []
    unchanged = 0
    for number, row in checked:
        ident, content = row["external_id"], _content(row)
        if ident in seen:
            if seen[ident][1] != content:
                problems.append(batches.repeated_with_other_content(number, ident, seen[ident][0]))
            else:
                unchanged += 1
            continue
        seen[ident] = (number, content)
        if ident in stored:
            if stored[ident] != content:
                problems.append(batches.resent_with_other_content(number, ident))
            else:
                unchanged += 1
            continue
        rows.append(row)
    if problems:
        raise BatchRejected(problems)
    now = utcnow()
    for chunk in chunks(rows, batches.INSERT_CHUNK):
        for row in chunk:
            row["created_at"] = row["updated_at"] = now
        session.execute(insert(ReceiptLine), chunk)
    if rows:
        received = sorted(row["received_on"] for row in rows)
        audit.record(session, actor, "import", "receipt_batch", None, {
            "created": [None, len(rows)], "unchanged": [None, unchanged],
            "received": [None, [received[0].isoformat(), received[-1].isoformat()]],
        }, note=batches.echo(source))
    return BatchResult(created=len(rows), unchanged=unchanged)


# --------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------


# On time: received on or before the due date. The same rule as scoring.facts.is_on_time, in SQL.
ON_TIME = ReceiptLine.received_on <= ReceiptLine.due_on


@dataclass(frozen=True)
class SupplierRates:
    """One supplier's deliveries in a period: lines, lines on time, quantities received and accepted."""

    supplier_id: int
    supplier_name: str
    lines: int
    on_time_lines: int
    quantity_received: Decimal
    quantity_accepted: Decimal

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent of receipt lines received on or before their due date (one decimal)."""
        if not self.lines:
            return None
        return (Decimal(100 * self.on_time_lines) / self.lines).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def acceptance_rate(self) -> Decimal | None:
        """Percent of the quantity received that incoming inspection accepted (one decimal)."""
        if not self.quantity_received:
            return None
        return (Decimal(100) * self.quantity_accepted / self.quantity_received).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rates(session: Session, start: date, end: date, supplier_ids: Iterable[int] | None = None) -> list[SupplierRates]:
    """On-time delivery and acceptance rates per supplier for lines received from `start` to `end` inclusive.

    Respects the session's organisation scope (receipts of the scope's organisations only).
    """
    stmt = (
        select(ReceiptLine.supplier_id, Supplier.name_zh, func.count(ReceiptLine.id),
               func.sum(case((ON_TIME, 1), else_=0)), func.sum(ReceiptLine.quantity_received),
               func.sum(ReceiptLine.quantity_accepted))
        .join(Supplier, Supplier.id == ReceiptLine.supplier_id)
        .where(ReceiptLine.received_on >= start, ReceiptLine.received_on <= end)
        .group_by(ReceiptLine.supplier_id, Supplier.name_zh)
        .order_by(Supplier.name_zh, ReceiptLine.supplier_id)
    )
    if supplier_ids is not None:
        stmt = stmt.where(ReceiptLine.supplier_id.in_(sorted(set(supplier_ids))))
    return [SupplierRates(sid, name, count, int(on_time or 0), Decimal(received or 0), Decimal(accepted or 0))
            for sid, name, count, on_time, received, accepted in session.execute(stmt)]


def lines_for(session: Session, supplier_id: int, start: date, end: date) -> list[ReceiptLine]:
    """The receipt lines behind a supplier's rates (drill-down), in the session's scope, by received date."""
    return list(session.scalars(
        select(ReceiptLine).where(ReceiptLine.supplier_id == supplier_id, ReceiptLine.received_on >= start,
                                  ReceiptLine.received_on <= end)
        .order_by(ReceiptLine.received_on, ReceiptLine.id)))


def all_lines(session: Session, start: date, end: date, limit: int = 1000) -> list[ReceiptLine]:
    """Every receipt line received from `start` to `end` in the session's scope, by received date (at most `limit`)."""
    return list(session.scalars(
        select(ReceiptLine).join(Supplier, Supplier.id == ReceiptLine.supplier_id)
        .where(ReceiptLine.received_on >= start, ReceiptLine.received_on <= end)
        .order_by(ReceiptLine.received_on, ReceiptLine.id).limit(limit)))


# File columns and their Chinese header names (`flask receipts import`).
COLUMNS = ("external_id", "organisation", "category", "due_on", "received_on", "quantity_received",
           "quantity_accepted")


@gc_paused()
def import_file(session: Session, filename: str, data: bytes, actor: User | None) -> BatchResult:
    """Read a CSV or XLSX receipts file (Chinese or English headers) and record it as one batch.

    Raises BatchRejected with every problem: the file's (line 0 for the whole file) or its rows'.
    """
    from supplychain.services.imports import importer

    read = importer.read_file(filename, data, vocabulary="receipts", required=COLUMNS, max_rows=2_000_000)
    if read.problems:
        raise BatchRejected([LineError(p.line or 0, "", p.field, p.message) for p in read.problems])
    lines = []
    for row in read.rows:
        get = row.values.get
        lines.append(ReceiptInput(get("external_id", ""), get("organisation", ""), get("category", ""),
                                  get("due_on", ""), get("received_on", ""), get("quantity_received", ""),
                                  get("quantity_accepted", ""), get("quantity_rejected", ""), get("credit_code", ""),
                                  get("supplier_id", ""), get("po_line", ""), row.line))
    return record_batch(session, lines, actor, source=filename)
