"""Dual sourcing (双货源, DOMAIN "Dual sourcing"): qualified suppliers and admission candidates per category.

A category with fewer qualified suppliers than the configured minimum is a supply-disruption
(single-source) risk; the reports also ask for at least 3 candidates evaluated per category.
Both count per category from the suppliers' qualification for that category (not the categories a
supplier lists), for the session's scope: the whole group, or one organisation's subtree (the
suppliers it buys from, whoever in the group evaluated them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import SupplierQualification, SupplyCategory
from supplychain.models.evaluation import Evaluation
from supplychain.services.evaluation.periods import Period

MIN_CANDIDATES = 3
# On the qualified list: qualified, or conditional (still supplying while corrective actions run).
QUALIFIED_STATUSES = ("qualified", "conditional")


@dataclass
class CategorySourcing:
    """One category's row on the dual-sourcing page."""

    category: SupplyCategory
    qualified: int
    conditional: int
    trial: int
    candidates: int  # admission evaluations submitted or final in the period
    periodic: int  # final periodic evaluations of the period
    minimum: int

    @property
    def on_list(self) -> int:
        """Suppliers the category can buy from: qualified and conditional."""
        return self.qualified + self.conditional

    @property
    def single_source_risk(self) -> bool:
        """Fewer suppliers on the qualified list than the configured minimum."""
        return self.on_list < self.minimum

    @property
    def few_candidates(self) -> bool:
        """Fewer than 3 candidates evaluated in the period."""
        return self.candidates < MIN_CANDIDATES


def overview(session: Session, period: Period, minimum: int) -> list[CategorySourcing]:
    """Every active category with its counts for the period, riskiest first."""
    statuses: dict[tuple[int, str], int] = {
        (category_id, status): count
        for category_id, status, count in session.execute(
            select(SupplierQualification.category_id, SupplierQualification.status,
                   func.count(SupplierQualification.id))
            .where(SupplierQualification.status.in_((*QUALIFIED_STATUSES, "trial")))
            .group_by(SupplierQualification.category_id, SupplierQualification.status)
        )
    }
    # Admission is centralised: count candidates of the scope's suppliers whoever in the group evaluated them.
    active = scope.current(session)
    admissions = (
        select(Evaluation.category_id, func.count(func.distinct(Evaluation.supplier_id)))
        .where(
            Evaluation.kind == "admission",
            Evaluation.status.in_(("submitted", "final")),
            Evaluation.as_of >= period.start,
            Evaluation.as_of <= period.end,
        )
        .group_by(Evaluation.category_id)
    )
    if not active.everything:
        admissions = admissions.where(Evaluation.supplier_id.in_(scope.visible_supplier_ids(active.organisation_ids)))
    candidates = dict(session.execute(scope.unscoped(admissions)).all())
    periodic = dict(
        session.execute(
            select(Evaluation.category_id, func.count(Evaluation.id))
            .where(
                Evaluation.kind == "periodic",
                Evaluation.status == "final",
                Evaluation.period_start >= period.start,
                Evaluation.period_end <= period.end,
            )
            .group_by(Evaluation.category_id)
        ).all()
    )
    rows = [
        CategorySourcing(
            category,
            statuses.get((category.id, "qualified"), 0),
            statuses.get((category.id, "conditional"), 0),
            statuses.get((category.id, "trial"), 0),
            candidates.get(category.id, 0),
            periodic.get(category.id, 0),
            minimum,
        )
        for category in session.scalars(
            select(SupplyCategory).where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code)
        )
    ]
    return sorted(rows, key=lambda row: (not row.single_source_risk, row.on_list, row.category.code))
