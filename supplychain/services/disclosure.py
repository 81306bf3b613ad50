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
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import regions
from supplychain.errors import ValidationFailed
from supplychain.models import (
    ESG_TOPICS,
    AuditEntry,
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
from supplychain.models.scheme import SchemeVersion

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
    Spec("B5.1.local", "B5.1", "suppliers", "Local suppliers (home province)", "本地供应商（本省）"),
    Spec("B5.1.local.share", "B5.1", "%", "Share of local suppliers", "本地供应商占比"),
    Spec("B5.2.admission_reviewed", "B5.2", "suppliers", "Suppliers admitted through an admission review",
         "经准入评审引入的供应商"),
    Spec("B5.2.pledge_signed", "B5.2", "suppliers", "Suppliers with an integrity pledge in force",
         "廉洁承诺书有效的供应商"),
    Spec("B5.2.pledge_signing_rate", "B5.2", "%", "Integrity pledge signing rate", "廉洁承诺书签署率"),
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
    Spec("B5.4.total", "B5.4", "suppliers",
         "Suppliers selected with environmental criteria or holding ISO 14001",
         "采用环境标准甄选或持有ISO 14001的供应商"),
    Spec("B5.4.env_selected", "B5.4", "suppliers", "New suppliers admitted with environmental criteria",
         "采用环境标准准入的新供应商"),
    Spec("B5.4.iso14001", "B5.4", "suppliers", "Suppliers holding a valid ISO 14001 certificate",
         "持有有效ISO 14001证书的供应商"),
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
    Spec("GRI.308-2.d", "GRI 308-2", "%", "Of those, share with which improvements were agreed",
         "其中已商定改进措施的比例"),
    Spec("GRI.308-2.e", "GRI 308-2", "%", "Of those, share with which the relationship was terminated",
         "其中已终止合作的比例"),
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
    Spec("GRI.414-2.d", "GRI 414-2", "%", "Of those, share with which improvements were agreed",
         "其中已商定改进措施的比例"),
    Spec("GRI.414-2.e", "GRI 414-2", "%", "Of those, share with which the relationship was terminated",
         "其中已终止合作的比例"),
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
    ("B5", "一般披露", "General disclosure"),
    ("B5.1", "按地区划分的供应商数目", "Number of suppliers by geographical region"),
    ("B5.2", "聘用供应商的惯例", "Practices relating to engaging suppliers"),
    ("B5.3", "识别供应链环境及社会风险的惯例", "Practices used to identify environmental and social risks"),
    (
        "B5.4",
        "促进环保产品及服务的惯例",
        "Practices used to promote environmentally preferable products and services",
    ),
    (
        "GRI 308-1",
        "使用环境标准筛选的新供应商",
        "New suppliers that were screened using environmental criteria",
    ),
    (
        "GRI 308-2",
        "供应链的负面环境影响及采取的行动",
        "Negative environmental impacts in the supply chain and actions",
    ),
    ("GRI 414-1", "使用社会标准筛选的新供应商", "New suppliers that were screened using social criteria"),
    (
        "GRI 414-2",
        "供应链的负面社会影响及采取的行动",
        "Negative social impacts in the supply chain and actions",
    ),
)


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


def _ids(kind: str, ids: Iterable[int]) -> RecordSet:
    return RecordSet(kind, tuple(sorted(set(ids))))


def _count(kind: str, ids: Iterable[int]) -> Value:
    records = _ids(kind, ids)
    return Value(len(records), records)


def _rate(part: Iterable[int], whole: Iterable[int], kind: str = "supplier") -> Value:
    numerator, denominator = _ids(kind, part), _ids(kind, whole)
    value = round(100.0 * len(numerator) / len(denominator), 1) if denominator.ids else None
    return Value(value, numerator, denominator)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


# --------------------------------------------------------------------------------------------- queries


def statuses_on(session: Session, day: date) -> dict[int, tuple[str, str, str | None]]:
    """(status, region, province) on a day of every supplier registered by then: the current status with
    the audited status changes made after that day undone, newest first."""
    suppliers = {
        sid: [status, region, province]
        for sid, status, region, province in session.execute(
            select(Supplier.id, Supplier.status, Supplier.region, Supplier.province_code).where(
                Supplier.registered_on <= day
            )
        )
    }
    for sid, changes in session.execute(
        select(AuditEntry.entity_id, AuditEntry.changes)
        .where(
            AuditEntry.entity_type == "supplier", AuditEntry.action == "status", AuditEntry.at >= _end_of(day)
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ):
        old = (changes or {}).get("status", [None])[0]
        if sid in suppliers and old:
            suppliers[sid][0] = old
    return {sid: (values[0], values[1], values[2]) for sid, values in suppliers.items()}


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


def _impacts(session: Session, first: date, last: date, categories: tuple[str, ...]) -> dict[str, Value]:
    """GRI 308-2 / 414-2 b, d, e from significant incidents of the categories in [first, last]."""
    incidents = list(
        session.execute(
            select(Incident.id, Incident.supplier_id, Incident.occurred_on)
            .where(
                Incident.occurred_on >= first,
                Incident.occurred_on <= last,
                Incident.category.in_(categories),
                Incident.severity.in_(SIGNIFICANT),
            )
            .order_by(Incident.occurred_on, Incident.id)
        )
    )
    earliest: dict[int, date] = {}
    for row in incidents:
        earliest.setdefault(row.supplier_id, row.occurred_on)
    improved: set[int] = set()
    terminated: set[int] = set()
    if incidents:
        improved = set(
            session.scalars(
                select(CorrectiveAction.supplier_id).where(
                    CorrectiveAction.incident_id.in_([row.id for row in incidents]),
                    CorrectiveAction.created_at < _end_of(last),
                )
            )
        )
        for sid, terminated_on in session.execute(
            select(BlacklistEntry.supplier_id, BlacklistEntry.terminated_on).where(
                BlacklistEntry.supplier_id.in_(list(earliest)),
                BlacklistEntry.social_noncompliance.is_(True),
                BlacklistEntry.terminated_on.is_not(None),
                BlacklistEntry.terminated_on <= last,
            )
        ):
            if terminated_on >= earliest[sid]:
                terminated.add(sid)
    return {
        "b": _count("supplier", earliest),
        "d": _rate(improved, earliest),
        "e": _rate(terminated, earliest),
    }


def compute(session: Session, year: int, as_of: date, home_province: str) -> dict[str, Value]:
    """Every figure of one reporting year, as of a day inside it (the year end, or today)."""
    first = date(year, 1, 1)
    values: dict[str, Value] = {}
    engaged = engaged_on(session, as_of)
    # B5.1 and the local suppliers.
    everyone = list(engaged)
    values["B5.1.total"] = _count("supplier", everyone)
    for region in regions.REGIONS:
        members = [sid for sid, (_s, key, _p) in engaged.items() if key == region.key]
        values[f"B5.1.{region.key}"] = _count("supplier", members)
        values[f"B5.1.{region.key}.share"] = _rate(members, everyone)
    local = [sid for sid, (_s, _r, province) in engaged.items() if province == home_province]
    values["B5.1.local"] = _count("supplier", local)
    values["B5.1.local.share"] = _rate(local, everyone)
    # B5.2: admission reviews and pledges.
    admissions = _final_evaluations(session, date(FIRST_YEAR, 1, 1), as_of, "admission")
    admitted = {row.supplier_id for row in admissions.rows}
    values["B5.2.admission_reviewed"] = _count("supplier", [sid for sid in engaged if sid in admitted])
    signed = set(
        session.scalars(
            select(IntegrityPledge.supplier_id).where(
                IntegrityPledge.kind == "integrity",
                IntegrityPledge.signed_on <= as_of,
                (IntegrityPledge.valid_until.is_(None)) | (IntegrityPledge.valid_until >= as_of),
            )
        )
    )
    values["B5.2.pledge_signed"] = _count("supplier", [sid for sid in engaged if sid in signed])
    values["B5.2.pledge_signing_rate"] = _rate([sid for sid in engaged if sid in signed], everyone)
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
    values["B5.4.iso14001"] = _count("supplier", holders)
    values["B5.4.env_selected"] = _count("supplier", env_selected)
    values["B5.4.total"] = _count("supplier", set(holders) | env_selected)
    # GRI 308-1 / 414-1: new suppliers screened.
    before = engaged_on(session, first - timedelta(days=1))
    new = [sid for sid in engaged if sid not in before]
    env_screened = {row.supplier_id for row in admissions.rows if admissions.env(row)}
    soc_screened = {row.supplier_id for row in admissions.rows if admissions.soc(row)}
    for code, screened in (("GRI.308-1", env_screened), ("GRI.414-1", soc_screened)):
        part = [sid for sid in new if sid in screened]
        values[code] = _rate(part, new)
        values[f"{code}.new"] = _count("supplier", new)
        values[f"{code}.screened"] = _count("supplier", part)
    # GRI 308-2 / 414-2.
    values["GRI.308-2.a"] = _count(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.env(r)]
    )
    values["GRI.414-2.a"] = _count(
        "supplier", [r.supplier_id for r in year_evaluations.rows if year_evaluations.soc(r)]
    )
    for code, categories in (("GRI.308-2", ENVIRONMENTAL_INCIDENTS), ("GRI.414-2", SOCIAL_INCIDENTS)):
        for letter, value in _impacts(session, first, as_of, categories).items():
            values[f"{code}.{letter}"] = value
    # KPI table.
    values["KPI.total_suppliers"] = values["B5.1.total"]
    values["KPI.suppliers_reviewed"] = _count("supplier", [row.supplier_id for row in year_evaluations.rows])
    values["KPI.rejected_social"] = _count(
        "supplier",
        [
            row.supplier_id
            for row in year_evaluations.rows
            if row.kind == "admission" and row.outcome == "rejected" and row.social_non_compliance
        ],
    )
    terminated = set(
        session.scalars(
            select(BlacklistEntry.supplier_id).where(
                BlacklistEntry.social_noncompliance.is_(True),
                BlacklistEntry.supplier_id.is_not(None),
                BlacklistEntry.terminated_on >= first,
                BlacklistEntry.terminated_on <= as_of,
            )
        )
    )
    terminated |= {
        row.supplier_id
        for row in year_evaluations.rows
        if row.outcome == "exited" and row.social_non_compliance
    }
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
    values["KPI.pledge_signing_rate"] = values["B5.2.pledge_signing_rate"]
    values["KPI.local_suppliers"] = values["B5.1.local"]
    assert set(values) == set(SPEC_BY_CODE), set(values) ^ set(SPEC_BY_CODE)
    return values


# --------------------------------------------------------------------------------------------- the year


@dataclass
class Disclosure:
    """One reporting year's figures with the two previous years, ready for the page and the files."""

    year: int
    as_of: date
    home_province: str
    values: dict[int, dict[str, Value]]  # year → code → value (the year and the two before it)
    evaluations: int  # final evaluations in the reporting year

    @property
    def years(self) -> tuple[int, int, int]:
        """The KPI table's years, oldest first."""
        return (self.year - 2, self.year - 1, self.year)

    @property
    def in_progress(self) -> bool:
        """The reporting year has not ended: figures are as of today."""
        return self.as_of < date(self.year, 12, 31)

    def value(self, code: str, year: int | None = None) -> Value:
        """A figure of the reporting year (or of one of the two previous years)."""
        return self.values[year or self.year][code]

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


def disclosure(session: Session, year: Any, today: date, home_province: str) -> Disclosure:
    """The disclosure of a reporting year (raises ValidationFailed for a bad or future year)."""
    year = parse_year(year, today)
    values = {y: compute(session, y, as_of_for(y, today), home_province) for y in (year - 2, year - 1, year)}
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
    return Disclosure(year, as_of_for(year, today), home_province, values, count)


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
    session: Session, year: Any, code: str, today: date, home_province: str, limit: int = 2000
) -> FigureRecords:
    """The records behind one figure of one year; raises ValidationFailed for a bad year or code."""
    year = parse_year(year, today)
    spec = SPEC_BY_CODE.get(code)
    if spec is None:
        raise ValidationFailed({"code": [_l("Unknown figure.")]})
    as_of = as_of_for(year, today)
    value = compute(session, year, as_of, home_province)[code]
    return FigureRecords(
        spec,
        year,
        as_of,
        value,
        _load(session, value.records, limit),
        _load(session, value.denominator, limit),
    )


# --------------------------------------------------------------------------------------------- files


CSV_COLUMNS = ("code", "label_en", "label_zh", "year", "value", "unit")


def _plain(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def rows(result: Disclosure) -> list[dict]:
    """One row per figure of the reporting year, and per KPI figure of each of the two previous years."""
    out = []
    for spec in SPECS:
        for year in result.years:
            if year != result.year and not spec.kpi:
                continue
            if year not in result.values:
                continue
            out.append(
                {
                    "code": spec.code,
                    "label_en": spec.label_en,
                    "label_zh": spec.label_zh,
                    "year": year,
                    "value": result.values[year][spec.code].value,
                    "unit": spec.unit,
                }
            )
    return out


def to_csv(result: Disclosure) -> bytes:
    """The CSV: code,label_en,label_zh,year,value,unit (UTF-8 with BOM, so Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(result):
        writer.writerow(
            [row["code"], row["label_en"], row["label_zh"], row["year"], _plain(row["value"]), row["unit"]]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: Disclosure) -> bytes:
    """The workbook: the CSV's rows on "figures", the KPI table with three years on "kpi"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(CSV_COLUMNS))
    for row in rows(result):
        sheet.append([row[c] for c in CSV_COLUMNS])
    kpi = book.create_sheet("kpi")
    kpi.append(["code", "label_zh", "label_en", "unit", *result.years])
    for spec in SPECS:
        if spec.kpi:
            kpi.append(
                [
                    spec.code,
                    spec.label_zh,
                    spec.label_en,
                    spec.unit,
                    *[
                        result.values[y][spec.code].value if y in result.values else None
                        for y in result.years
                    ],
                ]
            )
    for ws in (sheet, kpi):
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


def narratives(result: Disclosure) -> dict[str, tuple[str, str]]:
    """The "how implemented and monitored" text of each section, in Chinese and English, with its figures."""
    v = result.values[result.year]
    y = result.year
    return {
        "KPI": (
            f"下表列示 {y} 年及前两个年度的供应链关键绩效指标，均由系统记录计算，可追溯至每条记录。",
            f"The table shows the supply-chain KPIs of {y} and the two previous years, each computed from "
            "the records in the system and traceable to them.",
        ),
        "B5": (
            "本集团通过供应商准入评审、定期评价、廉洁承诺、资质证书核验、ESG培训、"
            "事件整改及黑名单制度管理供应链的环境及社会风险。",
            "The group manages the environmental and social risks of its supply chain through admission "
            "reviews, periodic evaluations, integrity pledges, certificate verification, ESG training, "
            "corrective actions on incidents and a blacklist.",
        ),
        "B5.1": (
            f"截至 {result.as_of.isoformat()}，供应链中共有供应商 {_n(v['B5.1.total'])} 家，其中本地供应商 "
            f"{_n(v['B5.1.local'])} 家（{_n(v['B5.1.local.share'])}%）。",
            f"At {result.as_of.isoformat()} the supply chain had {_n(v['B5.1.total'])} suppliers, "
            f"{_n(v['B5.1.local'])} of them local ({_n(v['B5.1.local.share'])} %).",
        ),
        "B5.2": (
            f"新供应商须通过准入评审（资质、产能、质量、安全生产、交付、售后及诚信筛查），并签署廉洁承诺书。"
            f"年末 {_n(v['B5.2.admission_reviewed'])} 家在册供应商经准入评审引入，廉洁承诺书签署率为 "
            f"{_n(v['B5.2.pledge_signing_rate'])}%；本年共签署承诺书 {_n(v['B5.2.pledges_signed'])} 份。"
            "评审经最多三级审批，承诺书有效期由系统监控。",
            "New suppliers pass an admission review (qualifications, capacity, quality, safe production, "
            "delivery, after-sales and integrity screening) and sign the integrity pledge. At the year end "
            f"{_n(v['B5.2.admission_reviewed'])} suppliers in the supply chain had been admitted through the "
            f"review and the pledge signing rate was {_n(v['B5.2.pledge_signing_rate'])} %; "
            f"{_n(v['B5.2.pledges_signed'])} pledges were signed in the year. Reviews are approved at up to "
            "three levels; the system monitors pledge validity.",
        ),
        "B5.3": (
            f"本年对 {_n(v['B5.3.assessed'])} 家供应商开展了包含环境及社会标准的评价（共 "
            f"{_n(v['B5.3.evaluations'])} 次），审核了 {_n(v['B5.3.questionnaires_reviewed'])} 家供应商的ESG"
            f"自评问卷，记录环境及社会事件 {_n(v['B5.3.incidents'])} 起，涉及 "
            f"{_n(v['B5.3.suppliers_with_incidents'])} 家供应商，并跟踪整改至验证关闭。",
            f"In the year {_n(v['B5.3.assessed'])} suppliers were evaluated with environmental and social "
            f"criteria ({_n(v['B5.3.evaluations'])} evaluations), the ESG self-assessments of "
            f"{_n(v['B5.3.questionnaires_reviewed'])} suppliers were reviewed, and "
            f"{_n(v['B5.3.incidents'])} environmental and social incidents at "
            f"{_n(v['B5.3.suppliers_with_incidents'])} suppliers were recorded and followed up with "
            "corrective actions until verified.",
        ),
        "B5.4": (
            "准入评审包含环境标准（ISO 14001、排污及环保资质、重大环境事件）。"
            f"年末有 {_n(v['B5.4.iso14001'])} 家在册供应商持有有效的ISO 14001证书，"
            f"本年 {_n(v['B5.4.env_selected'])} 家新供应商经环境标准准入，"
            f"合计 {_n(v['B5.4.total'])} 家。",
            "Admission reviews include environmental criteria (ISO 14001, discharge and environmental "
            f"qualifications, major environmental incidents). At the year end {_n(v['B5.4.iso14001'])} "
            f"suppliers held a valid ISO 14001 certificate and {_n(v['B5.4.env_selected'])} new suppliers "
            f"were admitted with environmental criteria in the year: {_n(v['B5.4.total'])} in all.",
        ),
        "GRI 308-1": (
            f"本年新进入供应链的供应商 {_n(v['GRI.308-1.new'])} 家，其中 {_n(v['GRI.308-1.screened'])} 家"
            "经包含环境标准的准入评审。",
            f"{_n(v['GRI.308-1.new'])} suppliers entered the supply chain in the year; "
            f"{_n(v['GRI.308-1.screened'])} of them were screened with environmental criteria at admission.",
        ),
        "GRI 308-2": (
            "重大负面环境影响指本年发生的重大或特别重大环境事件；改进措施指就该事件制定的整改项；"
            "终止合作指因社会责任不合规列入黑名单。",
            "Significant negative environmental impacts are major or critical environmental incidents in "
            "the year; improvements agreed are corrective actions raised on them; terminations are "
            "blacklistings for social-responsibility non-compliance.",
        ),
        "GRI 414-1": (
            f"本年新进入供应链的供应商 {_n(v['GRI.414-1.new'])} 家，其中 {_n(v['GRI.414-1.screened'])} 家"
            "经包含社会标准（诚信筛查、廉洁承诺、安全生产、劳工）的准入评审。",
            f"{_n(v['GRI.414-1.new'])} suppliers entered the supply chain in the year; "
            f"{_n(v['GRI.414-1.screened'])} of them were screened with social criteria (integrity "
            "screening, pledges, safe production, labour) at admission.",
        ),
        "GRI 414-2": (
            "重大负面社会影响指本年发生的重大或特别重大劳工、安全或商业道德事件；改进措施及终止合作的定义同 "
            "GRI 308-2。",
            "Significant negative social impacts are major or critical labour, safety or ethics incidents "
            "in the year; improvements and terminations as in GRI 308-2.",
        ),
    }


def to_pdf_data(result: Disclosure, company_name: str, generated_at: datetime, languages: tuple[str, ...]):
    """The renderer's DisclosureData: a section per B5/GRI aspect with all three years, and B5.1's regions."""
    from reports.data import DisclosureData, DisclosureSection, Figure, RegionCount

    texts = narratives(result)
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
            figures.append(
                Figure(
                    spec.code,
                    spec.label_en,
                    spec.label_zh,
                    unit_zh if languages[0] == "zh" else unit_en,
                    {y: result.values[y][spec.code].value for y in result.years if y in result.values},
                )
            )
        narrative_zh, narrative_en = texts.get(code, ("", ""))
        sections.append(
            DisclosureSection(code, title_zh, title_en, narrative_zh, narrative_en, tuple(figures))
        )
    v = result.values[result.year]
    region_counts = [
        RegionCount(r.name_zh, r.name_en, int(v[f"B5.1.{r.key}"].value or 0)) for r in regions.REGIONS
    ]
    return DisclosureData(
        company_name_zh=company_name,
        company_name_en="",
        year=result.year,
        generated_at=generated_at,
        sections=tuple(sections),
        regions=tuple(region_counts),
    )


def to_pdf(
    result: Disclosure,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
) -> bytes:
    """The disclosure PDF."""
    from reports.disclosure import render_disclosure_pdf

    data = to_pdf_data(result, company_name, datetime.now(UTC).astimezone(zone), languages)
    return render_disclosure_pdf(data, languages, font_path=font_path)


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
    home_province: str,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
) -> tuple[bytes, str, str]:
    """The disclosure file of a year: (bytes, file name, content type); ValidationFailed otherwise."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [_l("Choose CSV, XLSX or PDF.")]})
    result = disclosure(session, year, today, home_province)
    if fmt == "csv":
        data = to_csv(result)
    elif fmt == "xlsx":
        data = to_xlsx(result)
    else:
        data = to_pdf(result, company_name, languages, font_path, zone)
    # The PDF comes in zh, en or both: each has its own name (CSV and XLSX are always bilingual).
    suffix = "-" + "-".join(languages) if fmt == "pdf" else ""
    return data, f"supply-chain-disclosure-{result.year}{suffix}.{fmt}", FORMATS[fmt]


def by_section(result: Disclosure) -> list[tuple[str, str, str, list[Spec]]]:
    """(code, Chinese title, English title, figures) of every section, in report order."""
    return [(code, zh, en, result.section_specs(code)) for code, zh, en in SECTIONS]


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


def display(value: Value | None, unit: str) -> str:
    """A figure as the page prints it: 1,234 or 66.7% (— when there is nothing to divide by)."""
    if value is None or value.value is None:
        return "—"
    v = value.value
    text = f"{v:,.1f}" if unit == "%" else f"{int(v):,}"
    return f"{text}%" if unit == "%" else text


@dataclass
class DisclosurePage:
    """The disclosure of a year with the B5.1 chart, for the web page."""

    result: Disclosure
    region_chart: str
    sections: list[tuple[str, str, str, list[Spec]]]
    narratives: dict[str, tuple[str, str]]


def page(session: Session, year: Any, today: date, home_province: str, language: str) -> DisclosurePage:
    """Everything the disclosure page shows; raises ValidationFailed for a bad or future year."""
    from reports import charts
    from supplychain.services.dashboard import web_svg

    result = disclosure(session, year, today, home_province)
    v = result.values[result.year]
    data = [(regions.region_name(r.key, language), v[f"B5.1.{r.key}"].value or 0) for r in regions.REGIONS]
    chart = web_svg(charts.to_svg(charts.pie_chart(data, "", width=360, height=180)),
                    "Suppliers by region" if language == "en" else "供应商地区分布")
    return DisclosurePage(result, chart, by_section(result), narratives(result))
