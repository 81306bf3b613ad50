"""What the disclosure counts and how it is set: the settings, the figures (codes, sections, units,
labels), the content index, and a figure's value with the records behind it (docs/disclosure.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from supplychain import regions
from supplychain.errors import ValidationFailed
from supplychain.models import BLACKLIST_REASONS

FIRST_YEAR = 2000
ENVIRONMENTAL_INCIDENTS = ("environmental",)
SOCIAL_INCIDENTS = ("labour", "safety", "ethics")
SIGNIFICANT = ("major", "critical")


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


# How B5.1's region table is laid out (setting DISCLOSURE_REGION_LAYOUT): the seven regions and overseas;
# Hong Kong, Macao and overseas as one row; or the seven regions with overseas by country.
REGION_LAYOUTS = ("seven", "hk_macao_overseas", "overseas_by_country")


# B5.1's population (setting DISCLOSURE_B5_1_POPULATION): in the supply chain at the year end, registered on the
# platform by then, or with spend in the year (the population of an annual qualified-supplier review).
B51_POPULATIONS = ("in_supply_chain", "registered", "with_spend")


# What B5.1's total counts, printed beside the figure: (Chinese, English) per population.
POPULATION_LABELS = {
    "in_supply_chain": ("年末供应链中的供应商总数（获准供货：试用、合格或有条件合格）",
                        "Suppliers in the supply chain at the year end (approved to supply: trial supply, qualified or "
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


def record_set(kind: str, ids: Iterable[int]) -> RecordSet:
    """The records of a kind, each id once, sorted."""
    return RecordSet(kind, tuple(sorted(set(ids))))


def counted(kind: str, ids: Iterable[int]) -> Value:
    """A count of records, keeping their ids."""
    records = record_set(kind, ids)
    return Value(len(records), records)


def rate_of(part: Iterable[int], whole: Iterable[int], kind: str = "supplier", places: int = 1) -> Value:
    """part ÷ whole as a percentage, half up (None when there is nothing to divide by), keeping both sets of ids."""
    numerator, denominator = record_set(kind, part), record_set(kind, whole)
    value = half_up(len(numerator), len(denominator), places) if denominator.ids else None
    return Value(value, numerator, denominator)


def figure_ref(code: str) -> str:
    """The reference a report reader knows for a disclosure figure: "B5.2", "GRI 308-1", or nothing for
    the KPI table; never the internal key ("B5.2.admission_reviewed", issue 13 D9)."""
    if code.startswith("GRI."):
        return "GRI " + code[4:].split(".")[0]
    if code.startswith("B5."):
        return ".".join(code.split(".")[:2])
    return ""
