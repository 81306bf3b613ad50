"""Figures derived from the spend ledger, each with the filter that finds the lines behind it.

All figures are for one calendar year and one currency (amounts are never converted: a group that
pays in several currencies sees one set of figures per currency). Every query goes through the
session, so the organisation scope applies: a subsidiary's user sees its subtree's spend only.

- suppliers with spend in the year (the population of an annual qualified-supplier review);
- spend by region and the local spend share (GRI 204-1): a line is local when the supplier's
  province is the home province of the organisation that spent it, so "local" is per organisation,
  as in `scope.local_condition`; an organisation without a home province has no local spend;
- the critical suppliers: the fewest suppliers, largest first, whose spend reaches 80 % of the total
  (the supplier that crosses the threshold is included; ties by supplier id);
- spend-weighted coverage: the share of spend with suppliers that have an integrity pledge in force
  during the year, a final evaluation dated in the year, and a reviewed questionnaire in the year.

The arithmetic is in pure functions over `SupplierSpend` rows; the queries only load them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from supplychain.models import Evaluation, IntegrityPledge, Organisation, SaqResponse, SpendLine, Supplier
from supplychain.regions import REGION_KEYS
from supplychain.value_lists import chunks

CRITICAL_SHARE = Decimal(80)
DEFAULT_CURRENCY = "CNY"
COVERAGE_KINDS = ("pledges", "assessments", "questionnaires")
_PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class SpendFilter:
    """Which ledger lines a figure stands on: a year and currency, narrowed to suppliers, a region or local."""

    year: int
    currency: str = DEFAULT_CURRENCY
    supplier_ids: tuple[int, ...] | None = None
    region: str | None = None
    local: bool | None = None


@dataclass(frozen=True)
class SupplierSpend:
    """One supplier's spend in the year and currency: total, the local part, and the number of lines."""

    supplier_id: int
    name: str
    region: str
    amount: Decimal
    local_amount: Decimal
    lines: int


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent with one decimal (None when the whole is zero)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(_PERCENT, ROUND_HALF_UP)


@dataclass
class Figure:
    """A figure: its rows (label, amount, share, suppliers, drill-down filter) and the total."""

    total: Decimal
    rows: list[dict] = field(default_factory=list)


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 1)


def per_supplier(session: Session, year: int, currency: str) -> list[SupplierSpend]:
    """Each supplier's spend in the year and currency, largest first (ties by supplier id), in scope."""
    first, last = _bounds(year)
    local = case((Organisation.home_province == Supplier.province_code, SpendLine.amount), else_=0)
    stmt = (
        select(SpendLine.supplier_id, Supplier.name_zh, Supplier.region, func.sum(SpendLine.amount),
               func.sum(local), func.count(SpendLine.id))
        .join(Supplier, Supplier.id == SpendLine.supplier_id)
        .join(Organisation, Organisation.id == SpendLine.organisation_id)
        .where(SpendLine.month_on >= first, SpendLine.month_on <= last, SpendLine.currency == currency)
        .group_by(SpendLine.supplier_id, Supplier.name_zh, Supplier.region)
    )
    rows = [SupplierSpend(sid, name, region, Decimal(amount).quantize(Decimal("0.01")),
                          Decimal(local_amount or 0).quantize(Decimal("0.01")), count)
            for sid, name, region, amount, local_amount, count in session.execute(stmt)]
    rows.sort(key=lambda row: (-row.amount, row.supplier_id))
    return rows


def currencies(session: Session, year: int) -> list[str]:
    """The currencies with spend in the year (in scope), alphabetically."""
    first, last = _bounds(year)
    return list(session.scalars(select(SpendLine.currency).where(
        SpendLine.month_on >= first, SpendLine.month_on <= last).group_by(SpendLine.currency)
        .order_by(SpendLine.currency)))


# --------------------------------------------------------------------------
# Pure arithmetic
# --------------------------------------------------------------------------


def suppliers_figure(rows: list[SupplierSpend], year: int, currency: str) -> Figure:
    """Suppliers with spend in the year: each with its amount and share of the total."""
    total = sum((row.amount for row in rows), Decimal(0))
    return Figure(total, [
        {"supplier_id": row.supplier_id, "label": row.name, "amount": row.amount, "share": share(row.amount, total),
         "lines": row.lines, "filter": SpendFilter(year, currency, (row.supplier_id,))}
        for row in rows])


def region_figure(rows: list[SupplierSpend], year: int, currency: str) -> Figure:
    """Spend by region (B5.1 order), with suppliers per region, and the local row (GRI 204-1)."""
    total = sum((row.amount for row in rows), Decimal(0))
    figure = Figure(total)
    for region in REGION_KEYS:
        members = [row for row in rows if row.region == region]
        if not members:
            continue
        amount = sum((row.amount for row in members), Decimal(0))
        figure.rows.append({"region": region, "amount": amount, "share": share(amount, total),
                            "suppliers": len(members), "filter": SpendFilter(year, currency, region=region)})
    local = sum((row.local_amount for row in rows), Decimal(0))
    figure.rows.append({"region": "local", "amount": local, "share": share(local, total),
                        "suppliers": sum(1 for row in rows if row.local_amount),
                        "filter": SpendFilter(year, currency, local=True)})
    return figure


def critical_figure(rows: list[SupplierSpend], year: int, currency: str, threshold: Decimal = CRITICAL_SHARE) -> Figure:
    """The fewest suppliers, largest first, whose cumulative spend reaches `threshold` percent of the total."""
    total = sum((row.amount for row in rows), Decimal(0))
    figure = Figure(total)
    if not total:
        return figure
    running = Decimal(0)
    for row in rows:  # already largest first, ties by supplier id
        if running * 100 >= threshold * total:
            break
        running += row.amount
        figure.rows.append({"supplier_id": row.supplier_id, "label": row.name, "amount": row.amount,
                            "share": share(row.amount, total), "cumulative": share(running, total),
                            "filter": SpendFilter(year, currency, (row.supplier_id,))})
    return figure


def coverage_figure(rows: list[SupplierSpend], covered: dict[str, set[int]], year: int, currency: str) -> Figure:
    """Spend-weighted coverage: per kind, the spend with covered suppliers and its share of the total."""
    total = sum((row.amount for row in rows), Decimal(0))
    figure = Figure(total)
    for kind in COVERAGE_KINDS:
        ids = covered.get(kind, set())
        members = [row for row in rows if row.supplier_id in ids]
        amount = sum((row.amount for row in members), Decimal(0))
        figure.rows.append({"kind": kind, "amount": amount, "share": share(amount, total),
                            "suppliers": len(members), "of_suppliers": len(rows),
                            "filter": SpendFilter(year, currency, tuple(sorted(r.supplier_id for r in members)))})
    return figure


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def covered_suppliers(session: Session, year: int, supplier_ids: Iterable[int]) -> dict[str, set[int]]:
    """Which of these suppliers have a pledge in force in the year, a final evaluation and a reviewed questionnaire.

    Pledges and evaluations count when an organisation of the session's scope made them.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    ids = sorted(set(supplier_ids))
    found: dict[str, set[int]] = {kind: set() for kind in COVERAGE_KINDS}
    for chunk in chunks(ids):
        found["pledges"].update(session.scalars(select(IntegrityPledge.supplier_id).where(
            IntegrityPledge.supplier_id.in_(chunk), IntegrityPledge.signed_on <= end,
            or_(IntegrityPledge.valid_until.is_(None), IntegrityPledge.valid_until >= start))))
        found["assessments"].update(session.scalars(select(Evaluation.supplier_id).where(
            Evaluation.supplier_id.in_(chunk), Evaluation.status == "final", Evaluation.as_of >= start,
            Evaluation.as_of <= end)))
        found["questionnaires"].update(session.scalars(select(SaqResponse.supplier_id).where(
            SaqResponse.supplier_id.in_(chunk), SaqResponse.status == "reviewed", SaqResponse.reviewed_on >= start,
            SaqResponse.reviewed_on <= end)))
    return found


@dataclass
class SpendFigures:
    """Every spend figure of one year and currency, for the /spend/ page."""

    year: int
    currency: str
    suppliers: Figure
    regions: Figure
    critical: Figure
    coverage: Figure


def figures(session: Session, year: int, currency: str = DEFAULT_CURRENCY) -> SpendFigures:
    """All spend figures of a year and currency, within the session's organisation scope."""
    rows = per_supplier(session, year, currency)
    covered = covered_suppliers(session, year, [row.supplier_id for row in rows])
    return SpendFigures(year, currency, suppliers_figure(rows, year, currency), region_figure(rows, year, currency),
                        critical_figure(rows, year, currency), coverage_figure(rows, covered, year, currency))


def lines(session: Session, spend_filter: SpendFilter, limit: int = 1000) -> list[SpendLine]:
    """The ledger lines behind a figure (drill-down), in scope, by supplier, month and external id."""
    first, last = _bounds(spend_filter.year)
    stmt = (select(SpendLine).join(Supplier, Supplier.id == SpendLine.supplier_id)
            .where(SpendLine.month_on >= first, SpendLine.month_on <= last,
                   SpendLine.currency == spend_filter.currency))
    if spend_filter.supplier_ids is not None:
        stmt = stmt.where(SpendLine.supplier_id.in_(spend_filter.supplier_ids))
    if spend_filter.region:
        stmt = stmt.where(Supplier.region == spend_filter.region)
    if spend_filter.local:
        stmt = stmt.join(Organisation, Organisation.id == SpendLine.organisation_id).where(
            Organisation.home_province == Supplier.province_code)
    stmt = stmt.order_by(Supplier.name_zh, SpendLine.month_on, SpendLine.external_id).limit(limit)
    return list(session.scalars(stmt))


DRILL_FIGURES = ("total", "supplier", "region", "local", "critical", "coverage")


def drill_filter(session: Session, year: int, currency: str, figure: str, key: str = "") -> SpendFilter | None:
    """The filter behind one figure row of the page: total, supplier (id), region (key), local, critical,
    coverage (kind). None when the figure or key is not one of them."""
    if figure == "total":
        return SpendFilter(year, currency)
    if figure == "supplier":
        return SpendFilter(year, currency, (int(key),)) if key.isdigit() else None
    if figure == "region":
        return SpendFilter(year, currency, region=key) if key in REGION_KEYS else None
    if figure == "local":
        return SpendFilter(year, currency, local=True)
    rows = per_supplier(session, year, currency)
    if figure == "critical":
        return SpendFilter(year, currency, tuple(r["supplier_id"] for r in critical_figure(rows, year, currency).rows))
    if figure == "coverage" and key in COVERAGE_KINDS:
        covered = covered_suppliers(session, year, [row.supplier_id for row in rows])[key]
        return SpendFilter(year, currency, tuple(sorted(sid for sid in covered if any(r.supplier_id == sid
                                                                                        for r in rows))))
    return None
