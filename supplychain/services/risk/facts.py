"""Loading the risk facts of many suppliers at once (issue 11, part 1): a handful of grouped queries.

Tiers are the group's view of a supplier, so every query here runs across the whole group
(``scope.unscoped``) even when a subsidiary's buyer triggered the recompute. Nothing is read per
supplier: each query covers all suppliers (a full recompute) or a chunk of the affected ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import (
    Certification,
    Incident,
    RegionRisk,
    SpendLine,
    Supplier,
    SupplierQualification,
    SupplyCategory,
    supplier_categories,
)
from supplychain.services.registry.dual_sourcing import QUALIFIED_STATUSES
from supplychain.services.risk.tiers import INCIDENT_YEARS, LEVEL_INTENSITY, RiskFacts
from supplychain.value_lists import CHUNK, chunks

_RANK = {level: rank for rank, level in enumerate(sorted(LEVEL_INTENSITY, key=LEVEL_INTENSITY.get))}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before the month of `day`."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _run(session: Session, stmt, column, ids: list[int] | None) -> Iterable:
    """Rows of the statement for every supplier (ids None) or for the ids, chunk by chunk."""
    if ids is None:
        yield from session.execute(scope.unscoped(stmt))
        return
    for chunk in chunks(ids, CHUNK):
        yield from session.execute(scope.unscoped(stmt.where(column.in_(chunk))))


def _categories(session: Session, ids: list[int] | None) -> dict[int, tuple[str, tuple]]:
    # The (few) categories once, then only the links' two ids: no names copied per link from a join.
    by_id = {category_id: (_RANK.get(level, 0), code, level, name_zh, name_en)
             for category_id, level, name_zh, name_en, code in session.execute(scope.unscoped(select(
                 SupplyCategory.id, SupplyCategory.risk_level, SupplyCategory.name_zh, SupplyCategory.name_en,
                 SupplyCategory.code)))}
    found: dict[int, list] = defaultdict(list)
    stmt = select(supplier_categories.c.supplier_id, supplier_categories.c.category_id)
    for supplier_id, category_id in _run(session, stmt, supplier_categories.c.supplier_id, ids):
        if category_id in by_id:  # as the inner join did
            found[supplier_id].append(by_id[category_id])
    result = {}
    for supplier_id, rows in found.items():
        top = max(rank for rank, *_ in rows)
        chosen = sorted(row for row in rows if row[0] == top)
        result[supplier_id] = (chosen[0][2], tuple((zh, en) for *_, zh, en in chosen))
    return result


def _spend(session: Session, ids: list[int] | None, today: date) -> dict[int, tuple[float, str]]:
    since = _months_before(today, 11)
    window = (SpendLine.month_on >= since, SpendLine.month_on <= today)
    totals: dict[str, Decimal] = dict(session.execute(scope.unscoped(
        select(SpendLine.currency, func.sum(SpendLine.amount)).where(*window).group_by(SpendLine.currency))).all())
    stmt = (select(SpendLine.supplier_id, SpendLine.currency, func.sum(SpendLine.amount)).where(*window)
            .group_by(SpendLine.supplier_id, SpendLine.currency))
    result: dict[int, tuple[float, str]] = {}
    for supplier_id, currency, amount in _run(session, stmt, SpendLine.supplier_id, ids):
        total = totals.get(currency) or 0
        share = float(Decimal(amount or 0) / Decimal(total)) if total else 0.0
        if supplier_id not in result or share > result[supplier_id][0]:
            result[supplier_id] = (share, currency)
    return result


def _sole_source_statement(supplier_ids: list[int] | None):
    qualified = SupplierQualification.status.in_(QUALIFIED_STATUSES)
    counts = select(SupplierQualification.category_id).where(qualified)
    if supplier_ids is not None:  # only the categories of these suppliers need counting
        counts = counts.where(SupplierQualification.category_id.in_(
            select(SupplierQualification.category_id).where(SupplierQualification.supplier_id.in_(supplier_ids))))
    counts = counts.group_by(SupplierQualification.category_id).having(func.count(SupplierQualification.id) == 1)
    stmt = (select(SupplierQualification.supplier_id, SupplyCategory.code, SupplyCategory.name_zh,
                   SupplyCategory.name_en)
            .join(SupplyCategory, SupplyCategory.id == SupplierQualification.category_id)
            .where(qualified, SupplierQualification.category_id.in_(counts), SupplyCategory.active.is_(True)))
    if supplier_ids is not None:
        stmt = stmt.where(SupplierQualification.supplier_id.in_(supplier_ids))
    return scope.unscoped(stmt)


def _sole_sources(session: Session, ids: list[int] | None) -> dict[int, tuple]:
    found: dict[int, list] = defaultdict(list)
    for chunk in [None] if ids is None else chunks(ids, CHUNK):
        for supplier_id, code, name_zh, name_en in session.execute(_sole_source_statement(chunk)):
            found[supplier_id].append((code, name_zh, name_en))
    return {supplier_id: tuple((zh, en) for _, zh, en in sorted(rows)) for supplier_id, rows in found.items()}


def _incidents(session: Session, ids: list[int] | None, today: date) -> dict[int, dict[str, int]]:
    stmt = (select(Incident.supplier_id, Incident.severity, func.count(Incident.id))
            .where(Incident.deleted_at.is_(None), Incident.occurred_on > _years_before(today, INCIDENT_YEARS),
                   Incident.occurred_on <= today)
            .group_by(Incident.supplier_id, Incident.severity))
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for supplier_id, severity, count in _run(session, stmt, Incident.supplier_id, ids):
        found[supplier_id][severity] = count
    return found


def _expired(session: Session, ids: list[int] | None, today: date) -> dict[int, tuple[str, ...]]:
    # The latest certificate of each type decides: a renewed certificate replaces the expired one, and one
    # without an expiry date never expires.
    stmt = (select(Certification.supplier_id, Certification.cert_type, func.max(Certification.expires_on),
                   func.count(Certification.id) - func.count(Certification.expires_on))
            .where(Certification.deleted_at.is_(None))
            .group_by(Certification.supplier_id, Certification.cert_type))
    found: dict[int, list[str]] = defaultdict(list)
    for supplier_id, cert_type, latest, without_expiry in _run(session, stmt, Certification.supplier_id, ids):
        if not without_expiry and latest is not None and latest < today:
            found[supplier_id].append(cert_type)
    return {supplier_id: tuple(sorted(types)) for supplier_id, types in found.items()}


def load(session: Session, ids: list[int] | None, today: date) -> dict[int, RiskFacts]:
    """The risk facts of every supplier (ids None) or of the given ones, by supplier id."""
    areas = dict(session.execute(scope.unscoped(select(RegionRisk.area, RegionRisk.level))).all())
    categories = _categories(session, ids)
    spend = _spend(session, ids, today)
    sole = _sole_sources(session, ids)
    incidents = _incidents(session, ids, today)
    expired = _expired(session, ids, today)
    facts: dict[int, RiskFacts] = {}
    # Most suppliers have the same facts as thousands of others (same categories and region, no spend, no
    # incident): those share one (frozen) RiskFacts, made once, which also lets the scoring recognise them.
    shared: dict[tuple, RiskFacts] = {}
    for supplier_id, country, region in _run(session, select(Supplier.id, Supplier.country, Supplier.region),
                                              Supplier.id, ids):
        # A level set for the supplier's own country (overseas, Hong Kong, Macao, Taiwan) wins over its region's.
        country_level = areas.get(country) if country and country != "CN" else None
        level, names = categories.get(supplier_id, (None, ()))
        share = spend.get(supplier_id)
        counts = incidents.get(supplier_id)
        key = (level, names, country if country_level else region, country_level or areas.get(region),
               country_level is not None, share, sole.get(supplier_id, ()),
               tuple(sorted(counts.items())) if counts else (), expired.get(supplier_id, ()))
        found = shared.get(key)
        if found is None:
            found = shared[key] = RiskFacts(
                category_level=level, categories=names, area=key[2], area_level=key[3], area_is_country=key[4],
                spend_share=share[0] if share else None, spend_currency=share[1] if share else "",
                sole_source=key[6], incidents=dict(counts or {}), expired_types=key[8],
            )
        facts[supplier_id] = found
    return facts
