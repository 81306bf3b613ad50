"""Reading inherent risk tiers within the acting scope (issue 11, part 1): supplier page, list, dashboard, CSV."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import Supplier, SupplierRisk
from supplychain.value_lists import CHUNK, chunks


def for_supplier(session: Session, supplier_id: int) -> SupplierRisk | None:
    """The supplier's computed tier, score and factors (None until computed)."""
    return session.get(SupplierRisk, supplier_id)


def tiers_for(session: Session, supplier_ids: Iterable[int]) -> dict[int, Row]:
    """The tier and score of these suppliers (a page of the list), by supplier id: rows with `.tier` and `.score`.

    Two columns, not the records: the list shows no factors, and decoding 50 factor lists into 50 objects was a
    tenth of a list request's database work on the Python side (issue 14).
    """
    found: dict[int, Row] = {}
    columns = (SupplierRisk.supplier_id, SupplierRisk.tier, SupplierRisk.score)
    for chunk in chunks(sorted(set(supplier_ids)), CHUNK):
        found.update((row.supplier_id, row) for row in
                     session.execute(scope.row_by_row(select(*columns).where(SupplierRisk.supplier_id.in_(chunk)))))
    return found


def count_by_tier(session: Session) -> dict[str, int]:
    """Suppliers of the scope per tier (the dashboard's figure; the list filtered by tier shows the same ones)."""
    stmt = (select(SupplierRisk.tier, func.count(Supplier.id)).join(Supplier, Supplier.id == SupplierRisk.supplier_id)
            .group_by(SupplierRisk.tier))
    return dict(session.execute(stmt).all())


@dataclass(frozen=True)
class TierRow:
    """One line of ``flask risk tiers``."""

    name: str
    credit_code: str
    tier: str
    score: float
    factors: list


def rows(session: Session, tier: str | None = None) -> Iterator[TierRow]:
    """Every supplier of the scope with a computed tier, riskiest first (ties by name)."""
    stmt = (select(Supplier.name_zh, Supplier.credit_code, SupplierRisk.tier, SupplierRisk.score,
                   SupplierRisk.factors)
            .join(SupplierRisk, SupplierRisk.supplier_id == Supplier.id)
            .order_by(SupplierRisk.score.desc(), Supplier.name_zh, Supplier.id))
    if tier:
        stmt = stmt.where(SupplierRisk.tier == tier)
    for name, code, found_tier, score, factors in session.execute(stmt.execution_options(yield_per=2000)):
        yield TierRow(name, code or "", found_tier, score, list(factors or []))
