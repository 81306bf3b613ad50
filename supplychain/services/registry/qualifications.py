"""Qualification per supply category: an admission qualifies a supplier for the category it evaluated.

The supplier's status stays the group-wide lifecycle status; a qualification says, per category,
whether the supplier may supply it, since when, and which evaluation decided it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import Supplier, SupplierQualification, SupplyCategory, User
from supplychain.services.core import audit
from supplychain.services.risk import recompute as risk_recompute

# What a final evaluation's outcome (supplychain.services.evaluation.lifecycle) means for the category it evaluated.
STATUS_FOR_OUTCOME = {
    "trial": "trial",
    "qualified": "qualified",
    "rejected": "rejected",
    "certificate": "qualified",
    "corrective_actions": "conditional",
    "suspended": "suspended",
    "exited": "exited",
}
QUALIFYING = ("trial", "qualified", "conditional")


def record(session: Session, supplier: Supplier, category_id: int, status: str, since_on: date,
           evaluation_id: int | None, actor: User | None, note: str | None = None) -> SupplierQualification:
    """Set the supplier's qualification for one category (audited; unchanged status keeps its date)."""
    qualification = session.scalar(scope.unscoped(select(SupplierQualification).where(
        SupplierQualification.supplier_id == supplier.id, SupplierQualification.category_id == category_id)))
    if qualification is not None and qualification.status == status:
        qualification.evaluation_id = evaluation_id or qualification.evaluation_id
        return qualification
    before = {"status": qualification.status if qualification else None}
    if qualification is None:
        qualification = SupplierQualification(supplier_id=supplier.id, category_id=category_id)
        session.add(qualification)
    qualification.status = status
    qualification.since_on = since_on
    qualification.evaluation_id = evaluation_id
    qualification.note = (note or "")[:300] or None
    session.flush()
    audit.record(session, actor, "qualification", "supplier", supplier.id,
                 {"status": [before["status"], status], "category_id": [None, category_id]},
                 supplier_id=supplier.id, note=note)
    risk_recompute.refresh_category_peers(session, supplier.id, category_id, actor=actor)
    return qualification


def for_supplier(session: Session, supplier_id: int) -> list[SupplierQualification]:
    """The supplier's qualifications, by category code (shared with every buyer of the group)."""
    stmt = (select(SupplierQualification).join(SupplyCategory, SupplyCategory.id == SupplierQualification.category_id)
            .where(SupplierQualification.supplier_id == supplier_id).order_by(SupplyCategory.code))
    return list(session.scalars(scope.unscoped(stmt)))


def qualified_in(session: Session, supplier_id: int, category_id: int) -> bool:
    """Whether the supplier may supply this category (trial, qualified or conditional)."""
    status = session.scalar(scope.unscoped(select(SupplierQualification.status).where(
        SupplierQualification.supplier_id == supplier_id, SupplierQualification.category_id == category_id)))
    return status in QUALIFYING
