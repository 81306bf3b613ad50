"""Procurement's home page: the supply chain at a glance, with charts drawn by the same ReportLab chart
module as the PDFs (reports.charts) and turned into SVG for the page (issue 6)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports import charts
from supplychain import regions, scope
from supplychain.models import (
    STATUSES,
    Certification,
    CorrectiveAction,
    Supplier,
    SupplyCategory,
    supplier_categories,
)
from supplychain.models.evaluation import Evaluation
from supplychain.models.scheme import SchemeVersion
from supplychain.services.disclosure.statuses import ENGAGED
from supplychain.web_charts import web_svg

STATUS_COLOURS = {
    "registered": "#6b7280",
    "under_review": "#56b4e9",
    "trial": "#0072b2",
    "qualified": "#1a7f37",
    "conditional": "#bf8700",
    "suspended": "#d55e00",
    "exited": "#374151",
    "blacklisted": "#cf222e",
    "rejected": "#9a3412",
}
QUALIFIED_LIST = ("qualified", "conditional")

@dataclass
class Dashboard:
    """What the home page shows; charts are ready-made SVG text."""

    today: date
    by_region: list[tuple[str, int]]  # region key, suppliers in the supply chain
    by_status: list[tuple[str, int]]
    in_supply_chain: int
    local: int
    grade_year: int | None
    grades: list[tuple[str, str, str, str, int]]  # key, name zh, name en, colour, count
    pledge_signed: int
    pledge_rate: float | None
    certificates_expired: int
    certificates_expiring: int
    warning_days: int
    single_source: list[tuple[SupplyCategory, int]]
    dual_sourcing_minimum: int
    actions_open: int
    actions_overdue: int
    charts: dict[str, str] = field(default_factory=dict)
    # Suppliers per inherent risk tier (issue 11); the high ones link to the supplier list filtered by tier.
    risk_tiers: dict[str, int] = field(default_factory=dict)


def overview(
    session: Session,
    today: date,
    language: str,
    warning_days: int = 60,
    dual_sourcing_minimum: int = 2,
) -> Dashboard:
    """Every figure and chart of the home page, as of today, labelled in one language."""
    statuses = Counter(
        dict(
            session.execute(select(Supplier.status, func.count(Supplier.id)).group_by(Supplier.status)).all()
        )
    )
    # The supply chain's figures as counts in SQL: no supplier ids travel to Python (100,000 suppliers).
    in_chain = Supplier.status.in_(ENGAGED)
    region_counts = dict(session.execute(
        select(Supplier.region, func.count(Supplier.id)).where(in_chain).group_by(Supplier.region)).all())
    by_region = [(r.key, region_counts.get(r.key, 0)) for r in regions.REGIONS]
    local = session.scalar(select(func.count(Supplier.id)).where(in_chain, scope.local_condition(session))) or 0
    # Grades: the latest year with final periodic evaluations, the latest evaluation per supplier.
    grade_year = session.scalar(
        select(func.max(Evaluation.period_year)).where(
            Evaluation.kind == "periodic", Evaluation.status == "final"
        )
    )
    grades: list[tuple[str, str, str, str, int]] = []
    if grade_year is not None:
        latest: dict[int, tuple] = {}
        for row in session.execute(
            select(Evaluation.supplier_id, Evaluation.grade, Evaluation.scheme_version_id)
            .where(
                Evaluation.kind == "periodic",
                Evaluation.status == "final",
                Evaluation.period_year == grade_year,
            )
            .order_by(Evaluation.period_end, Evaluation.id)
        ):
            latest[row.supplier_id] = (row.grade, row.scheme_version_id)
        counts = Counter(grade for grade, _ in latest.values())
        bands: dict[str, tuple[str, str, str]] = {}
        for definition in session.scalars(
            select(SchemeVersion.definition).where(
                SchemeVersion.id.in_(sorted({v for _, v in latest.values()}))
            )
        ):
            for band in sorted(
                (definition or {}).get("bands", []), key=lambda b: -float(b.get("min_score", 0))
            ):
                bands.setdefault(
                    band["key"],
                    (
                        band.get("name_zh", band["key"]),
                        band.get("name_en", band["key"]),
                        band.get("colour") or charts.DEFAULT_COLOUR,
                    ),
                )
        for key in [*bands, *sorted(k for k in counts if k not in bands)]:
            zh, en, colour = bands.get(key, (key, key, charts.DEFAULT_COLOUR))
            grades.append((key, zh, en, colour, counts.get(key, 0)))
    # The integrity pledge signing rate: the one definition of /pledges/ and the disclosure (issue 12, D4),
    # counted in SQL.
    from supplychain.services import pledges

    integrity = pledges.kind_rate(session, today, "integrity", ENGAGED)
    # Certificates of the suppliers in the supply chain: the latest expiry per supplier and type.
    latest_expiry: dict[tuple[int, str], date | None] = {}
    for sid, cert_type, expires_on in session.execute(
        select(Certification.supplier_id, Certification.cert_type, Certification.expires_on)
        .join(Supplier, Supplier.id == Certification.supplier_id)
        .where(Supplier.status.in_(ENGAGED))
    ):
        key = (sid, cert_type)
        if key in latest_expiry and latest_expiry[key] is None:
            continue  # one certificate of this type never expires
        if expires_on is None or key not in latest_expiry or expires_on > latest_expiry[key]:
            latest_expiry[key] = expires_on
    expired = sum(1 for d in latest_expiry.values() if d is not None and d < today)
    expiring = sum(
        1
        for d in latest_expiry.values()
        if d is not None and today <= d <= today + timedelta(days=warning_days)
    )
    # Single-source categories: fewer suppliers on the qualified list than the minimum.
    on_list = dict(
        session.execute(
            select(supplier_categories.c.category_id, func.count(Supplier.id))
            .join(Supplier, Supplier.id == supplier_categories.c.supplier_id)
            .where(Supplier.status.in_(QUALIFIED_LIST))
            .group_by(supplier_categories.c.category_id)
        ).all()
    )
    single_source = [
        (c, on_list.get(c.id, 0))
        for c in session.scalars(
            select(SupplyCategory).where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code)
        )
        if on_list.get(c.id, 0) < dual_sourcing_minimum
    ]
    open_actions = session.scalar(
        select(func.count(CorrectiveAction.id)).where(CorrectiveAction.status != "verified")
    )
    overdue = session.scalar(
        select(func.count(CorrectiveAction.id)).where(
            CorrectiveAction.status != "verified", CorrectiveAction.due_on < today
        )
    )
    result = Dashboard(
        today=today,
        by_region=by_region,
        by_status=[(s, statuses.get(s, 0)) for s in STATUSES],
        in_supply_chain=sum(region_counts.values()),
        local=local,
        grade_year=grade_year,
        grades=grades,
        pledge_signed=integrity.signed,
        pledge_rate=integrity.percent,
        certificates_expired=expired,
        certificates_expiring=expiring,
        warning_days=warning_days,
        single_source=single_source,
        dual_sourcing_minimum=dual_sourcing_minimum,
        actions_open=open_actions or 0,
        actions_overdue=overdue or 0,
    )
    result.charts = _charts(result, language)
    from supplychain.services.risk import tier_lists

    result.risk_tiers = tier_lists.count_by_tier(session)
    return result


def _charts(dash: Dashboard, language: str) -> dict[str, str]:
    en = language == "en"
    region_data = [(regions.region_name(key, language), count) for key, count in dash.by_region]
    title = "Suppliers in the supply chain by region" if en else "供应链中的供应商（按地区）"
    out = {"region": web_svg(charts.to_svg(charts.pie_chart(region_data, "", width=320, height=170)), title)}
    status_names = _status_names(language)
    status_data = [(status_names.get(s, s), n) for s, n in dash.by_status if n]
    title = "Suppliers by status" if en else "供应商状态"
    out["status"] = web_svg(
        charts.to_svg(
            charts.horizontal_bar_chart(
                status_data,
                "",
                colours=[STATUS_COLOURS.get(s) for s, n in dash.by_status if n],
                width=320,
                value_max=None,
                places=0,
            )
        ),
        title,
    )
    if dash.grades:
        grade_data = [(en_name if en else zh, n) for _k, zh, en_name, _c, n in dash.grades]
        title = "Grade distribution" if en else "评价等级分布"
        out["grades"] = web_svg(
            charts.to_svg(
                charts.bar_chart(
                    grade_data, "", colours=[c for _k, _zh, _en, c, _n in dash.grades], width=320, height=170,
                value_max=max(4, *(n for *_rest, n in dash.grades)),  # whole numbers on the axis
                )
            ),
            title,
        )
    return out


def _status_names(language: str) -> dict[str, str]:
    from supplychain.services.scorecards import STATUS_NAMES

    return {key: names[1] if language == "en" else names[0] for key, names in STATUS_NAMES.items()}
