"""The plain, frozen data the renderers take: services fill these, the renderers draw them.

Sequences may be given as lists of plain tuples (or dicts); they are normalised into tuples
of the named tuples below, so a value is immutable and two equal inputs render the same bytes.
Numbers may be ``int``, ``float`` or ``Decimal``; dates are ``datetime.date`` and timestamps
``datetime.datetime`` (shown as given: pass them in the zone the reader expects).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

Number = int | float | Decimal


class DimensionScore(NamedTuple):
    """One scored dimension: score 0-100, weight as a share of the total (0-1)."""

    name_zh: str
    name_en: str
    score: Number
    weight: Number


class TrendPoint(NamedTuple):
    """The total of one earlier (or the current) evaluation period."""

    period: str
    total: Number


class RedFlag(NamedTuple):
    """A disqualifying or serious finding, in both languages."""

    text_zh: str
    text_en: str


class CertificateLine(NamedTuple):
    """A certificate held; status is a code (valid, expiring, expired, revoked) or a label."""

    type: str
    number: str
    expires_on: date | None
    status: str


class PledgeLine(NamedTuple):
    """A signed pledge (integrity pledge, code of conduct...)."""

    kind_zh: str
    kind_en: str
    signed_on: date | None


class CorrectiveActionLine(NamedTuple):
    """An open corrective action (整改)."""

    title: str
    due_on: date | None
    status: str = ""


class IncidentLine(NamedTuple):
    """An incident: category code or label (environmental, labour, safety...), summary."""

    occurred_on: date | None
    category: str
    summary: str
    severity: str = ""


class ApprovalLine(NamedTuple):
    """One level of the (up to three-level) approval of the evaluation."""

    level: int
    approver: str
    decided_at: datetime | None
    decision: str = ""


class PeriodEvaluationLine(NamedTuple):
    """One organisation's final evaluation of the supplier for the same period (a group evaluates in parts)."""

    organisation_zh: str
    organisation_en: str
    scheme_zh: str
    scheme_en: str
    total: Number | None
    grade_zh: str
    grade_en: str
    as_of: date | None
    governs: bool  # at the lowest grade of the period: it governs the group-level consequence
    this: bool = False  # the scorecard's own evaluation


class Figure(NamedTuple):
    """One disclosure KPI with its values by reporting year (None = not available)."""

    code: str
    label_en: str
    label_zh: str
    unit: str
    values: Mapping[int, Number | None]
    target: Number | None = None  # the reporting year's target (the KPI table's targets column)


class DisclosureSection(NamedTuple):
    """A disclosure section (e.g. B5.1 or GRI 308-1): titles, narratives and figures."""

    code: str
    title_zh: str
    title_en: str
    narrative_zh: str
    narrative_en: str
    figures: tuple[Figure, ...] = ()


class RegionCount(NamedTuple):
    """Suppliers in one geographic region (HKEX B5.1)."""

    label_zh: str
    label_en: str
    count: int


def _as(cls: type, item: Any) -> Any:
    if isinstance(item, cls):
        return item
    if isinstance(item, Mapping):
        return cls(**item)
    return cls(*item)


def _tuple_of(cls: type, items: Iterable[Any] | None) -> tuple:
    return tuple(_as(cls, item) for item in (items or ()))


def _figure(item: Any) -> Figure:
    fig = _as(Figure, item)
    values = dict(
        sorted(((int(year), value) for year, value in dict(fig.values).items()), key=lambda kv: kv[0])
    )
    return fig._replace(values=values)


def _section(item: Any) -> DisclosureSection:
    section = _as(DisclosureSection, item)
    return section._replace(figures=tuple(_figure(f) for f in section.figures))


def _freeze(obj: Any, **fields: Any) -> None:
    for name, value in fields.items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class ScorecardData:
    """Everything one supplier scorecard shows; see the module docstring for the types."""

    # Supplier identity
    supplier_name_zh: str
    supplier_name_en: str
    credit_code: str | None  # None for overseas suppliers
    region_zh: str
    region_en: str
    categories: tuple[str, ...]
    status_zh: str
    status_en: str
    # Evaluation
    kind_zh: str  # 准入评审 / 年度评审 ...
    kind_en: str
    period: str  # "2024", "2024 H1"...
    total: Number
    grade_name_zh: str
    grade_name_en: str
    grade_colour: str  # "#1a7f37"
    percentile: Number | None
    dimensions: tuple[DimensionScore, ...]
    trend: tuple[TrendPoint, ...]
    red_flags: tuple[RedFlag, ...]
    explanation: tuple[str, ...]
    # Evidence summary
    certificates: tuple[CertificateLine, ...]
    pledges: tuple[PledgeLine, ...]
    training_hours_12m: Number
    open_corrective_actions: int
    corrective_actions: tuple[CorrectiveActionLine, ...]
    incidents: tuple[IncidentLine, ...]
    approvals: tuple[ApprovalLine, ...]
    # Document
    generated_at: datetime
    verification_code: str
    verification_url: str
    issuer: str = ""  # the buying company, printed in the header
    max_total: Number = 100
    # The period's evaluations by the organisations the reader may see, and the group-level outcome
    # (printed only when several organisations evaluated the supplier in the period).
    period_evaluations: tuple[PeriodEvaluationLine, ...] = ()
    period_hidden: int = 0  # evaluations of the period by organisations outside the reader's scope
    governing_level_zh: str = ""
    governing_level_en: str = ""
    group_rule_zh: str = ""
    group_rule_en: str = ""

    def __post_init__(self) -> None:
        _freeze(
            self,
            categories=tuple(self.categories),
            dimensions=_tuple_of(DimensionScore, self.dimensions),
            trend=_tuple_of(TrendPoint, self.trend),
            red_flags=_tuple_of(RedFlag, self.red_flags),
            explanation=tuple(self.explanation),
            certificates=_tuple_of(CertificateLine, self.certificates),
            pledges=_tuple_of(PledgeLine, self.pledges),
            corrective_actions=_tuple_of(CorrectiveActionLine, self.corrective_actions),
            incidents=_tuple_of(IncidentLine, self.incidents),
            approvals=_tuple_of(ApprovalLine, self.approvals),
            period_evaluations=_tuple_of(PeriodEvaluationLine, self.period_evaluations),
        )


CERTIFICATE_KINDS = ("qualified", "excellent")


@dataclass(frozen=True)
class CertificateData:
    """The annual Qualified / Excellent Supplier certificate (年度合格/优秀供应商证书)."""

    kind: str  # "qualified" or "excellent"
    supplier_name_zh: str
    supplier_name_en: str
    credit_code: str | None
    year: int
    issuer_zh: str
    issuer_en: str
    certificate_number: str
    issued_on: date
    verification_code: str
    verification_url: str
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in CERTIFICATE_KINDS:
            raise ValueError(f"kind must be one of {CERTIFICATE_KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class DisclosureData:
    """One reporting year's supply-chain disclosure (HKEX B5, GRI 308/414, KPI table)."""

    company_name_zh: str
    company_name_en: str
    year: int
    generated_at: datetime
    sections: tuple[DisclosureSection, ...]
    regions: tuple[RegionCount, ...] = field(default=())
    percent_places: int = 1  # the region table's shares: one decimal or whole per cent, half up

    def __post_init__(self) -> None:
        _freeze(
            self,
            sections=tuple(_section(s) for s in self.sections),
            regions=_tuple_of(RegionCount, self.regions),
        )


@dataclass(frozen=True)
class SignedPledgeData:
    """A pledge as signed: the text(s), who signed, when, from where, and the text's hash."""

    kind_zh: str  # 廉洁承诺书
    kind_en: str  # Integrity pledge
    text_zh: str
    text_en: str
    supplier_name_zh: str
    supplier_name_en: str
    credit_code: str | None
    signatory_name: str
    signatory_title: str
    signed_at: datetime
    ip_address: str
    text_sha256: str
    generated_at: datetime
    verification_code: str = ""
    verification_url: str = ""
