"""The records behind each list page, unpaginated, for its XLSX/CSV export.

Each function takes the same filters as its list page and returns (or streams) the same records,
so an export holds what the page shows, every page of it. Labels and columns are the view's
business (they depend on the reader's language); this module only loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.audit_labels import ACTION_LABELS, ENTITY_LABELS, filter_keys
from supplychain.models import AuditEntry, Evaluation, Supplier
from supplychain.models.supplier import supplier_categories
from supplychain.services.evaluation import evaluations
from supplychain.services.registry import suppliers as supplier_service

#: Rows fetched per round trip when streaming a long list.
BATCH = 1000


@dataclass(frozen=True)
class SupplierRow:
    """The columns of one supplier the export writes (plain values, no ORM object: 100,000 rows stream)."""

    id: int
    name_zh: str
    name_en: str | None
    credit_code: str | None
    region: str
    province_code: str | None
    country: str | None
    city: str | None
    status: str
    registered_on: date
    supplier_type: str
    category_ids: tuple[int, ...]


def suppliers(session: Session, filters: supplier_service.SupplierFilters) -> Iterator[SupplierRow]:
    """Every supplier matching the list filters, in the list's order, streamed in batches of plain rows.

    "Local" is what the list page means by it: local to an organisation of the scope that buys from it."""
    order = supplier_service.SORTS.get(filters.sort, supplier_service.SORTS["-registered"])
    columns = (Supplier.id, Supplier.name_zh, Supplier.name_en, Supplier.credit_code, Supplier.region,
               Supplier.province_code, Supplier.country, Supplier.city, Supplier.status, Supplier.registered_on,
               Supplier.supplier_type)
    stmt = supplier_service._filtered(select(*columns), filters, scope.local_condition(session)).order_by(
        order, Supplier.id.desc())
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        ids = [row.id for row in batch]
        links: dict[int, list[int]] = {}
        for supplier_id, category_id in session.execute(
            select(supplier_categories.c.supplier_id, supplier_categories.c.category_id)
            .where(supplier_categories.c.supplier_id.in_(ids))
            .order_by(supplier_categories.c.supplier_id, supplier_categories.c.category_id)
        ):
            links.setdefault(supplier_id, []).append(category_id)
        for row in batch:
            yield SupplierRow(*row, category_ids=tuple(links.get(row.id, ())))


def evaluations_list(session: Session, filters: evaluations.EvaluationFilters, actor) -> list[Evaluation]:
    """Every evaluation matching the list filters (all pages), newest first."""
    page = evaluations.search(session, filters, actor, page=1, per_page=10**9)
    return page.items


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log page filters by."""

    entity_type: str = ""
    action: str = ""
    actor: str = ""
    supplier_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _audit_stmt(filters: AuditFilters, tz) -> object:
    stmt = select(AuditEntry)
    if filters.entity_type:
        stmt = stmt.where(AuditEntry.entity_type.in_(filter_keys(filters.entity_type)))
    if filters.action:
        stmt = stmt.where(AuditEntry.action.in_(filter_keys(filters.action)))
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor_email.contains(filters.actor.strip().lower(), autoescape=True))
    if filters.supplier_id:
        stmt = stmt.where(AuditEntry.supplier_id == filters.supplier_id)
    # Days are days in the report time zone, the zone every timestamp is shown in.
    if filters.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        stmt = stmt.where(AuditEntry.at < datetime.combine(filters.date_to + timedelta(days=1), time.min, tz))
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


# The audit log page counts the matching entries up to this many and says "more" beyond: counting a group's
# whole history on every view grew with it (the filters narrow it; the export still holds every entry).
AUDIT_COUNT_CAP = 10_000


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log: its entries, the page number and how many entries match (at most
    AUDIT_COUNT_CAP; `more` when there are more than that)."""

    entries: list[AuditEntry]
    page: int
    total: int
    more: bool


def audit_entries(session: Session, filters: AuditFilters, tz, page: int = 1, per_page: int = 100) -> AuditPage:
    """One page of the audit log (newest first); the pages reach as far as the count does."""
    stmt = _audit_stmt(filters, tz)
    found = session.scalar(select(func.count()).select_from(
        stmt.order_by(None).limit(AUDIT_COUNT_CAP + 1).subquery())) or 0
    total = min(found, AUDIT_COUNT_CAP)
    page = max(1, min(page, max(1, -(-total // per_page))))
    items = list(session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(items, page, total, found > AUDIT_COUNT_CAP)


def all_audit_entries(session: Session, filters: AuditFilters, tz) -> Iterator[AuditEntry]:
    """Every audit entry matching the filters, newest first, streamed."""
    yield from session.scalars(_audit_stmt(filters, tz).execution_options(yield_per=BATCH))


def audit_facets() -> tuple[list[str], list[str]]:
    """The record types and actions for the filter drop-downs: the ones the app writes (audit_labels), not a
    scan of the whole log on every view."""
    return sorted(ENTITY_LABELS), sorted(ACTION_LABELS)
