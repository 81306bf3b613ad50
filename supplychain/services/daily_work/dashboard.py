"""Procurement's home page: the supply chain at a glance, with charts drawn by the same ReportLab chart
module as the PDFs (reports.charts) and turned into SVG for the page (issue 6)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, case, func, null, select, type_coerce
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
from supplychain.services.core import remembered_counts
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

@dataclass(frozen=True)
class CategoryName:
    """A supply category as the dashboard names it (plain values: the figures outlive the request's session)."""

    id: int
    code: str
    name_zh: str
    name_en: str | None


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
    single_source: list[tuple[CategoryName, int]]
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
    seconds: float = 0,
) -> Dashboard:
    """Every figure and chart of the home page, as of today, labelled in one language.

    With `seconds` (the DASHBOARD_SECONDS setting) the figures and charts are remembered per database, scope,
    day, language and settings for that long, and forgotten at once when this process changes what they read
    (services/core/remembered_counts.py). The result is shared: callers must not change it.
    """
    key = ("dashboard", today, language, warning_days, dual_sourcing_minimum)
    return remembered_counts.remembered(
        session, key, seconds, lambda: _counted(session, today, language, warning_days, dual_sourcing_minimum))


def _counted(session: Session, today: date, language: str, warning_days: int, dual_sourcing_minimum: int,
             ) -> Dashboard:
    """The figures, every one counted in SQL (no ORM objects, no supplier ids or records sent to Python)."""
    by_status_region = session.execute(
        select(Supplier.status, Supplier.region, func.count(Supplier.id)).group_by(Supplier.status, Supplier.region)
    ).all()
    statuses: Counter = Counter()
    region_counts: Counter = Counter()
    for status, region, n in by_status_region:
        statuses[status] += n
        if status in ENGAGED:
            region_counts[region] += n
    by_region = [(r.key, region_counts.get(r.key, 0)) for r in regions.REGIONS]
    local = session.scalar(
        select(func.count(Supplier.id)).where(Supplier.status.in_(ENGAGED), scope.local_condition(session))) or 0
    grade_year, grades = _grades(session)
    # The integrity pledge signing rate: the one definition of /pledges/ and the disclosure (issue 12, D4),
    # counted in SQL.
    from supplychain.services.evidence import pledges

    integrity = pledges.kind_rate(session, today, "integrity", ENGAGED)
    expired, expiring = _certificates(session, today, warning_days)
    open_actions, overdue = session.execute(
        select(func.count(CorrectiveAction.id), func.sum(case((CorrectiveAction.due_on < today, 1), else_=0)))
        .where(CorrectiveAction.status != "verified")).one()
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
        single_source=_single_source(session, dual_sourcing_minimum),
        dual_sourcing_minimum=dual_sourcing_minimum,
        actions_open=open_actions or 0,
        actions_overdue=int(overdue or 0),
    )
    result.charts = _charts(result, language)
    from supplychain.services.risk import tier_lists

    result.risk_tiers = tier_lists.count_by_tier(session)
    return result


def _grades(session: Session) -> tuple[int | None, list[tuple[str, str, str, str, int]]]:
    """The latest year with final periodic evaluations, and the grades of each supplier's latest one of it.

    "Latest" is the last by period end, then id; counted per grade and scheme version in SQL, the bands
    (names, colours, order: best first) from the schemes the evaluations used.
    """
    periodic_final = (Evaluation.kind == "periodic", Evaluation.status == "final")
    grade_year = session.scalar(select(func.max(Evaluation.period_year)).where(*periodic_final))
    if grade_year is None:
        return None, []
    latest = (select(Evaluation.grade, Evaluation.scheme_version_id,
                     func.row_number().over(partition_by=Evaluation.supplier_id,
                                            order_by=(Evaluation.period_end.desc(), Evaluation.id.desc()))
                     .label("n"))
              .where(*periodic_final, Evaluation.period_year == grade_year)
              .subquery())
    rows = session.execute(select(latest.c.grade, latest.c.scheme_version_id, func.count())
                           .where(latest.c.n == 1).group_by(latest.c.grade, latest.c.scheme_version_id)).all()
    counts: Counter = Counter()
    for grade, _version, n in rows:
        counts[grade] += n
    bands: dict[str, tuple[str, str, str]] = {}
    for definition in session.scalars(
        select(SchemeVersion.definition).where(SchemeVersion.id.in_(sorted({v for _, v, _ in rows})))
    ):
        for band in sorted((definition or {}).get("bands", []), key=lambda b: -float(b.get("min_score", 0))):
            bands.setdefault(
                band["key"],
                (band.get("name_zh", band["key"]), band.get("name_en", band["key"]),
                 band.get("colour") or charts.DEFAULT_COLOUR),
            )
    grades = []
    for key in [*bands, *sorted(k for k in counts if k not in bands)]:
        zh, en, colour = bands.get(key, (key, key, charts.DEFAULT_COLOUR))
        grades.append((key, zh, en, colour, counts.get(key, 0)))
    return grade_year, grades


def _certificates(session: Session, today: date, warning_days: int) -> tuple[int, int]:
    """Certificates of the suppliers in the supply chain, the latest per supplier and type: expired, expiring.

    The latest is the one that expires last; one that never expires (no expiry date) makes the type neither.
    """
    never = func.count(Certification.id) > func.count(Certification.expires_on)
    latest = (select(type_coerce(case((never, null()), else_=func.max(Certification.expires_on)), Date)
                     .label("expires_on"))
              .join(Supplier, Supplier.id == Certification.supplier_id)
              .where(Supplier.status.in_(ENGAGED))
              .group_by(Certification.supplier_id, Certification.cert_type)
              .subquery())
    expired, expiring = session.execute(select(
        func.sum(case((latest.c.expires_on < today, 1), else_=0)),
        func.sum(case((latest.c.expires_on.between(today, today + timedelta(days=warning_days)), 1), else_=0)),
    )).one()
    return int(expired or 0), int(expiring or 0)


def _single_source(session: Session, dual_sourcing_minimum: int) -> list[tuple[CategoryName, int]]:
    """Active categories with fewer suppliers on the qualified list than the minimum, by code."""
    on_list = dict(
        session.execute(
            select(supplier_categories.c.category_id, func.count(Supplier.id))
            .join(Supplier, Supplier.id == supplier_categories.c.supplier_id)
            .where(Supplier.status.in_(QUALIFIED_LIST))
            .group_by(supplier_categories.c.category_id)
        ).all()
    )
    categories = session.execute(
        select(SupplyCategory.id, SupplyCategory.code, SupplyCategory.name_zh, SupplyCategory.name_en)
        .where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code))
    return [(CategoryName(*row), on_list.get(row.id, 0)) for row in categories
            if on_list.get(row.id, 0) < dual_sourcing_minimum]


def _charts(dash: Dashboard, language: str) -> dict[str, str]:
    """The home page's charts labelled in `language` ("zh", "zh_Hant" or "en")."""
    en = language == "en"
    zh = _chinese(language)
    no_data = charts.no_data_text(("en",)) if en else zh(charts.no_data_text(("zh",)))  # one language, not both
    region_data = [(regions.region_name(key, language), count) for key, count in dash.by_region]
    title = "Suppliers in the supply chain by region" if en else zh("供应链中的供应商（按地区）")
    out = {"region": web_svg(charts.to_svg(charts.pie_chart(region_data, "", width=320, height=170,
                                                            no_data=no_data)), title)}
    status_names = _status_names(language)
    status_data = [(status_names.get(s, s), n) for s, n in dash.by_status if n]
    title = "Suppliers by status" if en else zh("供应商状态")
    out["status"] = web_svg(
        charts.to_svg(
            charts.horizontal_bar_chart(
                status_data,
                "",
                colours=[STATUS_COLOURS.get(s) for s, n in dash.by_status if n],
                width=320,
                value_max=None,
                places=0,
                no_data=no_data,
            )
        ),
        title,
    )
    if dash.grades:
        grade_data = [(en_name if en else zh(zh_name), n) for _k, zh_name, en_name, _c, n in dash.grades]
        title = "Grade distribution" if en else zh("评价等级分布")
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
    """Each lifecycle status's one name (labels.STATUS_NAMES, the names of the list and its filter)."""
    from supplychain.labels import STATUS_NAMES

    zh = _chinese(language)
    return {key: names[1] if language == "en" else zh(names[0]) for key, names in STATUS_NAMES.items()}


def _chinese(language: str):
    """Simplified Chinese as is, or converted for a traditional Chinese page."""
    if language != "zh_Hant":
        return lambda text: text
    from supplychain.hant import to_hant

    return to_hant
