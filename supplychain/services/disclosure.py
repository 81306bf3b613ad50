"""The yearly supply-chain disclosure: HKEX ESG Aspect B5 (B5.1–B5.4), GRI 308-1/308-2/414-1/414-2 and
the KPI table with the two previous years (issue 6). Definitions: docs/disclosure.md.

Every figure is computed from records and keeps the ids of the records it counts (and of its
denominator, for a rate), so the web page links each number to the list behind it. A reporting
year runs from 1 January to 31 December; figures "at the year end" are as of 31 December, or
as of today for the year in progress. A supplier's status on a past day is its current status
with every audited status change made after that day undone (status changes are always audited).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import clock, regions, scope
from supplychain.errors import ValidationFailed
from supplychain.models import (
    BLACKLIST_REASONS,
    ESG_TOPICS,
    Audit,
    AuditEntry,
    AuditFinding,
    BlacklistEntry,
    Certification,
    CorrectiveAction,
    Incident,
    IntegrityPledge,
    SaqResponse,
    Supplier,
    TrainingAttendance,
    TrainingSession,
)
from supplychain.models.evaluation import Evaluation
from supplychain.models.organisation import Organisation
from supplychain.models.scheme import SchemeVersion
from supplychain.services import disclosure_figures, disclosure_publication, disclosure_spend
from supplychain.text_safety import spreadsheet_row

FIRST_YEAR = 2000
# In the supply chain: approved to supply (trial supply included); suspended, exited, rejected,
# blacklisted and not-yet-admitted suppliers are not.
ENGAGED = ("trial", "qualified", "conditional")
ENVIRONMENTAL_INCIDENTS = ("environmental",)
SOCIAL_INCIDENTS = ("labour", "safety", "ethics")
SIGNIFICANT = ("major", "critical")
ENVIRONMENTAL_CERTS = (
    "iso14001",
    "iso50001",
    "iso14064",
    "pollutant_permit",
    "pollutant_permit",
)
SOCIAL_CERTS = ("iso45001", "sa8000", "safety_production_licence")
SOCIAL_THEMES = ("labour", "human_rights", "health", "safety", "ethics", "social")
ENVIRONMENTAL_WORDS = ("environment",)
SOCIAL_WORDS = ("safety", "labour", "labor", "ethic", "integrity", "bribery", "human_rights", "social")

# Units: the CSV code, and how the PDF prints it in Chinese and English.
UNITS = {
    "suppliers": ("家", "suppliers"),
    "%": ("%", "%"),
    "evaluations": ("次", "evaluations"),
    "incidents": ("起", "incidents"),
    "sessions": ("场", "sessions"),
    "pledges": ("份", "pledges"),
    "people": ("人次", "people"),
    "responses": ("份", "responses"),
}
RECORD_KINDS = ("supplier", "evaluation", "incident", "training_session", "pledge", "blacklist_entry")
# Blacklisting reasons that count as a termination for social-responsibility non-compliance (setting
# DISCLOSURE_SOCIAL_TERMINATION_REASONS). Default: labour, environment and bribery; bid rigging and fraud
# are commercial misconduct and are not counted unless the setting names them (D6).
DEFAULT_SOCIAL_TERMINATION_REASONS = ("bribery", "illegal_labour", "environmental_incident")
# The GRI topic of a termination's reason: environmental (308-2) or social (414-2).
ENVIRONMENTAL_REASONS = ("environmental_incident",)


@dataclass(frozen=True)
class Settings:
    """The documented settings of the disclosure (docs/disclosure.md, "Settings")."""

    social_termination_reasons: tuple[str, ...] = DEFAULT_SOCIAL_TERMINATION_REASONS
    percent_places: int = 1  # percentages: one decimal (1) or whole per cent (0), always half up
    company_name_zh: str = ""
    company_name_en: str = ""
    region_layout: str = "seven"
    b51_population: str = "in_supply_chain"
    spend_currency: str = "CNY"  # the currency of B5.4's green share of spend (amounts are never converted)


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The disclosure settings from the app config: DISCLOSURE_SOCIAL_TERMINATION_REASONS (a list or a
    comma-separated string of blacklist reasons), DISCLOSURE_PERCENT_PLACES (0 or 1), COMPANY_NAME and
    COMPANY_NAME_EN. Unknown reasons or places raise ValueError, so a bad setting stops the app early."""
    raw = config.get("DISCLOSURE_SOCIAL_TERMINATION_REASONS", DEFAULT_SOCIAL_TERMINATION_REASONS)
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",") if part.strip()]
    reasons = tuple(raw)
    unknown = [r for r in reasons if r not in BLACKLIST_REASONS]
    if unknown:
        raise ValueError(f"DISCLOSURE_SOCIAL_TERMINATION_REASONS: unknown reasons {unknown}")
    places = int(config.get("DISCLOSURE_PERCENT_PLACES", 1))
    if places not in (0, 1):
        raise ValueError("DISCLOSURE_PERCENT_PLACES must be 0 or 1")
    layout = str(config.get("DISCLOSURE_REGION_LAYOUT") or "seven")
    if layout not in REGION_LAYOUTS:
        raise ValueError(f"DISCLOSURE_REGION_LAYOUT must be one of {REGION_LAYOUTS}")
    population = str(config.get("DISCLOSURE_B5_1_POPULATION") or "in_supply_chain")
    if population not in B51_POPULATIONS:
        raise ValueError(f"DISCLOSURE_B5_1_POPULATION must be one of {B51_POPULATIONS}")
    currency = str(config.get("DISCLOSURE_SPEND_CURRENCY") or "CNY").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValueError("DISCLOSURE_SPEND_CURRENCY must be a three-letter currency code (ISO 4217)")
    return Settings(reasons, places, str(config.get("COMPANY_NAME") or ""),
                    str(config.get("COMPANY_NAME_EN") or ""), layout, population, currency)


def with_choices(settings: Settings, population: str | None = None, layout: str | None = None) -> Settings:
    """The settings with the B5.1 population and region layout an editor picked for one page or file
    (empty: the setting's); ValidationFailed names an unknown choice."""
    errors: dict[str, list] = {}
    if population and population not in B51_POPULATIONS:
        errors["population"] = [_l("Choose in_supply_chain, registered or with_spend.")]
    if layout and layout not in REGION_LAYOUTS:
        errors["layout"] = [_l("Choose seven, hk_macao_overseas or overseas_by_country.")]
    if errors:
        raise ValidationFailed(errors)
    return replace(settings, b51_population=population or settings.b51_population,
                   region_layout=layout or settings.region_layout)


DEFAULT_SETTINGS = Settings()
HK_MACAO_PROVINCES = ("810000", "820000")
# How B5.1's region table is laid out (setting DISCLOSURE_REGION_LAYOUT): the seven regions and overseas;
# Hong Kong, Macao and overseas as one row; or the seven regions with overseas by country.
REGION_LAYOUTS = ("seven", "hk_macao_overseas", "overseas_by_country")
# B5.1's population (setting DISCLOSURE_B5_1_POPULATION): in the supply chain at the year end, registered on the
# platform by then, or with spend in the year (the population of an annual qualified-supplier review).
B51_POPULATIONS = ("in_supply_chain", "registered", "with_spend")
# What B5.1's total counts, printed beside the figure: (Chinese, English) per population.
POPULATION_LABELS = {
    "in_supply_chain": ("年末供应链中的供应商总数（获准供货：试供、合格或有条件合格）",
                        "Suppliers in the supply chain at the year end (approved to supply: trial, qualified or "
                        "conditional)"),
    "registered": ("年末平台上已注册的供应商总数（不论状态）",
                   "Suppliers registered on the platform at the year end (whatever their status)"),
    "with_spend": ("本年有采购金额的供应商总数（任一币种）", "Suppliers with spend in the year (any currency)"),
}


def half_up(numerator: int | Decimal, denominator: int | Decimal, places: int = 1) -> float:
    """100 × numerator ÷ denominator rounded exactly half up (1 of 16 → 6.3, not 6.2) to 0 or 1 decimal;
    counts or amounts."""
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Spec:
    """A figure's identity: code, section, unit, bilingual label and what its records are."""

    code: str
    section: str
    unit: str
    label_en: str
    label_zh: str
    records: str = "supplier"  # the kind of record the figure counts (its numerator for a rate)
    kpi: bool = False


def _region_specs() -> list[Spec]:
    specs = []
    for r in regions.REGIONS:
        specs.append(Spec(f"B5.1.{r.key}", "B5.1", "suppliers", f"Suppliers in {r.name_en}",
                          f"{r.name_zh}供应商"))
        specs.append(Spec(f"B5.1.{r.key}.share", "B5.1", "%", f"Share of suppliers in {r.name_en}",
                          f"{r.name_zh}供应商占比"))
    return specs


# fmt: off
SPECS: tuple[Spec, ...] = (
    Spec("B5.1.total", "B5.1", "suppliers", "Suppliers in the supply chain at the year end",
         "年末供应链中的供应商总数"),
    *_region_specs(),
    Spec("B5.1.hk_macao", "B5.1", "suppliers", "Of them, suppliers in Hong Kong and Macao",
         "其中：香港及澳门供应商"),
    Spec("B5.1.local", "B5.1", "suppliers", "Local suppliers (home province)", "本地供应商（本省）"),
    Spec("B5.1.local.share", "B5.1", "%", "Share of local suppliers", "本地供应商占比"),
    Spec("B5.2.admission_reviewed", "B5.2", "suppliers", "Suppliers admitted through an admission review",
         "经准入评审引入的供应商"),
    Spec("B5.2.pledge_signed", "B5.2", "suppliers", "Suppliers with an integrity pledge in force",
         "廉洁承诺书有效的供应商"),
    Spec("B5.2.pledge_signing_rate", "B5.2", "%", "Integrity pledge signing rate", "廉洁承诺书签署率"),
    *[Spec(f"B5.2.pledge.{kind}", "B5.2", "%", f"Signing rate: {en}", f"签署率：{zh}")
      for kind, zh, en in (
          ("clean_government", "廉政责任书", "clean-government responsibility letter"),
          ("anti_bribery", "反商业贿赂承诺书", "anti-commercial-bribery pledge"),
          ("code_of_conduct", "供应商行为准则", "supplier code of conduct"),
          ("wage_guarantee", "农民工工资支付保证书", "migrant-worker wage payment guarantee"))],
    Spec("B5.2.pledges_signed", "B5.2", "pledges", "Pledges signed in the year", "本年签署的承诺书",
         records="pledge"),
    Spec("B5.3.assessed", "B5.3", "suppliers", "Suppliers assessed with environmental and social criteria",
         "采用环境及社会标准评价的供应商"),
    Spec("B5.3.evaluations", "B5.3", "evaluations", "Evaluations with environmental and social criteria",
         "采用环境及社会标准的评价", records="evaluation"),
    Spec("B5.3.questionnaires_reviewed", "B5.3", "suppliers",
         "Suppliers whose ESG self-assessment was reviewed",
         "ESG自评问卷已审核的供应商"),
    Spec("B5.3.incidents", "B5.3", "incidents", "Environmental and social incidents recorded",
         "记录的环境及社会事件", records="incident"),
    Spec("B5.3.suppliers_with_incidents", "B5.3", "suppliers",
         "Suppliers with environmental or social incidents",
         "发生环境或社会事件的供应商"),
    Spec("B5.4.selected", "B5.4", "suppliers",
         "Suppliers in the supply chain selected with environmental criteria",
         "采用环境标准甄选的在册供应商"),
    Spec("B5.4.selected.share", "B5.4", "%",
         "Share of suppliers selected with environmental criteria", "采用环境标准甄选的供应商占比"),
    Spec("B5.4.env_selected", "B5.4", "suppliers", "New suppliers admitted with environmental criteria",
         "采用环境标准准入的新供应商"),
    Spec("B5.4.green_spend_share", "B5.4", "%",
         "Green share of spend: spend with suppliers selected with environmental criteria ÷ all spend in the year "
         "(unavailable without spend data)",
         "绿色采购金额占比：向经环境标准甄选的供应商采购的金额 ÷ 本年采购总额（无采购金额数据时不可得）"),
    Spec("B5.4.iso14001", "B5.4", "suppliers",
         "ISO 14001 coverage: suppliers holding a valid certificate (a management system, not a product)",
         "ISO 14001覆盖：持有有效证书的供应商（管理体系认证，非产品认证）"),
    Spec("GRI.308-1", "GRI 308-1", "%", "New suppliers screened using environmental criteria",
         "使用环境标准筛选的新供应商比例"),
    Spec("GRI.308-1.new", "GRI 308-1", "suppliers", "New suppliers", "新供应商"),
    Spec("GRI.308-1.screened", "GRI 308-1", "suppliers",
         "New suppliers screened using environmental criteria",
         "使用环境标准筛选的新供应商"),
    Spec("GRI.308-2.a", "GRI 308-2", "suppliers", "Suppliers assessed for environmental impacts",
         "接受环境影响评估的供应商"),
    Spec("GRI.308-2.b", "GRI 308-2", "suppliers",
         "Suppliers with significant actual or potential negative environmental impacts",
         "具有重大实际或潜在负面环境影响的供应商"),
    Spec("GRI.308-2.c", "GRI 308-2", "suppliers", "Significant environmental impacts identified, by kind",
         "识别的重大环境影响（按类型）"),
    Spec("GRI.308-2.d", "GRI 308-2", "%", "Of those, share with which improvements were agreed",
         "其中已商定改进措施的比例"),
    Spec("GRI.308-2.e", "GRI 308-2", "%", "Of those, share with which the relationship was terminated",
         "其中已终止合作的比例"),
    Spec("GRI.308-2.e.why", "GRI 308-2", "suppliers", "Terminated, and why",
         "终止合作的供应商及原因"),
    Spec("GRI.414-1", "GRI 414-1", "%", "New suppliers screened using social criteria",
         "使用社会标准筛选的新供应商比例"),
    Spec("GRI.414-1.new", "GRI 414-1", "suppliers", "New suppliers", "新供应商"),
    Spec("GRI.414-1.screened", "GRI 414-1", "suppliers", "New suppliers screened using social criteria",
         "使用社会标准筛选的新供应商"),
    Spec("GRI.414-2.a", "GRI 414-2", "suppliers", "Suppliers assessed for social impacts",
         "接受社会影响评估的供应商"),
    Spec("GRI.414-2.b", "GRI 414-2", "suppliers",
         "Suppliers with significant actual or potential negative social impacts",
         "具有重大实际或潜在负面社会影响的供应商"),
    Spec("GRI.414-2.c", "GRI 414-2", "suppliers", "Significant social impacts identified, by kind",
         "识别的重大社会影响（按类型）"),
    Spec("GRI.414-2.d", "GRI 414-2", "%", "Of those, share with which improvements were agreed",
         "其中已商定改进措施的比例"),
    Spec("GRI.414-2.e", "GRI 414-2", "%", "Of those, share with which the relationship was terminated",
         "其中已终止合作的比例"),
    Spec("GRI.414-2.e.why", "GRI 414-2", "suppliers", "Terminated, and why",
         "终止合作的供应商及原因"),
    Spec("KPI.total_suppliers", "KPI", "suppliers", "Total suppliers", "供应商总数", kpi=True),
    Spec("KPI.suppliers_reviewed", "KPI", "suppliers", "Suppliers reviewed in the period",
         "报告期内接受审核的供应商", kpi=True),
    Spec("KPI.rejected_social", "KPI", "suppliers",
         "Potential suppliers rejected for social-responsibility non-compliance",
         "因社会责任不合规被拒绝的潜在供应商", kpi=True),
    Spec("KPI.terminated_social", "KPI", "suppliers",
         "Suppliers terminated for social-responsibility non-compliance",
         "因社会责任不合规被终止合作的供应商", kpi=True),
    Spec("KPI.training_sessions", "KPI", "sessions", "Supplier ESG training sessions",
         "供应商社会责任/ESG培训场次", records="training_session", kpi=True),
    Spec("KPI.training_participants", "KPI", "people", "Supplier participants in ESG training",
         "参加ESG培训的供应商人次", records="training_session", kpi=True),
    Spec("KPI.pledge_signing_rate", "KPI", "%", "Pledge signing rate", "承诺书签署率", kpi=True),
    Spec("KPI.local_suppliers", "KPI", "suppliers", "Local suppliers", "本地供应商", kpi=True),
)
# fmt: on
SPEC_BY_CODE = {spec.code: spec for spec in SPECS}
SECTIONS = (
    ("KPI", "供应链关键绩效指标", "Supply-chain key performance indicators"),
    ("B5", "一般披露：管理供应链的环境及社会风险政策", "General disclosure: policies on managing environmental "
     "and social risks of the supply chain"),
    ("B5.1", "按地区划分的供应商数目", "Number of suppliers by geographical region"),
    ("B5.2", "描述有关聘用供应商的惯例，向其执行有关惯例的供应商数目，以及相关执行及监察方法",
     "Description of practices relating to engaging suppliers, number of suppliers where the "
     "practices are being implemented, and how they are implemented and monitored"),
    ("B5.3", "描述有关识别供应链每个环节的环境及社会风险的惯例，以及相关执行及监察方法",
     "Description of practices used to identify environmental and social risks along the supply "
     "chain, and how they are implemented and monitored"),
    ("B5.4", "描述在拣选供应商时促使多用环保产品及服务的惯例，以及相关执行及监察方法",
     "Description of practices used to promote environmentally preferable products and services "
     "when selecting suppliers, and how they are implemented and monitored"),
    ("GRI 308-1", "使用环境标准筛选的新供应商",
     "New suppliers that were screened using environmental criteria"),
    ("GRI 308-2", "供应链的负面环境影响以及采取的行动",
     "Negative environmental impacts in the supply chain and actions taken"),
    ("GRI 414-1", "使用社会标准筛选的新供应商",
     "New suppliers that were screened using social criteria"),
    ("GRI 414-2", "供应链的负面社会影响以及采取的行动",
     "Negative social impacts in the supply chain and actions taken"),
)


# The content indexes: (standard, disclosure item, section of this report, figure code prefixes).
CONTENT_INDEX = (
    ("HKEX", "B5", "B5", ()),
    ("HKEX", "B5.1", "B5.1", ("B5.1.",)),
    ("HKEX", "B5.2", "B5.2", ("B5.2.",)),
    ("HKEX", "B5.3", "B5.3", ("B5.3.",)),
    ("HKEX", "B5.4", "B5.4", ("B5.4.",)),
    ("GRI", "308-1", "GRI 308-1", ("GRI.308-1",)),
    ("GRI", "308-2 a", "GRI 308-2", ("GRI.308-2.a",)),
    ("GRI", "308-2 b", "GRI 308-2", ("GRI.308-2.b",)),
    ("GRI", "308-2 c", "GRI 308-2", ("GRI.308-2.c",)),
    ("GRI", "308-2 d", "GRI 308-2", ("GRI.308-2.d",)),
    ("GRI", "308-2 e", "GRI 308-2", ("GRI.308-2.e",)),
    ("GRI", "414-1", "GRI 414-1", ("GRI.414-1",)),
    ("GRI", "414-2 a", "GRI 414-2", ("GRI.414-2.a",)),
    ("GRI", "414-2 b", "GRI 414-2", ("GRI.414-2.b",)),
    ("GRI", "414-2 c", "GRI 414-2", ("GRI.414-2.c",)),
    ("GRI", "414-2 d", "GRI 414-2", ("GRI.414-2.d",)),
    ("GRI", "414-2 e", "GRI 414-2", ("GRI.414-2.e",)),
)


def content_index() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The HKEX and GRI content indexes: (standard, item, section, the figure codes that answer it)."""
    out = []
    for standard, item, section, prefixes in CONTENT_INDEX:
        codes = tuple(spec.code for spec in SPECS if any(spec.code.startswith(p) for p in prefixes))
        out.append((standard, item, section, codes))
    return out


@dataclass(frozen=True)
class RecordSet:
    """The records behind a figure: a kind (supplier, evaluation…) and their ids."""

    kind: str
    ids: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Value:
    """One figure of one year, with the records it counts and, for a rate, its denominator."""

    value: float | int | None
    records: RecordSet | None = None
    denominator: RecordSet | None = None
    # What the figure is made of, for GRI (c) and (e)'s "why": (key, suppliers) pairs (breakdown_label).
    breakdown: tuple[tuple[str, int], ...] = ()
    # computed, entered (a baseline typed in), restated, or unavailable (a previous year before the system)
    basis: str = "computed"
    note: str = ""  # an entered figure's source and reason, a restatement's reason


# The KPIs that are B5 figures: (KPI code, B5 code); computed, entered and restated as one number.
SAME_FIGURES = (("KPI.total_suppliers", "B5.1.total"), ("KPI.pledge_signing_rate", "B5.2.pledge_signing_rate"),
                ("KPI.local_suppliers", "B5.1.local"))


def _ids(kind: str, ids: Iterable[int]) -> RecordSet:
    return RecordSet(kind, tuple(sorted(set(ids))))


def _count(kind: str, ids: Iterable[int]) -> Value:
    records = _ids(kind, ids)
    return Value(len(records), records)


def _rate(part: Iterable[int], whole: Iterable[int], kind: str = "supplier", places: int = 1) -> Value:
    numerator, denominator = _ids(kind, part), _ids(kind, whole)
    value = half_up(len(numerator), len(denominator), places) if denominator.ids else None
    return Value(value, numerator, denominator)


def _yuan(amount: Decimal) -> int:
    """An amount rounded half up to the currency's whole unit (as the breakdown prints it)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


# --------------------------------------------------------------------------------------------- queries


def statuses_on(session: Session, day: date) -> dict[int, tuple[str, str, str | None]]:
    """(status, region, province) on a day of every supplier registered by then, by effective dates (D1).

    Every status change is audited with the day it takes effect (`effective_on`, never after the day it
    was recorded; the recording day for changes made before effective dates existed). A supplier whose
    status did not change after the day keeps its current status. For the others, the status on the day
    is the one set by the latest change effective on or before it (ties: the later recorded), or, before
    their first change, that change's old status. A status a migration
    brought over (issue 15) takes effect on its status_since."""
    return statuses_on_days(session, [day])[day]


def statuses_on_days(session: Session, days: Iterable[date]) -> dict[date, dict[int, tuple[str, str, str | None]]]:
    """statuses_on for several days (a disclosure needs four), from one read of the suppliers and one of the
    status history: by day, (status, region, province) of every supplier registered by then."""
    days = sorted(set(days))
    if not days:
        return {}
    suppliers = session.execute(
        select(Supplier.id, Supplier.status, Supplier.region, Supplier.country, Supplier.province_code,
               Supplier.registered_on)
        .where(Supplier.registered_on <= days[-1])
    )
    # A Hong Kong or Macao supplier recorded by its country code is in Hong Kong or Macao (B5.1.hk_macao).
    suppliers = [(sid, status, region, regions.province_of(country, province_code), registered_on)
                 for sid, status, region, country, province_code, registered_on in suppliers]
    status_changes = (AuditEntry.entity_type == "supplier", AuditEntry.action == "status")
    # Who changed after each day (the database compares the timestamps), and the whole history of those.
    changed_after = {day: set(session.scalars(select(AuditEntry.entity_id).distinct().where(
        *status_changes, AuditEntry.at >= _end_of(day)))) for day in days}
    history: dict[int, list[tuple[date, datetime, int, str | None, str | None]]] = defaultdict(list)
    for sid, changes, at, entry_id in session.execute(
        select(AuditEntry.entity_id, AuditEntry.changes, AuditEntry.at, AuditEntry.id).where(
            *status_changes, AuditEntry.entity_id.in_(
                select(AuditEntry.entity_id).where(*status_changes, AuditEntry.at >= _end_of(days[0]))))
    ):
        old, new = ((changes or {}).get("status") or [None, None])[:2]
        history[sid].append((effective_day(changes, at), at, entry_id, old, new))
    for changes in history.values():
        changes.sort(key=lambda c: (c[0], c[1], c[2]))
    out = {}
    for day in days:
        changed = changed_after[day]
        on_day = {}
        for sid, status, region, province, registered_on in suppliers:
            if registered_on is None or registered_on > day:
                continue
            if sid in changed:
                changes = history[sid]
                effective = [c for c in changes if c[0] <= day]
                status = (effective[-1][4] if effective else changes[0][3]) or status
            on_day[sid] = (status, region, province)
        out[day] = on_day
    return out


def effective_day(changes: Mapping[str, Any] | None, recorded_at: datetime) -> date:
    """The day a recorded status change takes effect: its `effective_on` (or a migrated status's
    `status_since`), else the day it was recorded."""
    raw = (changes or {}).get("effective_on") or ((changes or {}).get("status_since") or [None, None])[1]
    if raw:
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            pass
    return recorded_at.date()


def engaged_on(session: Session, day: date) -> dict[int, tuple[str, str, str | None]]:
    """The suppliers in the supply chain on a day (status trial, qualified or conditional then)."""
    return {sid: values for sid, values in statuses_on(session, day).items() if values[0] in ENGAGED}


def scheme_criteria(definition: Mapping[str, Any]) -> tuple[bool, bool]:
    """(environmental, social): whether a scheme assesses suppliers on environmental / social criteria.

    Environmental: a certificate criterion for ISO 14001/50001/14064 or a pollutant qualification, an
    incident criterion or red line covering environmental incidents, a self-assessment theme or any
    criterion or dimension whose key names the environment. Social: ISO 45001/SA8000/safety licence,
    incident criteria or red lines covering labour/safety/ethics, pledge and training criteria,
    social self-assessment themes, social red lines (dishonest list, bribery, pledge refusal), or
    keys naming safety, labour, ethics or integrity."""
    environmental = social = False

    def words(text: str, vocabulary: tuple[str, ...]) -> bool:
        return any(w in (text or "").lower() for w in vocabulary)

    for dimension in definition.get("dimensions", []):
        for criterion in dimension.get("criteria", []):
            kind, params = criterion.get("kind"), criterion.get("params") or {}
            keys = f"{dimension.get('key', '')} {criterion.get('key', '')}"
            if kind == "certificate_valid":
                environmental |= params.get("cert_type") in ENVIRONMENTAL_CERTS
                social |= params.get("cert_type") in SOCIAL_CERTS
            elif kind == "no_major_incident":
                categories = params.get("categories") or ENVIRONMENTAL_INCIDENTS + SOCIAL_INCIDENTS
                environmental |= any(c in ENVIRONMENTAL_INCIDENTS for c in categories)
                social |= any(c in SOCIAL_INCIDENTS for c in categories)
            elif kind in ("pledge_signed", "training_hours"):
                social = True
            elif kind in ("no_open_major_finding", "last_audit_score"):
                # Audits check the environment and working conditions on site (issue 11).
                environmental = social = True
            elif kind == "saq_theme":
                environmental |= words(params.get("theme", ""), ENVIRONMENTAL_WORDS)
                social |= words(params.get("theme", ""), SOCIAL_THEMES)
            environmental |= words(keys, ENVIRONMENTAL_WORDS)
            social |= words(keys, SOCIAL_WORDS)
    for red_line in definition.get("red_lines", []):
        if red_line.get("kind") == "critical_incident":
            categories = (red_line.get("params") or {}).get("categories") or ENVIRONMENTAL_INCIDENTS
            environmental |= any(c in ENVIRONMENTAL_INCIDENTS for c in categories)
            social |= any(c in SOCIAL_INCIDENTS for c in categories)
        elif red_line.get("social", True) and red_line.get("kind") in (
            "dishonest_list",
            "principal_bribery",
            "pledge_refused",
        ):
            social = True
    return environmental, social


@dataclass
class _Evaluations:
    """Final evaluations as rows, with their scheme's criteria flags."""

    rows: list = field(default_factory=list)
    flags: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    def env(self, row) -> bool:
        return self.flags.get(row.scheme_version_id, (False, False))[0]

    def soc(self, row) -> bool:
        return self.flags.get(row.scheme_version_id, (False, False))[1]


def _final_evaluations(session: Session, first: date, last: date, kind: str | None = None) -> _Evaluations:
    stmt = select(
        Evaluation.id,
        Evaluation.supplier_id,
        Evaluation.kind,
        Evaluation.outcome,
        Evaluation.passed,
        Evaluation.social_non_compliance,
        Evaluation.scheme_version_id,
        Evaluation.as_of,
    ).where(Evaluation.status == "final", Evaluation.as_of >= first, Evaluation.as_of <= last)
    if kind:
        stmt = stmt.where(Evaluation.kind == kind)
    found = _Evaluations(list(session.execute(stmt.order_by(Evaluation.id))))
    version_ids = sorted({row.scheme_version_id for row in found.rows})
    if version_ids:
        for vid, definition in session.execute(
            select(SchemeVersion.id, SchemeVersion.definition).where(SchemeVersion.id.in_(version_ids))
        ):
            found.flags[vid] = scheme_criteria(definition or {})
    return found


# What (c), the impacts identified, and (e)'s "why" print: (Chinese, English) per breakdown key.
INCIDENT_TEXT = {"environmental": ("环境事件", "environmental incident"), "labour": ("劳工事件", "labour incident"),
                 "safety": ("安全事件", "safety incident"), "ethics": ("商业道德事件", "ethics incident")}
SEVERITY_TEXT = {"major": ("重大", "major"), "critical": ("特别重大", "critical")}
REASON_TEXT = {
    "bid_rigging": ("串通投标", "bid rigging"), "bribery": ("商业贿赂", "bribery"),
    "illegal_labour": ("违法用工", "illegal labour practice"),
    "environmental_incident": ("环境违法事件", "environmental incident"), "fraud": ("欺诈", "fraud"),
    "quality_failure": ("严重质量问题", "serious quality failure"), "other": ("其他", "other"),
    "exit_evaluation": ("评价未通过社会责任红线后退出", "exited after an evaluation failed a social red line"),
}


def breakdown_label(key: str, language: str) -> str:
    """The printed name of a breakdown key: incident:<category>:<severity>, assessment, terminated:<reason>."""
    i = 1 if language == "en" else 0
    kind, _sep, rest = key.partition(":")
    if kind == "incident":
        category, _sep, severity = rest.partition(":")
        text = INCIDENT_TEXT.get(category, (category, category))[i]
        level = SEVERITY_TEXT.get(severity, (severity, severity))[i]
        return f"{level} {text}" if i else f"{level}{text}"
    if kind == "country":
        return rest
    if kind == "spend":
        part, _sep, currency = rest.partition(":")
        return (f"绿色采购金额（{currency}）" if part == "green" else f"采购总额（{currency}）",
                f"green spend ({currency})" if part == "green" else f"total spend ({currency})")[i]
    if kind == "assessment":
        return ("评价未通过相关红线（潜在影响）", "assessment failed a red line (potential impact)")[i]
    if kind == "audit_finding":
        impact = ("潜在影响", "potential impact") if rest == "potential" else ("实际影响", "actual impact")
        return (f"审核发现重大问题（{impact[0]}）", f"major audit finding ({impact[1]})")[i]
    if kind == "terminated":
        return (f"终止合作：{REASON_TEXT.get(rest, (rest, rest))[0]}",
                f"terminated: {REASON_TEXT.get(rest, (rest, rest))[1]}")[i]
    return key


def breakdown_text(value: Value, language: str) -> str:
    """A figure's breakdown as printed: "major labour incident: 2 suppliers; terminated: bribery: 1"."""
    if not value.breakdown:
        return ""
    if language == "en":
        return "; ".join(f"{breakdown_label(k, 'en')}: {n:,}" for k, n in value.breakdown)
    return "；".join(f"{breakdown_label(k, 'zh')} {n:,}" + ("" if k.startswith("spend:") else " 家")
                    for k, n in value.breakdown)


@dataclass(frozen=True)
class Termination:
    """A supplier terminated for social-responsibility non-compliance: when, why, and its GRI topic."""

    supplier_id: int
    on: date
    reason: str  # a blacklist reason, or "exit_evaluation"
    topic: str  # "environmental" (GRI 308-2) or "social" (GRI 414-2)


def terminations(session: Session, first: date, last: date,
                 reasons: tuple[str, ...] = DEFAULT_SOCIAL_TERMINATION_REASONS) -> dict[int, Termination]:
    """The one definition of "terminated for social-responsibility non-compliance" in [first, last] (D2).

    A blacklisting of a registered supplier whose reason is one of `reasons` (the setting), on its decision
    date (the effective date of the status change it makes); and a final evaluation whose outcome is
    "exited" after a failed social red line, on the day it was made final (the effective date of the exit).
    Each supplier once, at its first termination in the period."""
    found: dict[int, Termination] = {}
    for sid, on, reason in session.execute(
        select(BlacklistEntry.supplier_id, BlacklistEntry.terminated_on, BlacklistEntry.reason)
        .where(BlacklistEntry.supplier_id.is_not(None), BlacklistEntry.terminated_on >= first,
               BlacklistEntry.terminated_on <= last, BlacklistEntry.reason.in_(reasons))
        .order_by(BlacklistEntry.terminated_on, BlacklistEntry.id)
    ):
        topic = "environmental" if reason in ENVIRONMENTAL_REASONS else "social"
        found.setdefault(sid, Termination(sid, on, reason, topic))
    for sid, finalised_at, result in session.execute(
        select(Evaluation.supplier_id, Evaluation.finalised_at, Evaluation.result)
        .where(Evaluation.status == "final", Evaluation.outcome == "exited",
               Evaluation.social_non_compliance.is_(True),
               Evaluation.finalised_at >= _end_of(first - timedelta(days=1)),
               Evaluation.finalised_at < _end_of(last))
        .order_by(Evaluation.finalised_at, Evaluation.id)
    ):
        topic = "environmental" if _failed_environmental(result) else "social"
        on = finalised_at.date()
        if sid not in found or found[sid].on > on:
            found[sid] = Termination(sid, on, "exit_evaluation", topic)
    return found


def _failed_environmental(result: Mapping[str, Any] | None) -> bool:
    """Whether an evaluation failed a red line about the environment (its key or English text says so)."""
    for line in (result or {}).get("red_lines", []):
        words = f"{line.get('key', '')} {line.get('text_en', '')}".lower()
        if line.get("failed") and "environment" in words:
            return True
    return False


def _failed_social(result: Mapping[str, Any] | None) -> bool:
    """Whether an evaluation failed a social red line that is not about the environment."""
    for line in (result or {}).get("red_lines", []):
        words = f"{line.get('key', '')} {line.get('text_en', '')}".lower()
        if line.get("failed") and line.get("social", True) and "environment" not in words:
            return True
    return False


def _significant_findings(session: Session, first: date, last: date, topic: str) -> list:
    """Major and critical audit findings of the topic (environmental or social) from audits held in
    [first, last]: (finding id, supplier id, actual or potential impact, corrective action id) (issue 11)."""
    return list(session.execute(
        select(AuditFinding.id, AuditFinding.supplier_id, AuditFinding.impact, AuditFinding.corrective_action_id)
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(Audit.actual_on >= first, Audit.actual_on <= last, AuditFinding.dimension == topic,
               AuditFinding.severity.in_(SIGNIFICANT))
        .order_by(Audit.actual_on, AuditFinding.id)
    ))


def _impacts(session: Session, first: date, last: date, categories: tuple[str, ...], topic: str,
             ended: dict[int, Termination], places: int) -> dict[str, Value]:
    """GRI 308-2 / 414-2 b, c, d, e and e.why in [first, last].

    (b) suppliers with significant actual or potential negative impacts: a major or critical incident of
    the categories, a major or critical audit finding of the topic (actual or potential, as the auditor
    recorded it), a final evaluation that failed a red line of the topic (potential impact), or a
    termination of the topic. (d) of them, those with a corrective action raised on such an incident or
    evaluation by `last`. (e) of them, those terminated (the KPI definition, `terminations`)."""
    incidents = list(
        session.execute(
            select(Incident.id, Incident.supplier_id, Incident.category, Incident.severity)
            .where(
                Incident.occurred_on >= first,
                Incident.occurred_on <= last,
                Incident.category.in_(categories),
                Incident.severity.in_(SIGNIFICANT),
            )
            .order_by(Incident.occurred_on, Incident.id)
        )
    )
    failed_check = _failed_environmental if topic == "environmental" else _failed_social
    failed = [
        (eid, sid) for eid, sid, result in session.execute(
            select(Evaluation.id, Evaluation.supplier_id, Evaluation.result).where(
                Evaluation.status == "final", Evaluation.as_of >= first, Evaluation.as_of <= last,
                Evaluation.passed.is_(False))
        ) if failed_check(result)
    ]
    findings = _significant_findings(session, first, last, topic)
    ended_here = {sid: t for sid, t in ended.items() if t.topic == topic}
    reasons: dict[str, set[int]] = defaultdict(set)
    for row in incidents:
        reasons[f"incident:{row.category}:{row.severity}"].add(row.supplier_id)
    for _eid, sid in failed:
        reasons["assessment"].add(sid)
    for _fid, sid, impact, _action_id in findings:
        reasons[f"audit_finding:{impact}"].add(sid)
    why: dict[str, set[int]] = defaultdict(set)
    for sid, t in ended_here.items():
        why[f"terminated:{t.reason}"].add(sid)
    reasons.update(why)
    impacted = ({row.supplier_id for row in incidents} | {sid for _e, sid in failed} | set(ended_here)
                | {row.supplier_id for row in findings})
    improved: set[int] = set()
    sources = [CorrectiveAction.incident_id.in_([row.id for row in incidents])] if incidents else []
    if failed:
        sources.append(CorrectiveAction.evaluation_id.in_([eid for eid, _s in failed]))
    actions = [row.corrective_action_id for row in findings if row.corrective_action_id is not None]
    if actions:
        sources.append(CorrectiveAction.id.in_(actions))
    for source in sources:
        improved |= set(session.scalars(
            select(CorrectiveAction.supplier_id).where(source, CorrectiveAction.created_at < _end_of(last))))
    b = _count("supplier", impacted)
    return {
        "b": b,
        "c": Value(b.value, b.records, breakdown=tuple(sorted((k, len(v)) for k, v in reasons.items()))),
        "d": _rate(improved & impacted, impacted, places=places),
        "e": _rate(ended_here, impacted, places=places),
        "e.why": Value(len(ended_here), _ids("supplier", ended_here),
                       breakdown=tuple(sorted((k, len(v)) for k, v in why.items()))),
    }


@dataclass(frozen=True)
class Populations:
    """What every year of a disclosure reads alike, read once for all its years: the suppliers' statuses on
    each day asked for, the suppliers local to an organisation buying from them, and the pledge kinds each
    supplier's categories require."""

    statuses: dict[date, dict[int, tuple[str, str, str | None]]]
    local_ids: set[int]
    required_pledges: list

    def engaged_on(self, day: date) -> dict[int, tuple[str, str, str | None]]:
        """The suppliers in the supply chain on a day (one of the days read)."""
        return {sid: values for sid, values in self.statuses[day].items() if values[0] in ENGAGED}


def _days(year: int, as_of: date) -> tuple[date, date]:
    """The days a year's figures need statuses on: its day, and the end of the year before (for "new")."""
    return as_of, date(year, 1, 1) - timedelta(days=1)


def populations(session: Session, days: Iterable[date]) -> Populations:
    """The populations of a disclosure for the session's scope, read once."""
    from supplychain.services import pledges

    return Populations(statuses_on_days(session, days), scope.local_supplier_ids(session),
                       pledges.required_pledges(session))


def compute(session: Session, year: int, as_of: date, settings: Settings = DEFAULT_SETTINGS,
            shared: Populations | None = None) -> dict[str, Value]:
    """Every figure of one reporting year, as of a day inside it (the year end, or today).

    `shared`: the populations read once for several years (`populations`); read here without it."""
    from supplychain.services import pledges

    first = date(year, 1, 1)
    places = settings.percent_places
    values: dict[str, Value] = {}
    shared = shared or populations(session, _days(year, as_of))
    engaged = shared.engaged_on(as_of)
    # B5.1 and the local suppliers, over the population the setting chooses (in the supply chain on D by
    # default; or every supplier registered on the platform by D, whatever its status).
    population = engaged
    if settings.b51_population == "registered":
        population = shared.statuses[as_of]
    elif settings.b51_population == "with_spend":
        spenders = disclosure_spend.suppliers_with_spend(session, first, as_of)
        population = {sid: v for sid, v in shared.statuses[as_of].items() if sid in spenders}
    everyone = list(population)
    values["B5.1.total"] = _count("supplier", everyone)
    for region in regions.REGIONS:
        members = [sid for sid, (_s, key, _p) in population.items() if key == region.key]
        values[f"B5.1.{region.key}"] = _count("supplier", members)
        values[f"B5.1.{region.key}.share"] = _rate(members, everyone, places=places)
    # Overseas by country (the breakdown), and Hong Kong and Macao (in the south region) for the layouts.
    overseas = [sid for sid, (_s, key, _p) in population.items() if key == "overseas"]
    countries: dict[str, int] = defaultdict(int)
    if overseas:
        for country in session.scalars(select(Supplier.country).where(Supplier.id.in_(overseas))):
            countries[f"country:{country or '—'}"] += 1
    values["B5.1.overseas"] = Value(len(overseas), _ids("supplier", overseas),
                                    breakdown=tuple(sorted(countries.items())))
    hk_macao = [sid for sid, (_s, _k, province) in population.items() if province in HK_MACAO_PROVINCES]
    values["B5.1.hk_macao"] = _count("supplier", hk_macao)
    local = [sid for sid in population if sid in shared.local_ids]
    values["B5.1.local"] = _count("supplier", local)
    values["B5.1.local.share"] = _rate(local, everyone, places=places)
    # B5.2: admission reviews and pledges.
    admissions = _final_evaluations(session, date(FIRST_YEAR, 1, 1), as_of, "admission")
    admitted = {row.supplier_id for row in admissions.rows}
    values["B5.2.admission_reviewed"] = _count("supplier", [sid for sid in engaged if sid in admitted])
    # One signing rate per kind (pledges.signing_rates, as on /pledges/ and the dashboard): of the suppliers
    # in the supply chain on D whose categories require the kind, those with such a pledge in force on D.
    rates = pledges.signing_rates(session, as_of, population=engaged, required=shared.required_pledges)
    integrity = rates.by_kind["integrity"]
    values["B5.2.pledge_signed"] = _count("supplier", integrity.signed_ids)
    values["B5.2.pledge_signing_rate"] = _rate(integrity.signed_ids, integrity.required_ids, places=places)
    for kind, rate in rates.by_kind.items():
        if kind != "integrity":
            values[f"B5.2.pledge.{kind}"] = _rate(rate.signed_ids, rate.required_ids, places=places)
    values["B5.2.pledges_signed"] = _count(
        "pledge",
        session.scalars(
            select(IntegrityPledge.id).where(
                IntegrityPledge.signed_on >= first, IntegrityPledge.signed_on <= as_of
            )
        ),
    )
    # B5.3: evaluations with ESG criteria, reviewed questionnaires, incidents.
    year_evaluations = _final_evaluations(session, first, as_of)
    esg = [row for row in year_evaluations.rows if year_evaluations.env(row) or year_evaluations.soc(row)]
    values["B5.3.assessed"] = _count("supplier", [row.supplier_id for row in esg])
    values["B5.3.evaluations"] = _count("evaluation", [row.id for row in esg])
    values["B5.3.questionnaires_reviewed"] = _count(
        "supplier",
        session.scalars(
            select(SaqResponse.supplier_id).where(
                SaqResponse.status == "reviewed",
                SaqResponse.reviewed_on >= first,
                SaqResponse.reviewed_on <= as_of,
            )
        ),
    )
    incidents = list(
        session.execute(
            select(Incident.id, Incident.supplier_id).where(
                Incident.occurred_on >= first,
                Incident.occurred_on <= as_of,
                Incident.category.in_(ENVIRONMENTAL_INCIDENTS + SOCIAL_INCIDENTS),
            )
        )
    )
    values["B5.3.incidents"] = _count("incident", [row.id for row in incidents])
    values["B5.3.suppliers_with_incidents"] = _count("supplier", [row.supplier_id for row in incidents])
    # B5.4: environmental selection and ISO 14001.
    iso14001 = set(
        session.scalars(
            select(Certification.supplier_id).where(
                Certification.cert_type == "iso14001",
                Certification.issued_on <= as_of,
                (Certification.expires_on.is_(None)) | (Certification.expires_on >= as_of),
            )
        )
    )
    holders = [sid for sid in engaged if sid in iso14001]
    year_admissions = [row for row in admissions.rows if row.as_of >= first]
    env_selected = {row.supplier_id for row in year_admissions if row.passed and admissions.env(row)}
    ever_selected = {row.supplier_id for row in admissions.rows if row.passed and admissions.env(row)}
    selected = [sid for sid in engaged if sid in ever_selected]
    values["B5.4.selected"] = _count("supplier", selected)
    values["B5.4.selected.share"] = _rate(selected, everyone, places=places)
    values["B5.4.env_selected"] = _count("supplier", env_selected)
    # The green share of spend: spend with suppliers selected with environmental criteria (by D) ÷ all spend of
    # the year to D, in one currency; unavailable (printed as such, never 0) when no spend is recorded.
    spend = disclosure_spend.green_spend(session, first, as_of, settings.spend_currency, ever_selected)
    values["B5.4.green_spend_share"] = Value(None) if spend is None or not spend.total else Value(
        half_up(spend.green, spend.total, places), _ids("supplier", spend.green_suppliers),
        _ids("supplier", spend.suppliers),
        breakdown=((f"spend:green:{spend.currency}", _yuan(spend.green)),
                   (f"spend:total:{spend.currency}", _yuan(spend.total))))
    values["B5.4.iso14001"] = _count("supplier", holders)
    # GRI 308-1 / 414-1: new suppliers screened.
    before = shared.engaged_on(first - timedelta(days=1))
    new = [sid for sid in engaged if sid not in before]
    env_screened = {row.supplier_id for row in admissions.rows if admissions.env(row)}
    soc_screened = {row.supplier_id for row in admissions.rows if admissions.soc(row)}
    for code, screened in (("GRI.308-1", env_screened), ("GRI.414-1", soc_screened)):
        part = [sid for sid in new if sid in screened]
        values[code] = _rate(part, new, places=places)
        values[f"{code}.new"] = _count("supplier", new)
        values[f"{code}.screened"] = _count("supplier", part)
    # GRI 308-2 / 414-2. An audit held in the year assesses both (issue 11: site conditions and labour).
    audited = list(session.scalars(select(Audit.supplier_id).where(Audit.actual_on >= first,
                                                                   Audit.actual_on <= as_of)))
    values["GRI.308-2.a"] = _count(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.env(r)] + audited
    )
    values["GRI.414-2.a"] = _count(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.soc(r)] + audited
    )
    ended = terminations(session, first, as_of, settings.social_termination_reasons)
    for code, categories, topic in (("GRI.308-2", ENVIRONMENTAL_INCIDENTS, "environmental"),
                                    ("GRI.414-2", SOCIAL_INCIDENTS, "social")):
        for letter, value in _impacts(session, first, as_of, categories, topic, ended, places).items():
            values[f"{code}.{letter}"] = value
    # KPI table.
    values["KPI.suppliers_reviewed"] = _count("supplier", [row.supplier_id for row in year_evaluations.rows])
    values["KPI.rejected_social"] = _count(
        "supplier",
        [
            row.supplier_id
            for row in year_evaluations.rows
            if row.kind == "admission" and row.outcome == "rejected" and row.social_non_compliance
        ],
    )
    # One definition with GRI (e): KPI.terminated_social = GRI.308-2.e.why + GRI.414-2.e.why (D2).
    terminated = set(ended)
    values["KPI.terminated_social"] = _count("supplier", terminated)
    in_year = (
        TrainingSession.held_on >= first,
        TrainingSession.held_on <= as_of,
        TrainingSession.topic.in_(ESG_TOPICS),
    )
    sessions = list(session.scalars(select(TrainingSession.id).where(*in_year)))
    values["KPI.training_sessions"] = _count("training_session", sessions)
    people = (
        session.scalar(
            select(func.coalesce(func.sum(TrainingAttendance.head_count), 0))
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(*in_year)
        )
        or 0
    )
    values["KPI.training_participants"] = Value(int(people), _ids("training_session", sessions))
    for kpi, figure in SAME_FIGURES:
        values[kpi] = values[figure]
    assert set(values) == set(SPEC_BY_CODE), set(values) ^ set(SPEC_BY_CODE)
    return values


# --------------------------------------------------------------------------------------------- the year


@dataclass
class Disclosure:
    """One reporting year's figures with the two previous years, ready for the page and the files."""

    year: int
    as_of: date
    boundary: Organisation | None  # the organisation whose subtree is reported (None: the whole group)
    values: dict[int, dict[str, Value]]  # year → code → value (the year and the two before it)
    evaluations: int  # final evaluations in the reporting year
    settings: Settings = DEFAULT_SETTINGS
    targets: dict[str, float | int] = field(default_factory=dict)  # code → the reporting year's target
    policies: list = field(default_factory=list)  # the supply-chain policies in force during the year
    edited: dict[tuple[str, str], str] = field(default_factory=dict)  # (section, zh|en) → editor's text

    @property
    def years(self) -> tuple[int, int, int]:
        """The KPI table's years, oldest first."""
        return (self.year - 2, self.year - 1, self.year)

    @property
    def in_progress(self) -> bool:
        """The reporting year has not ended: figures are as of today."""
        return self.as_of < date(self.year, 12, 31)

    def targets_value(self, code: str) -> Value | None:
        """The reporting year's target of a figure, as a Value (None when there is none)."""
        return Value(self.targets[code]) if code in self.targets else None

    def value(self, code: str, year: int | None = None) -> Value:
        """A figure of the reporting year (or of one of the two previous years)."""
        return self.values[year or self.year][code]

    def label(self, spec: Spec) -> tuple[str, str]:
        """A figure's (Chinese, English) label as printed: B5.1's total names the population the settings chose."""
        if spec.code == "B5.1.total":
            return POPULATION_LABELS[self.settings.b51_population]
        return spec.label_zh, spec.label_en

    def section_specs(self, section: str) -> list[Spec]:
        """The figures of a section, in order."""
        return [spec for spec in SPECS if spec.section == section]


def as_of_for(year: int, today: date) -> date:
    """31 December of the year, or today for the year in progress."""
    return min(date(year, 12, 31), today)


def parse_year(raw: Any, today: date) -> int:
    """A reporting year from 2000 to this year; raises ValidationFailed otherwise."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed(
            {
                "year": [
                    _l(
                        "Choose a reporting year from %(first)d to %(last)d.",
                        first=FIRST_YEAR,
                        last=today.year,
                    )
                ]
            }
        )
    return year


def disclosure(session: Session, year: Any, today: date, boundary: Organisation | None = None,
               settings: Settings = DEFAULT_SETTINGS) -> Disclosure:
    """The disclosure of a reporting year for the session's scope (raises ValidationFailed for a bad or future year).

    The caller activates the reporting boundary on the session (supplychain.scope); `boundary` names it.
    """
    year = parse_year(year, today)
    years = (year - 2, year - 1, year)
    shared = populations(session, [day for y in years for day in _days(y, as_of_for(y, today))])
    values = {y: compute(session, y, as_of_for(y, today), settings, shared) for y in years}
    count = (
        session.scalar(
            select(func.count(Evaluation.id)).where(
                Evaluation.status == "final",
                Evaluation.as_of >= date(year, 1, 1),
                Evaluation.as_of <= as_of_for(year, today),
            )
        )
        or 0
    )
    _before_the_system(values, year, disclosure_figures.first_computed_year(session))
    targets = apply_entered(session, values, boundary)
    boundary_id = disclosure_figures.boundary_key(boundary)
    return Disclosure(year, as_of_for(year, today), boundary, values, count, settings,
                      {code: v for (y, code), v in targets.items() if y == year},
                      disclosure_figures.policies_in_force(session, boundary_id, date(year, 1, 1),
                                                           as_of_for(year, today)),
                      disclosure_figures.narratives_entered(session, boundary_id, year))


def _before_the_system(values: dict[int, dict[str, Value]], year: int, first: int | None) -> None:
    """A previous year before the system was in use (before the year the earliest supplier was registered) has
    no computed figures: they are unavailable (—), never 0, until an editor enters them as baselines."""
    if first is None:
        return
    for y in values:
        if y < year and y < first:
            values[y] = {code: Value(None, basis="unavailable") for code in values[y]}


def apply_entered(session: Session, values: dict[int, dict[str, Value]],
                  boundary: Organisation | None) -> dict[tuple[int, str], float | int]:
    """Put the editor's baselines and restatements in place of the computed figures (marked as such);
    returns the targets by (year, code). A restatement wins over a baseline of the same year."""
    targets: dict[tuple[int, str], float | int] = {}
    rows = disclosure_figures.entered(session, disclosure_figures.boundary_key(boundary), values)
    for kind in ("baseline", "restatement"):
        for (year, code, row_kind), row in rows.items():
            if row_kind != kind or code not in values.get(year, {}):
                continue
            computed = values[year][code]
            number = _entered_number(code, row.value)
            note = "; ".join(part for part in (row.source, row.reason, row.entered_by) if part)
            entered = Value(number, computed.records, computed.denominator, computed.breakdown,
                            "entered" if kind == "baseline" else "restated", note)
            # A KPI that is a B5 figure (KPI.total_suppliers = B5.1.total) is entered for both: one number.
            for same in {code, *[other for pair in SAME_FIGURES if code in pair for other in pair]}:
                values[year][same] = entered
    for (year, code, row_kind), row in rows.items():
        if row_kind == "target":
            targets[(year, code)] = _entered_number(code, row.value)
    return targets


def _entered_number(code: str, value: Any) -> float | int:
    """An entered count stays a whole number (118 suppliers, not 118.0), as the computed counts are; a
    percentage stays a float."""
    number = float(value)
    spec = SPEC_BY_CODE.get(code)
    return int(number) if spec is not None and spec.unit != "%" and number.is_integer() else number


# --------------------------------------------------------------------------------------------- records


@dataclass
class FigureRecords:
    """A figure's value and the records behind it (numerator, and the denominator for a rate)."""

    spec: Spec
    year: int
    as_of: date
    value: Value
    records: list
    denominator: list


_MODELS = {
    "supplier": Supplier,
    "evaluation": Evaluation,
    "incident": Incident,
    "training_session": TrainingSession,
    "pledge": IntegrityPledge,
    "blacklist_entry": BlacklistEntry,
}


def _load(session: Session, records: RecordSet | None, limit: int) -> list:
    if records is None or not records.ids:
        return []
    model = _MODELS[records.kind]
    ids = list(records.ids[:limit])
    by_id = {obj.id: obj for obj in session.scalars(select(model).where(model.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def figure_records(
    session: Session, year: Any, code: str, today: date, limit: int = 2000,
    settings: Settings = DEFAULT_SETTINGS,
) -> FigureRecords:
    """The records behind one figure of one year; raises ValidationFailed for a bad year or code."""
    year = parse_year(year, today)
    spec = SPEC_BY_CODE.get(code)
    if spec is None:
        raise ValidationFailed({"code": [_l("Unknown figure.")]})
    as_of = as_of_for(year, today)
    value = compute(session, year, as_of, settings)[code]
    return FigureRecords(
        spec,
        year,
        as_of,
        value,
        _load(session, value.records, limit),
        _load(session, value.denominator, limit),
    )


# --------------------------------------------------------------------------------------------- files


CSV_COLUMNS = ("code", "label_en", "label_zh", "year", "value", "unit", "detail_en", "detail_zh", "basis", "note",
               "target")
OUTPUT_LANGUAGES = ("zh", "zh_Hant", "en")


def _zh(text: str, hant: bool) -> str:
    if not hant:
        return text
    from supplychain.hant import to_hant

    return to_hant(text)


def _plain(value: float | int | None, places: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return str(value)


def rows(result: Disclosure, hant: bool = False) -> list[dict]:
    """One row per figure of the reporting year, and per KPI figure of each of the two previous years;
    GRI (c) and (e) carry the impacts identified and why suppliers were terminated in `detail_*`.
    `hant`: the Chinese columns in traditional Chinese (Hong Kong wording). B5.1's region rows follow the
    region layout: with another layout than the seven regions, the layout's rows (count and share, codes of
    `RegionRow`) take the place of the seven regions' rows."""
    out = []
    layout = result.settings.region_layout
    for spec in SPECS:
        if layout != "seven" and spec.code in SEVEN_REGION_CODES:
            if spec.code == SEVEN_REGION_CODES[0]:
                out += _region_rows(result, hant)
            continue
        for year in result.years:
            if year != result.year and not spec.kpi:
                continue
            if year not in result.values:
                continue
            value = result.values[year][spec.code]
            label_zh, label_en = result.label(spec)
            out.append(
                {
                    "code": spec.code,
                    "label_en": label_en,
                    "label_zh": _zh(label_zh, hant),
                    "year": year,
                    "value": value.value,
                    "unit": spec.unit,
                    "detail_en": breakdown_text(value, "en"),
                    "detail_zh": _zh(breakdown_text(value, "zh"), hant),
                    "basis": value.basis,
                    "note": _zh(value.note, hant),
                    "target": result.targets.get(spec.code) if year == result.year else None,
                }
            )
    return out


def _region_rows(result: Disclosure, hant: bool) -> list[dict]:
    """The CSV rows of the region layout's table: a count and a share per row."""
    out = []
    for row in region_layout(result):
        count, share = row.labels()
        for code, (label_zh, label_en), value, unit in ((row.code, count, row.count, "suppliers"),
                                                        (f"{row.code}.share", share, row.share, "%")):
            out.append({"code": code, "label_en": label_en, "label_zh": _zh(label_zh, hant), "year": result.year,
                        "value": value, "unit": unit, "detail_en": "", "detail_zh": "", "basis": row.basis,
                        "note": _zh(row.note, hant), "target": None})
    return out


def index_rows(result: Disclosure, hant: bool = False) -> list[dict]:
    """The HKEX and GRI content index as CSV rows after the figures: code `INDEX.<standard>.<item>`, unit
    `index`, the section in the labels and the figure codes that answer the item in `detail_*`."""
    out = []
    for standard, item, section, codes in content_index():
        joined = " ".join(codes)
        out.append({"code": f"INDEX.{standard}.{item.replace(' ', '.')}",
                    "label_en": f"{standard} {item}: section {section}",
                    "label_zh": _zh(f"{standard} {item}：见 {section} 节", hant), "year": result.year,
                    "value": None, "unit": "index", "detail_en": joined, "detail_zh": joined, "basis": "",
                    "note": "", "target": None})
    return out


def to_csv(result: Disclosure, hant: bool = False) -> bytes:
    """The CSV: code,label_en,label_zh,year,value,unit,detail_en,detail_zh,basis,note,target (UTF-8 with BOM,
    for Excel); the figures, then the HKEX and GRI content index (unit `index`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    places = result.settings.percent_places
    for row in rows(result, hant) + index_rows(result, hant):
        writer.writerow(spreadsheet_row(
            [_plain(row[c], places) if c in ("value", "target") else row[c] for c in CSV_COLUMNS]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: Disclosure, hant: bool = False) -> bytes:
    """The workbook: the CSV's rows on "figures", the KPI table with three years on "kpi", B5.1's region table
    as the layout prints it on "regions" (with a total row) and the content index on "index"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(CSV_COLUMNS))
    for row in rows(result, hant):
        sheet.append(spreadsheet_row(row[c] for c in CSV_COLUMNS))
    kpi = book.create_sheet("kpi")
    kpi.append(["code", "label_zh", "label_en", "unit", *result.years, f"{result.year} target"])
    for spec in SPECS:
        if spec.kpi:
            kpi.append(
                spreadsheet_row([
                    spec.code,
                    _zh(spec.label_zh, hant),
                    spec.label_en,
                    spec.unit,
                    *[
                        result.values[y][spec.code].value if y in result.values else None
                        for y in result.years
                    ],
                    result.targets.get(spec.code),
                ])
            )
    layout = book.create_sheet("regions")  # B5.1's region table as the layout prints it
    layout.append(["code", "region_zh", "region_en", "suppliers", "share"])
    rows_of_layout = region_layout(result)
    for row in rows_of_layout:
        layout.append(spreadsheet_row([row.code, _zh(row.name_zh, hant), row.name_en, row.count, row.share]))
    total = sum(row.count for row in rows_of_layout)
    layout.append(["B5.1.regions.total", _zh("合计", hant), "Total", total,
                   half_up(total, total, result.settings.percent_places) if total else None])
    index = book.create_sheet("index")
    index.append(["standard", "disclosure", "section", "codes"])
    for standard, item, section, codes in content_index():
        index.append([standard, item, section, " ".join(codes)])
    for ws in (sheet, kpi, layout, index):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 50
        ws.column_dimensions["C"].width = 50
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _n(value: Value) -> str:
    v = value.value
    if v is None:
        return "—"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def _pct(value: Value, places: int) -> str:
    return "—" if value.value is None else f"{value.value:,.{places}f}"


def narratives(result: Disclosure) -> dict[str, tuple[str, str]]:
    """The "how implemented and monitored" text of each section, in Chinese and English (D5).

    Every sentence states only what the year's figures support: a practice is described only when records
    of it exist, and a zero is said as such ("no incident was recorded"), never beside a claim."""
    v = result.values[result.year]
    y, p = result.year, result.settings.percent_places

    def n(code: str) -> int:
        return int(v[code].value or 0)

    def join(parts: list[tuple[str, str]]) -> tuple[str, str]:
        return "".join(zh for zh, _en in parts), " ".join(en for _zh, en in parts)

    marked = [(year, spec, result.values[year][spec.code]) for year in result.years if year in result.values
              for spec in SPECS if spec.kpi and result.values[year][spec.code].basis in ("entered", "restated")]
    kpi_zh = f"下表列示 {y} 年及前两个年度的供应链关键绩效指标，除注明者外均由系统记录计算，可追溯至每条记录。"
    kpi_en = (f"The table shows the supply-chain KPIs of {y} and the two previous years, each computed from the "
              "records in the system and traceable to them unless marked.")
    for year, spec, value in marked:
        kind_zh, kind_en = ("录入", "entered") if value.basis == "entered" else ("重述", "restated")
        kpi_zh += f"{year} 年「{spec.label_zh}」为{kind_zh}数（{value.note}）。"
        kpi_en += f" {year} {spec.label_en}: {kind_en} ({value.note})."
    targets = [(spec, result.targets[spec.code]) for spec in SPECS if spec.kpi and spec.code in result.targets]
    if targets:
        kpi_zh += f"{y} 年目标：" + "；".join(f"{s.label_zh} {display(Value(t), s.unit, p)}" for s, t in targets) + "。"
        kpi_en += f" Targets for {y}: " + "; ".join(f"{s.label_en} {display(Value(t), s.unit, p)}"
                                                    for s, t in targets) + "."
    out: dict[str, tuple[str, str]] = {
        "KPI": (kpi_zh, kpi_en),
        "B5.1": _population_text(result, v, p),
    }
    practices = []
    if n("B5.2.admission_reviewed"):
        practices.append(("供应商准入评审", "admission reviews"))
    if n("B5.3.evaluations"):
        practices.append(("定期评价", "periodic evaluations"))
    if n("B5.2.pledge_signed"):
        practices.append(("廉洁承诺", "integrity pledges"))
    if n("KPI.training_sessions"):
        practices.append(("ESG培训", "ESG training"))
    if n("KPI.terminated_social"):
        practices.append(("黑名单制度", "a blacklist"))
    if practices:
        out["B5"] = ("本年系统记录的供应链环境及社会风险管理惯例包括：" + "、".join(z for z, _e in practices) + "。",
                     "The practices recorded in the system for managing the supply chain's environmental and "
                     "social risks in the year are: " + ", ".join(e for _z, e in practices) + ".")
    else:
        out["B5"] = ("本年系统中没有记录供应链管理惯例。",
                     "No supply-chain management practice is recorded in the system for the year.")
    b52: list[tuple[str, str]] = []
    if n("B5.2.admission_reviewed"):
        b52.append((f"新供应商须通过准入评审；年末 {_n(v['B5.2.admission_reviewed'])} 家在册供应商经准入评审引入。",
                    f"New suppliers pass an admission review; at the year end {_n(v['B5.2.admission_reviewed'])} "
                    "suppliers in the supply chain had been admitted through it."))
    else:
        b52.append(("年末在册供应商中没有经系统准入评审引入的供应商。",
                    "No supplier in the supply chain at the year end was admitted through an admission review "
                    "recorded in the system."))
    kinds = [("B5.2.pledge_signing_rate", "廉洁承诺书", "integrity pledge")] + [
        (f"B5.2.pledge.{code}", SPEC_BY_CODE[f"B5.2.pledge.{code}"].label_zh.removeprefix("签署率："),
         SPEC_BY_CODE[f"B5.2.pledge.{code}"].label_en.removeprefix("Signing rate: "))
        for code in ("clean_government", "anti_bribery", "code_of_conduct", "wage_guarantee")]
    rated = [(zh, en, v[code]) for code, zh, en in kinds if v[code].value is not None]
    if rated:
        b52.append(("签署率：" + "；".join(f"{zh} {_pct(r, p)}%（{len(r.records)}/{len(r.denominator)}）"
                                          for zh, _en, r in rated) + "。",
                    "Signing rates: " + "; ".join(f"{en} {_pct(r, p)} % ({len(r.records)} of "
                                                  f"{len(r.denominator)})" for _zh, en, r in rated) + "."))
    b52.append((f"本年共签署承诺书 {_n(v['B5.2.pledges_signed'])} 份。",
                f"{_n(v['B5.2.pledges_signed'])} pledges were signed in the year."))
    out["B5.2"] = join(b52)
    b53: list[tuple[str, str]] = []
    if n("B5.3.assessed"):
        b53.append((f"本年对 {_n(v['B5.3.assessed'])} 家供应商开展了包含环境及社会标准的评价（共 "
                    f"{_n(v['B5.3.evaluations'])} 次）。",
                    f"In the year {_n(v['B5.3.assessed'])} suppliers were evaluated with environmental and "
                    f"social criteria ({_n(v['B5.3.evaluations'])} evaluations)."))
    else:
        b53.append(("本年没有包含环境及社会标准的评价。",
                    "No evaluation with environmental and social criteria was made in the year."))
    if n("B5.3.questionnaires_reviewed"):
        b53.append((f"审核了 {_n(v['B5.3.questionnaires_reviewed'])} 家供应商的ESG自评问卷。",
                    f"The ESG self-assessments of {_n(v['B5.3.questionnaires_reviewed'])} suppliers were "
                    "reviewed."))
    if n("B5.3.incidents"):
        followed = v["GRI.308-2.d"].records or v["GRI.414-2.d"].records
        b53.append((f"记录环境及社会事件 {_n(v['B5.3.incidents'])} 起，涉及 {_n(v['B5.3.suppliers_with_incidents'])}"
                    " 家供应商" + ("，重大事件已提出整改措施。" if followed and len(followed) else "。"),
                    f"{_n(v['B5.3.incidents'])} environmental and social incidents at "
                    f"{_n(v['B5.3.suppliers_with_incidents'])} suppliers were recorded"
                    + ("; corrective actions were raised on significant ones." if followed and len(followed)
                       else ".")))
    else:
        b53.append(("本年没有记录环境及社会事件。", "No environmental or social incident was recorded in the year."))
    out["B5.3"] = join(b53)
    b54: list[tuple[str, str]] = []
    if n("B5.4.selected"):
        b54.append((f"年末有 {_n(v['B5.4.selected'])} 家在册供应商经包含环境标准的准入评审甄选"
                    f"（{_pct(v['B5.4.selected.share'], p)}%），其中本年 {_n(v['B5.4.env_selected'])} 家。",
                    f"At the year end {_n(v['B5.4.selected'])} suppliers in the supply chain had been selected "
                    f"with environmental criteria ({_pct(v['B5.4.selected.share'], p)} %), "
                    f"{_n(v['B5.4.env_selected'])} of them in the year."))
    else:
        b54.append(("年末在册供应商中没有经环境标准甄选的供应商。",
                    "No supplier in the supply chain at the year end was selected with environmental criteria."))
    b54.append(_green_spend_text(v["B5.4.green_spend_share"], result.settings.spend_currency, p))
    b54.append((f"另有 {_n(v['B5.4.iso14001'])} 家在册供应商持有有效的ISO 14001环境管理体系证书（管理体系认证，"
                "不代表产品为环保产品）。",
                f"Separately, {_n(v['B5.4.iso14001'])} suppliers held a valid ISO 14001 certificate (an "
                "environmental management system, not a product criterion)."))
    out["B5.4"] = join(b54)
    for t, zh_topic, en_topic in (("308-1", "环境", "environmental"), ("414-1", "社会", "social")):
        out[f"GRI {t}"] = (
            f"本年新进入供应链的供应商 {_n(v[f'GRI.{t}.new'])} 家，其中 {_n(v[f'GRI.{t}.screened'])} 家"
            f"经包含{zh_topic}标准的准入评审。",
            f"{_n(v[f'GRI.{t}.new'])} suppliers entered the supply chain in the year; "
            f"{_n(v[f'GRI.{t}.screened'])} of them were screened with {en_topic} criteria at admission.")
    for t, zh_topic, en_topic in (("308-2", "环境", "environmental"), ("414-2", "社会", "social")):
        c, why = v[f"GRI.{t}.c"], v[f"GRI.{t}.e.why"]
        zh = (f"重大实际或潜在负面{zh_topic}影响包括本年重大或特别重大事件、未通过相关红线的评价及因此终止合作。"
              f"本年识别 {_n(v[f'GRI.{t}.b'])} 家供应商")
        en = (f"Significant actual or potential negative {en_topic} impacts are major or critical incidents in "
              "the year, evaluations that failed a red line of the topic, and terminations for such reasons. "
              f"{_n(v[f'GRI.{t}.b'])} suppliers were identified")
        if c.breakdown:
            zh += f"（{breakdown_text(c, 'zh')}）"
            en += f" ({breakdown_text(c, 'en')})"
        zh += "。"
        en += "."
        if why.breakdown:
            zh += f"终止合作 {_n(why)} 家，原因：{breakdown_text(why, 'zh')}。"
            en += f" {_n(why)} were terminated; why: {breakdown_text(why, 'en')}."
        else:
            zh += "本年没有因此终止合作的供应商。"
            en += " No relationship was terminated for such reasons in the year."
        out[f"GRI {t}"] = (zh, en)
    if result.policies:
        zh, en = out["B5"]
        zh += "相关制度：" + "；".join(_policy_text(p, result.policies)[0] for p in result.policies) + "。"
        en += " Policies: " + "; ".join(_policy_text(p, result.policies)[1] for p in result.policies) + "."
        out["B5"] = (zh, en)
    for code in list(out):
        zh, en = out[code]
        out[code] = (result.edited.get((code, "zh"), zh), result.edited.get((code, "en"), en))
    for (code, language), text in result.edited.items():
        if code not in out:
            out[code] = (text, "") if language == "zh" else ("", text)
    return out


def _policy_text(policy, policies: list) -> tuple[str, str]:
    """A policy as B5's narrative names it: title, number and the days it was in force (and what superseded it,
    when that is one of the year's policies)."""
    since = policy.effective_on.isoformat()
    if policy.ended_on is None:
        return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行）",
                f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since})")
    until = policy.ended_on.isoformat()
    successor = next((p for p in policies if p.id == policy.superseded_by_id), None)
    if successor is not None:
        return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行至 {until}，由《{successor.title_zh}》取代）",
                f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since} to {until}, "
                f"superseded by {successor.title_en or successor.title_zh})")
    return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行至 {until}）",
            f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since} to {until})")


def _population_text(result: Disclosure, v: dict[str, Value], p: int) -> tuple[str, str]:
    """B5.1's sentence, naming the population the settings chose (the definition beside the figure)."""
    day, total, local, share = result.as_of.isoformat(), _n(v["B5.1.total"]), _n(v["B5.1.local"]), _pct(
        v["B5.1.local.share"], p)
    tail_zh, tail_en = f"，其中本地供应商 {local} 家（{share}%）。", f", {local} of them local ({share} %)."
    if result.settings.b51_population == "with_spend":
        return (f"{result.year} 年（截至 {day}）有采购金额的供应商共 {total} 家" + tail_zh,
                f"{total} suppliers had spend in {result.year} (to {day})" + tail_en)
    if result.settings.b51_population == "registered":
        return (f"截至 {day}，平台上已注册的供应商共 {total} 家" + tail_zh,
                f"At {day} the platform had registered {total} suppliers" + tail_en)
    return (f"截至 {day}，供应链中（获准供货）的供应商共 {total} 家" + tail_zh,
            f"At {day} the supply chain (approved to supply) had {total} suppliers" + tail_en)


def _green_spend_text(value: Value, currency: str, p: int) -> tuple[str, str]:
    """B5.4's green-spend sentence: the amounts and the share, or that the figure is unavailable (never 0)."""
    if value.value is None:
        return (f"绿色采购金额占比不可得：本年没有记录以 {currency} 计的采购金额。",
                f"The green share of spend is unavailable: no spend in {currency} is recorded for the year.")
    amounts = dict(value.breakdown)
    green, total = amounts[f"spend:green:{currency}"], amounts[f"spend:total:{currency}"]
    return (f"本年向经环境标准甄选的供应商采购 {currency} {green:,}，占采购总额 {currency} {total:,} 的 "
            f"{_pct(value, p)}%。",
            f"{currency} {green:,} of the year's {currency} {total:,} spend ({_pct(value, p)} %) went to suppliers "
            "selected with environmental criteria.")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def narrative_disagreements(result: Disclosure) -> list[tuple[str, str, set[str]]]:
    """(section, language, numbers) of every edited narrative citing numbers that are none of its section's
    figures (nor a year or a date): the text and the figures disagree."""
    v = result.values[result.year]
    out = []
    for (section, language), text in sorted(result.edited.items()):
        known = {str(y) for y in range(FIRST_YEAR, result.year + 2)}
        for spec in result.section_specs(section) if section != "B5" else SPECS:
            value = v[spec.code].value
            if value is None:
                continue
            known |= {str(int(value)), f"{value:.1f}", f"{value:.0f}"} if isinstance(value, float) else {
                str(value)}
            known |= {str(n) for _key, n in v[spec.code].breakdown}
        found = {n for n in _numbers(re.sub(r"\d{4}-\d{2}-\d{2}", "", text)) if n not in known}
        if found:
            out.append((section, language, found))
    return out


def consistency(result: Disclosure) -> list[tuple[str, str]]:
    """Warnings an editor reads before downloading: figures that disagree with each other, and edited
    narratives citing numbers that are not the section's figures (zh, en)."""
    v = result.values[result.year]
    warnings = []
    for section, language, numbers in narrative_disagreements(result):
        listed = ", ".join(sorted(numbers))
        zh_lang, en_lang = ("中文", "Chinese") if language == "zh" else ("英文", "English")
        warnings.append((f"{section} 的{zh_lang}叙述引用的数字与该节数据不符：{listed}。",
                         f"The {en_lang} narrative of {section} cites numbers that are not its figures: {listed}."))
    terminated = set(v["KPI.terminated_social"].records.ids)
    in_gri = set(v["GRI.308-2.e.why"].records.ids) | set(v["GRI.414-2.e.why"].records.ids)
    if terminated != in_gri:
        warnings.append(("因社会责任不合规终止合作的供应商数与 GRI 308-2/414-2 (e) 不一致。",
                         "Suppliers terminated for social-responsibility non-compliance differ from GRI "
                         "308-2/414-2 (e)."))
    regions_sum = sum(int(v[f"B5.1.{r.key}"].value or 0) for r in regions.REGIONS)
    if regions_sum != v["B5.1.total"].value:
        warnings.append(("各地区供应商数之和不等于供应商总数。",
                         "The suppliers by region do not add up to the total."))
    if v["B5.1.total"].value and v["B5.2.pledge_signing_rate"].value is None:
        warnings.append(("没有品类要求签署廉洁承诺书，签署率无法计算。",
                         "No category requires an integrity pledge, so its signing rate cannot be computed."))
    return warnings


def to_pdf_data(result: Disclosure, company_name: str, generated_at: datetime, languages: tuple[str, ...],
                company_name_en: str = ""):
    """The renderer's DisclosureData: a section per B5/GRI aspect with all three years, and B5.1's regions.
    With "zh_Hant" among the languages every Chinese text is in traditional Chinese."""
    from reports.data import DisclosureData, DisclosureSection, Figure, RegionCount

    hant = "zh_Hant" in languages
    texts = {code: (_zh(zh, hant), en) for code, (zh, en) in narratives(result).items()}
    sections = []
    for code, title_zh, title_en in SECTIONS:
        figures = []
        for spec in result.section_specs(code):
            if spec.code.startswith("B5.1.") and spec.code not in (
                "B5.1.total",
                "B5.1.local",
                "B5.1.local.share",
            ):
                continue  # the regions have their own chart and table
            unit_zh, unit_en = UNITS.get(spec.unit, (spec.unit, spec.unit))
            label_zh, label_en = result.label(spec)
            figures.append(
                Figure(
                    spec.code,
                    label_en,
                    _zh(label_zh, hant),
                    _zh(unit_zh, hant) if languages[0] in ("zh", "zh_Hant") else unit_en,
                    {y: result.values[y][spec.code].value for y in result.years if y in result.values},
                    result.targets.get(spec.code),
                )
            )
        narrative_zh, narrative_en = texts.get(code, ("", ""))
        sections.append(
            DisclosureSection(code, _zh(title_zh, hant), title_en, narrative_zh, narrative_en, tuple(figures))
        )
    lines_zh = [f"{standard} {item}：{section}" for standard, item, section, _codes in content_index()]
    lines_en = [f"{standard} {item}: section {section}" for standard, item, section, _codes in content_index()]
    sections.append(DisclosureSection("", _zh("HKEX 及 GRI 内容索引", hant), "HKEX and GRI content index",
                                      _zh("；".join(lines_zh), hant), "; ".join(lines_en), ()))
    region_counts = [RegionCount(_zh(row.name_zh, hant), row.name_en, row.count) for row in region_layout(result)]
    return DisclosureData(
        company_name_zh=_zh(company_name, hant),
        company_name_en=company_name_en,
        year=result.year,
        generated_at=generated_at,
        sections=tuple(sections),
        regions=tuple(region_counts),
        percent_places=result.settings.percent_places,
    )


def to_pdf(
    result: Disclosure,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
    company_name_en: str = "",
) -> bytes:
    """The disclosure PDF in the languages given ("zh", "zh_Hant" and/or "en")."""
    from reports.disclosure import render_disclosure_pdf

    data = to_pdf_data(result, company_name, clock.now().astimezone(zone), languages, company_name_en)
    hant = "zh_Hant" in languages
    renderer_languages = tuple("zh" if lang == "zh_Hant" else lang for lang in languages)
    if hant:
        from supplychain.hant import to_hant

        return render_disclosure_pdf(data, renderer_languages, font_path=font_path, chinese=to_hant)
    return render_disclosure_pdf(data, renderer_languages, font_path=font_path)


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(
    session: Session,
    year: Any,
    fmt: str,
    today: date,
    boundary: Organisation | None,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
    settings: Settings | None = None,
) -> tuple[bytes, str, str]:
    """The disclosure file of a year: (bytes, file name, content type); ValidationFailed otherwise.

    `languages`: "zh", "zh_Hant" and/or "en"; with "zh_Hant" the Chinese of every file is traditional."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [_l("Choose CSV, XLSX or PDF.")]})
    if not languages or any(lang not in OUTPUT_LANGUAGES for lang in languages):
        raise ValidationFailed({"lang": [_l("Choose zh, zh_Hant or en.")]})
    settings = settings or Settings(company_name_zh=company_name)
    result = disclosure(session, year, today, boundary, settings)
    hant = "zh_Hant" in languages
    if fmt == "csv":
        data = to_csv(result, hant)
    elif fmt == "xlsx":
        data = to_xlsx(result, hant)
    else:
        # A subsidiary's disclosure carries the subsidiary's names; the group's the company's (D7).
        if boundary is not None and boundary.parent_id is not None:
            reporter, reporter_en = boundary.name_zh, boundary.name_en or ""
        else:
            reporter, reporter_en = company_name, settings.company_name_en
        data = to_pdf(result, reporter, languages, font_path, zone, reporter_en)
    # The boundary's code, and for a PDF its languages (zh, en or both: each has its own name).
    suffix = (f"-{boundary.code}" if boundary is not None else "") + ("-" + "-".join(languages) if fmt == "pdf" else "")
    return data, f"supply-chain-disclosure-{result.year}{suffix}.{fmt}", FORMATS[fmt]


def by_section(result: Disclosure) -> list[tuple[str, str, str, list[Spec]]]:
    """(code, Chinese title, English title, figures) of every section, in report order."""
    return [(code, zh, en, result.section_specs(code)) for code, zh, en in SECTIONS]


@dataclass(frozen=True)
class RegionRow:
    """One row of B5.1's region table as the layout prints it, in every format (page, CSV, XLSX, PDF)."""

    code: str  # B5.1.east; B5.1.south_excl_hk_macao, B5.1.hk_macao_overseas; B5.1.overseas.DE
    name_zh: str
    name_en: str
    count: int
    share: float | None  # of the rows' total, half up (— when there is nothing to divide by)
    basis: str = "computed"
    note: str = ""

    @property
    def share_value(self) -> Value:
        """The share as a figure (for `display`)."""
        return Value(self.share)

    def labels(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """The (Chinese, English) labels of the row's count and share in the CSV and XLSX."""
        where_zh, where_en = self.name_zh, self.name_en
        if self.code == "B5.1.south_excl_hk_macao":
            where_zh, where_en = f"{where_zh}（不含港澳）", f"{where_en} (excluding Hong Kong and Macao)"
        return ((f"{where_zh}供应商", f"Suppliers in {where_en}"),
                (f"{where_zh}供应商占比", f"Share of suppliers in {where_en}"))


# The figure rows a layout other than the seven regions replaces in the CSV and XLSX.
SEVEN_REGION_CODES = (*[code for r in regions.REGIONS for code in (f"B5.1.{r.key}", f"B5.1.{r.key}.share")],
                      "B5.1.hk_macao")


def region_layout(result: Disclosure, layout: str | None = None) -> list[RegionRow]:
    """B5.1's region table as the layout prints it (setting DISCLOSURE_REGION_LAYOUT, or `layout`).

    seven: the seven regions and overseas. hk_macao_overseas: Hong Kong and Macao taken out of the south
    and printed with overseas as one row. overseas_by_country: the seven regions, then one row per country
    (its name; the ISO code when unknown). Shares are of the rows' total, half up, with the percent places."""
    layout = layout or result.settings.region_layout
    v = result.values[result.year]
    rows: list[tuple[str, str, str, int, tuple[Value, ...]]] = [
        (f"B5.1.{r.key}", r.name_zh, r.name_en, int(v[f"B5.1.{r.key}"].value or 0), (v[f"B5.1.{r.key}"],))
        for r in regions.REGIONS if r.key != "overseas"]
    overseas = v["B5.1.overseas"]
    if layout == "hk_macao_overseas":
        hk_macao = v["B5.1.hk_macao"]
        rows = [("B5.1.south_excl_hk_macao", zh, en, n - int(hk_macao.value or 0), (*parts, hk_macao))
                if code == "B5.1.south"
                else (code, zh, en, n, parts) for code, zh, en, n, parts in rows]
        rows.append(("B5.1.hk_macao_overseas", "港澳及海外", "Hong Kong, Macao and overseas",
                     int(overseas.value or 0) + int(hk_macao.value or 0), (overseas, hk_macao)))
    elif layout == "overseas_by_country":
        for key, n in overseas.breakdown:
            country = key.removeprefix("country:")
            rows.append((f"B5.1.overseas.{country}", f"海外：{regions.country_name(country, 'zh') or country}",
                         f"Overseas: {regions.country_name(country, 'en') or country}", n, (overseas,)))
    else:
        names = next(r for r in regions.REGIONS if r.key == "overseas")
        rows.append(("B5.1.overseas", names.name_zh, names.name_en, int(overseas.value or 0), (overseas,)))
    total = sum(n for _c, _z, _e, n, _p in rows)
    places = result.settings.percent_places
    out = []
    for code, zh, en, n, parts in rows:
        marked = [part for part in parts if part.basis != "computed"]
        out.append(RegionRow(code, zh, en, n, half_up(n, total, places) if total else None,
                             marked[0].basis if marked else "computed",
                             "; ".join(part.note for part in marked if part.note)))
    return out


def region_rows(result: Disclosure) -> list[tuple[regions.Region, Value, Value]]:
    """Each region with its count and share at the year end."""
    v = result.values[result.year]
    return [(r, v[f"B5.1.{r.key}"], v[f"B5.1.{r.key}.share"]) for r in regions.REGIONS]


def group_specs() -> dict[str, list[Spec]]:
    """Specs by section code."""
    grouped: dict[str, list[Spec]] = defaultdict(list)
    for spec in SPECS:
        grouped[spec.section].append(spec)
    return grouped


# --------------------------------------------------------------------------------------------- page


def display(value: Value | None, unit: str, places: int = 1) -> str:
    """A figure as the page prints it: 1,234 or 66.7% (— when there is nothing to divide by)."""
    if value is None or value.value is None:
        return "—"
    v = value.value
    text = f"{v:,.{places}f}" if unit == "%" else f"{int(v):,}"
    return f"{text}%" if unit == "%" else text


@dataclass
class DisclosurePage:
    """The disclosure of a year with the B5.1 chart, for the web page."""

    result: Disclosure
    region_chart: str
    sections: list[tuple[str, str, str, list[Spec]]]
    narratives: dict[str, tuple[str, str]]
    warnings: list[tuple[str, str]] = field(default_factory=list)  # consistency checks before download
    published: dict = field(default_factory=dict)  # year → its publication (the figures as published)
    changes: list = field(default_factory=list)  # published figures that changed since, not restated
    other_settings: list[int] = field(default_factory=list)  # years published with another population/places
    regions: list[RegionRow] = field(default_factory=list)  # B5.1's region table as the layout prints it


def page(session: Session, year: Any, today: date, language: str,
         boundary: Organisation | None = None, settings: Settings = DEFAULT_SETTINGS) -> DisclosurePage:
    """Everything the disclosure page shows; raises ValidationFailed for a bad or future year."""
    from reports import charts
    from supplychain.web_charts import web_svg

    result = disclosure(session, year, today, boundary, settings)
    hant = language == "zh_Hant"  # "zh", "zh_Hant" or "en"
    layout = region_layout(result)
    data = [(row.name_en if language == "en" else _zh(row.name_zh, hant), row.count) for row in layout]
    chart = web_svg(charts.to_svg(charts.pie_chart(data, "", width=360, height=180)),
                    "Suppliers by region" if language == "en" else _zh("供应商地区分布", hant))
    publications = disclosure_publication.published(session, disclosure_figures.boundary_key(boundary),
                                                    result.years)
    changed, other = disclosure_publication.changes(publications, result.values, counted_with(result))
    return DisclosurePage(result, chart, by_section(result), narratives(result), consistency(result), publications,
                          changed, other, layout)


def counted_with(result: Disclosure) -> str:
    """The settings a year's figures were counted with, as a publication keeps them."""
    return disclosure_publication.settings_key(result.settings.b51_population, result.settings.percent_places)
