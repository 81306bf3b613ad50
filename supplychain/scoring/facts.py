"""SupplierFacts: every fact the scoring rules read, as plain values.

The service layer loads these from the database; the engine never queries. ``to_dict`` /
``from_dict`` give a JSON-safe snapshot, so a stored evaluation reproduces its figures exactly.
Facts dated after the evaluation's as-of date are ignored by the rules, so the same snapshot
can be rescored on any date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

SNAPSHOT_FORMAT = 1

INCIDENT_CATEGORIES = ("environmental", "labour", "safety", "ethics", "quality")
INCIDENT_SEVERITIES = ("minor", "major", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(INCIDENT_SEVERITIES)}

# Codes the database layer should use for certificate types and pledge kinds (DOMAIN "Evidence
# tracked per supplier"). The engine accepts any string; these are the ones the default schemes use.
CERTIFICATE_TYPES = (
    "iso9001",
    "iso14001",
    "iso45001",
    "iso50001",
    "iso14064",
    "iatf16949",
    "production_licence",
    "safety_production_licence",
    "pollutant_permit",
    "iso27001",
    "sa8000",
)
PLEDGE_KINDS = (
    "integrity",  # 廉洁承诺书
    "clean_government",  # 廉政责任书
    "anti_bribery",  # 反商业贿赂承诺书
    "code_of_conduct",  # 供应商行为准则
    "wage_guarantee",  # 保障农民工工资支付协议
)

# English and Chinese labels used in explanation lines; unknown codes are shown as they are.
CERTIFICATE_LABELS = {
    "iso9001": ("ISO 9001 certificate", "ISO 9001 证书"),
    "iso14001": ("ISO 14001 certificate", "ISO 14001 证书"),
    "iso45001": ("ISO 45001 certificate", "ISO 45001 证书"),
    "iso50001": ("ISO 50001 certificate", "ISO 50001 证书"),
    "iso14064": ("ISO 14064 GHG verification", "ISO 14064 温室气体核查证书"),
    "iatf16949": ("IATF 16949 certificate", "IATF 16949 证书"),
    "production_licence": ("production licence", "生产许可证"),
    "safety_production_licence": ("safety production licence", "安全生产许可证"),
    "pollutant_permit": ("pollutant discharge permit / environmental service qualification", "排污许可证/环保服务资质"),
    "iso27001": ("ISO 27001 certificate", "ISO 27001 证书"),
    "sa8000": ("SA8000 certificate", "SA8000 证书"),
}
PLEDGE_LABELS = {
    "integrity": ("integrity pledge", "廉洁承诺书"),
    "clean_government": ("clean-government responsibility letter", "廉政责任书"),
    "anti_bribery": ("anti-commercial-bribery pledge", "反商业贿赂承诺书"),
    "code_of_conduct": ("supplier code of conduct", "供应商行为准则"),
    "wage_guarantee": ("migrant-worker wage payment guarantee", "保障农民工工资支付协议"),
}
#: The self-assessment questionnaire's sections (supplychain.models.saq SAQ_THEMES), in words.
SAQ_THEME_LABELS = {
    "environment": ("environment", "环境"),
    "labour_human_rights": ("labour and human rights", "劳工与人权"),
    "health_safety": ("health and safety", "健康与安全"),
    "business_ethics": ("business ethics", "商业道德"),
    "management_systems": ("management systems", "管理体系"),
    "sustainable_procurement": ("sustainable procurement", "可持续采购"),
}
INCIDENT_CATEGORY_LABELS = {
    "environmental": ("environmental", "环境"),
    "labour": ("labour", "劳工"),
    "safety": ("safety", "安全"),
    "ethics": ("ethics", "商业道德"),
    "quality": ("quality", "质量"),
}


@dataclass(frozen=True, slots=True)
class CertificateFact:
    """A certificate or licence: valid on a day if verified, issued on/before it and not expired."""

    cert_type: str
    issued_on: date | None
    expires_on: date | None
    verified: bool = True
    number: str = ""


@dataclass(frozen=True, slots=True)
class PledgeFact:
    """A pledge record: either a signature (``signed_on``) or a refusal (``refused``, ``refused_on``)."""

    kind: str
    signed_on: date | None
    valid_until: date | None = None
    refused: bool = False
    refused_on: date | None = None


@dataclass(frozen=True, slots=True)
class TrainingFact:
    """Hours of ESG/safety/environment/anti-corruption/labour training attended on a day."""

    held_on: date
    hours: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", _plain_number(self.hours))


@dataclass(frozen=True, slots=True)
class IncidentFact:
    """An incident: category in INCIDENT_CATEGORIES, severity in INCIDENT_SEVERITIES."""

    category: str
    severity: str
    occurred_on: date


@dataclass(frozen=True, slots=True)
class FindingFact:
    """An audit finding (issue 11): severity, environmental or social, the day the audit found it, and the day
    it was resolved (its corrective action verified, or its audit closed); None while open."""

    severity: str
    dimension: str
    found_on: date
    resolved_on: date | None = None


@dataclass(frozen=True, slots=True)
class AuditFact:
    """A held audit with a checklist score (0-100)."""

    held_on: date
    score: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", _plain_number(self.score))


def is_on_time(due_on: date, received_on: date) -> bool:
    """A delivery is on time when received on or before its due date (the due day itself is on time)."""
    return received_on <= due_on


@dataclass(frozen=True, slots=True)
class DeliveryFact:
    """Purchase receipt lines received on one day, summed: lines, lines on time, quantities received and accepted.

    The database layer sums receipt lines per day (``is_on_time`` decides each line), which keeps a year of
    receipts small in a stored snapshot while the rules can still cut any window by day.
    """

    received_on: date
    lines: int
    on_time_lines: int
    quantity_received: Any
    quantity_accepted: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantity_received", _plain_number(self.quantity_received))
        object.__setattr__(self, "quantity_accepted", _plain_number(self.quantity_accepted))


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    """Everything the scoring rules need about one supplier, as plain immutable values."""

    certificates: tuple[CertificateFact, ...] = ()
    pledges: tuple[PledgeFact, ...] = ()
    trainings: tuple[TrainingFact, ...] = ()
    incidents: tuple[IncidentFact, ...] = ()
    blacklisted: bool = False
    on_dishonest_list: bool = False
    principal_bribery_conviction: bool = False
    # Codes of the red-line screening lists (supplychain.screening_lists) whose latest result lists the supplier.
    screening_listings: tuple[str, ...] = ()
    # Self-assessment questionnaire theme -> 0..100; empty until the supplier portal feeds it.
    saq_theme_scores: Mapping[str, float] = field(default_factory=dict)
    # Certificate types required for the categories this supplier supplies.
    required_licences: tuple[str, ...] = ()
    # Purchase receipts per day (issue 10); empty when no ERP sends receipts for this supplier.
    deliveries: tuple[DeliveryFact, ...] = ()
    # Audits and their findings (issue 11); empty for suppliers never audited.
    findings: tuple[FindingFact, ...] = ()
    audits: tuple[AuditFact, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "certificates", tuple(self.certificates))
        object.__setattr__(self, "pledges", tuple(self.pledges))
        object.__setattr__(self, "trainings", tuple(self.trainings))
        object.__setattr__(self, "incidents", tuple(self.incidents))
        object.__setattr__(
            self, "saq_theme_scores", {k: _plain_number(v) for k, v in self.saq_theme_scores.items()}
        )
        object.__setattr__(self, "required_licences", tuple(self.required_licences))
        object.__setattr__(self, "deliveries", tuple(self.deliveries))
        object.__setattr__(self, "findings", tuple(self.findings))
        object.__setattr__(self, "audits", tuple(self.audits))
        object.__setattr__(self, "screening_listings", tuple(self.screening_listings))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe snapshot (dates as ISO strings) that ``from_dict`` restores exactly.

        Deliveries, findings, audits and screening listings appear only when there are some, so snapshots
        stored before they existed keep their exact form.
        """
        data = {
            "format": SNAPSHOT_FORMAT,
            "certificates": [
                {
                    "cert_type": c.cert_type,
                    "issued_on": _iso(c.issued_on),
                    "expires_on": _iso(c.expires_on),
                    "verified": c.verified,
                    "number": c.number,
                }
                for c in self.certificates
            ],
            "pledges": [
                {
                    "kind": p.kind,
                    "signed_on": _iso(p.signed_on),
                    "valid_until": _iso(p.valid_until),
                    "refused": p.refused,
                    "refused_on": _iso(p.refused_on),
                }
                for p in self.pledges
            ],
            "trainings": [{"held_on": _iso(t.held_on), "hours": t.hours} for t in self.trainings],
            "incidents": [
                {"category": i.category, "severity": i.severity, "occurred_on": _iso(i.occurred_on)}
                for i in self.incidents
            ],
            "blacklisted": self.blacklisted,
            "on_dishonest_list": self.on_dishonest_list,
            "principal_bribery_conviction": self.principal_bribery_conviction,
            "saq_theme_scores": dict(self.saq_theme_scores),
            "required_licences": list(self.required_licences),
        }
        if self.screening_listings:
            data["screening_listings"] = list(self.screening_listings)
        if self.deliveries:
            data["deliveries"] = [
                {"received_on": _iso(d.received_on), "lines": d.lines, "on_time_lines": d.on_time_lines,
                 "quantity_received": d.quantity_received, "quantity_accepted": d.quantity_accepted}
                for d in self.deliveries
            ]
        if self.findings:
            data["findings"] = [
                {"severity": f.severity, "dimension": f.dimension, "found_on": _iso(f.found_on),
                 "resolved_on": _iso(f.resolved_on)}
                for f in self.findings
            ]
        if self.audits:
            data["audits"] = [{"held_on": _iso(a.held_on), "score": a.score} for a in self.audits]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupplierFacts:
        """Rebuild facts from ``to_dict`` output; absent keys take their defaults (older snapshots)."""
        return cls(
            certificates=tuple(
                CertificateFact(
                    cert_type=c["cert_type"],
                    issued_on=_date(c.get("issued_on")),
                    expires_on=_date(c.get("expires_on")),
                    verified=bool(c.get("verified", True)),
                    number=c.get("number") or "",
                )
                for c in data.get("certificates", ())
            ),
            pledges=tuple(
                PledgeFact(
                    kind=p["kind"],
                    signed_on=_date(p.get("signed_on")),
                    valid_until=_date(p.get("valid_until")),
                    refused=bool(p.get("refused", False)),
                    refused_on=_date(p.get("refused_on")),
                )
                for p in data.get("pledges", ())
            ),
            trainings=tuple(
                TrainingFact(held_on=_date(t["held_on"]), hours=t["hours"]) for t in data.get("trainings", ())
            ),
            incidents=tuple(
                IncidentFact(
                    category=i["category"], severity=i["severity"], occurred_on=_date(i["occurred_on"])
                )
                for i in data.get("incidents", ())
            ),
            blacklisted=bool(data.get("blacklisted", False)),
            on_dishonest_list=bool(data.get("on_dishonest_list", False)),
            principal_bribery_conviction=bool(data.get("principal_bribery_conviction", False)),
            screening_listings=tuple(data.get("screening_listings") or ()),
            saq_theme_scores=dict(data.get("saq_theme_scores") or {}),
            required_licences=tuple(data.get("required_licences") or ()),
            deliveries=tuple(
                DeliveryFact(_date(d["received_on"]), d["lines"], d["on_time_lines"], d["quantity_received"],
                             d["quantity_accepted"])
                for d in data.get("deliveries", ())
            ),
            findings=tuple(
                FindingFact(f["severity"], f["dimension"], _date(f["found_on"]), _date(f.get("resolved_on")))
                for f in data.get("findings", ())
            ),
            audits=tuple(AuditFact(_date(a["held_on"]), a["score"]) for a in data.get("audits", ())),
        )


def _plain_number(value: Any) -> Any:
    """Decimal (from a Numeric column) -> int or float, so snapshots are JSON and compare equal."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)
