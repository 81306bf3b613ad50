"""gen_* helpers for purchasing data: spend lines and receipt lines, sent through the real batch services."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from supplychain.models import Organisation, Supplier
from supplychain.services.purchasing import receipts, spend

_counter = itertools.count(1)


def spend_input(supplier: Supplier, org: Organisation, month: str = "2026-03", amount: str = "1000.00",
                currency: str = "CNY", category: str = "equipment", **overrides) -> spend.SpendInput:
    """A valid spend line for a supplier the organisation buys from."""
    values = dict(external_id=f"SP-{next(_counter)}", organisation=org.code, category=category,
                  month=month, amount=amount, currency=currency, order_count="2",
                  credit_code=supplier.credit_code or "", supplier_id=None if supplier.credit_code else supplier.id)
    values.update(overrides)
    return spend.SpendInput(**values)


def gen_spend(session, supplier: Supplier, organisation: Organisation, **kwargs):
    """One spend line recorded through spend.record_batch."""
    spend.record_batch(session, [spend_input(supplier, organisation, **kwargs)], None)


def receipt_input(supplier: Supplier, org: Organisation, due_on: date = date(2026, 3, 10),
                  received_on: date = date(2026, 3, 10), received: str = "100", accepted: str | None = None,
                  rejected: str = "0", category: str = "equipment", **overrides) -> receipts.ReceiptInput:
    """A valid receipt line (accepted defaults to received minus rejected)."""
    if accepted is None:
        accepted = str(Decimal(received) - Decimal(rejected))
    values = dict(external_id=f"RC-{next(_counter)}", organisation=org.code, category=category,
                  due_on=str(due_on), received_on=str(received_on), quantity_received=received,
                  quantity_accepted=accepted, quantity_rejected=rejected, credit_code=supplier.credit_code or "",
                  supplier_id=None if supplier.credit_code else supplier.id, po_line="PO-1/1")
    values.update(overrides)
    return receipts.ReceiptInput(**values)


def gen_receipt(session, supplier: Supplier, organisation: Organisation, **kwargs):
    """One receipt line recorded through receipts.record_batch."""
    receipts.record_batch(session, [receipt_input(supplier, organisation, **kwargs)], None)
