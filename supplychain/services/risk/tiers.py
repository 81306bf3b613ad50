"""Inherent risk tiers (issue 11, part 1): the pure scoring of one supplier's risk facts.

No session, no Flask: the facts are loaded in bulk by ``services/risk/facts.py``, the weights and
thresholds are plain values, and the result says how many points each factor gave and why.
Each factor has an intensity from 0 to 1; its points are intensity × its weight; the weights add
up to 100, so the score is out of 100 and the thresholds cut it into high, medium and low.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from supplychain.models.risk_tiers import RISK_FACTORS

# How much of its weight a high, medium or low risk category, region or country gives.
LEVEL_INTENSITY = {"high": 1.0, "medium": 0.5, "low": 0.0}
# A supplier paid this share of the group's spend (in one currency, over 12 months) or more gives the
# full weight: key-partner dependence (DOMAIN "Supply-chain risks"). Smaller shares give proportionally less.
FULL_SPEND_SHARE = 0.10
# Incidents of the last INCIDENT_YEARS years, each giving this part of the weight (capped at the whole).
INCIDENT_YEARS = 3
SEVERITY_INTENSITY = {"minor": 0.25, "major": 0.6, "critical": 1.0}
WEIGHT_TOTAL = 100


@dataclass(frozen=True)
class Scoring:
    """Points per factor (adding up to 100) and the scores from which the tier is high or medium."""

    weights: Mapping[str, int]
    high_from: int
    medium_from: int


@dataclass(frozen=True)
class RiskFacts:
    """What one supplier's inherent risk is computed from, loaded by set-based queries."""

    # The riskiest level among the supplier's categories, and the categories at that level (zh, en).
    category_level: str | None = None
    categories: tuple[tuple[str, str], ...] = ()
    # The admin-set level that applies: the supplier's country when set for it, else its region.
    area: str = ""
    area_level: str | None = None
    area_is_country: bool = False
    # The largest share (0..1) of the group's spend in one currency over the last 12 months, None without spend.
    spend_share: float | None = None
    spend_currency: str = ""
    # Categories in which the supplier is the only one on the qualified list (zh, en).
    sole_source: tuple[tuple[str, str], ...] = ()
    # Incidents of the last INCIDENT_YEARS years by severity.
    incidents: Mapping[str, int] = field(default_factory=dict)
    # Certificate types whose latest certificate has expired and was not renewed.
    expired_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorResult:
    """One factor's contribution: points, and the reason as a code with its arguments."""

    factor: str
    points: float
    code: str
    args: Mapping[str, Any]

    def as_json(self, reason: str) -> dict:
        """The stored form (SupplierRisk.factors): factor, points, reason, plus code and args to translate it."""
        return {"factor": self.factor, "points": self.points, "reason": reason, "code": self.code,
                "args": dict(self.args)}


@dataclass(frozen=True)
class Assessment:
    """A supplier's tier, score (0..100) and each factor's contribution, in RISK_FACTORS order."""

    tier: str
    score: float
    factors: tuple[FactorResult, ...]


def _names(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {"names_zh": "、".join(zh for zh, _ in pairs), "names_en": ", ".join(en or zh for zh, en in pairs)}


def _category(facts: RiskFacts) -> tuple[float, str, dict]:
    if not facts.categories or facts.category_level is None:
        return 0.0, "category_none", {}
    return LEVEL_INTENSITY.get(facts.category_level, 0.0), "category", {
        "level": facts.category_level, **_names(facts.categories)}


def _region(facts: RiskFacts) -> tuple[float, str, dict]:
    level = facts.area_level or "low"
    code = "country" if facts.area_is_country else "region"
    return LEVEL_INTENSITY.get(level, 0.0), code, {"area": facts.area, "level": level}


def _spend(facts: RiskFacts) -> tuple[float, str, dict]:
    if facts.spend_share is None:
        return 0.0, "spend_none", {}
    share = max(0.0, facts.spend_share)
    return min(1.0, share / FULL_SPEND_SHARE), "spend_share", {
        "percent": round(share * 100, 1), "currency": facts.spend_currency}


def _single_source(facts: RiskFacts) -> tuple[float, str, dict]:
    if not facts.sole_source:
        return 0.0, "single_source_none", {}
    return 1.0, "single_source", _names(facts.sole_source)


def _incidents(facts: RiskFacts) -> tuple[float, str, dict]:
    count = sum(facts.incidents.values())
    if not count:
        return 0.0, "incidents_none", {"years": INCIDENT_YEARS}
    intensity = sum(SEVERITY_INTENSITY.get(severity, 0.0) * n for severity, n in facts.incidents.items())
    serious = facts.incidents.get("major", 0) + facts.incidents.get("critical", 0)
    return min(1.0, intensity), "incidents", {"count": count, "serious": serious, "years": INCIDENT_YEARS}


def _licences(facts: RiskFacts) -> tuple[float, str, dict]:
    if not facts.expired_types:
        return 0.0, "licences_none", {}
    return 1.0, "licences_expired", {"types": list(facts.expired_types)}


FACTOR_RULES = {
    "category": _category,
    "region": _region,
    "spend_share": _spend,
    "single_source": _single_source,
    "incidents": _incidents,
    "expired_licences": _licences,
}


def tier_for(score: float, scoring: Scoring) -> str:
    """High from ``high_from`` points, medium from ``medium_from``, low below."""
    if score >= scoring.high_from:
        return "high"
    if score >= scoring.medium_from:
        return "medium"
    return "low"


def assess(facts: RiskFacts, scoring: Scoring) -> Assessment:
    """The supplier's tier, score and the contribution of each factor (weights × intensities)."""
    results = []
    for factor in RISK_FACTORS:
        intensity, code, args = FACTOR_RULES[factor](facts)
        points = round(intensity * float(scoring.weights.get(factor, 0)), 1)
        results.append(FactorResult(factor, points, code, args))
    score = round(sum(result.points for result in results), 1)
    return Assessment(tier_for(score, scoring), score, tuple(results))


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 5 else None


def check_scoring(weights: Mapping[str, Any], high_from: Any,
                  medium_from: Any) -> tuple[dict[str, list], Scoring | None]:
    """Problems with weights and thresholds as entered (message keys, not yet translated), or the clean Scoring.

    Returns ``({field: [(message_key, args)]}, None)`` or ``({}, Scoring)``; the settings service words them.
    """
    problems: dict[str, list] = {}
    clean: dict[str, int] = {}
    for factor in RISK_FACTORS:
        number = _whole_number(weights.get(factor))
        if number is None or number > WEIGHT_TOTAL:
            problems[f"weight_{factor}"] = [("weight_range", {})]
        else:
            clean[factor] = number
    if len(clean) == len(RISK_FACTORS) and sum(clean.values()) != WEIGHT_TOTAL:
        problems["weights"] = [("weights_total", {"total": sum(clean.values()), "expected": WEIGHT_TOTAL})]
    high, medium = _whole_number(high_from), _whole_number(medium_from)
    if high is None or not 0 < high <= WEIGHT_TOTAL:
        problems["high_from"] = [("threshold_range", {})]
    if medium is None or not 0 < medium <= WEIGHT_TOTAL:
        problems["medium_from"] = [("threshold_range", {})]
    elif high is not None and 0 < high <= WEIGHT_TOTAL and medium >= high:
        problems["medium_from"] = [("threshold_order", {"high": high})]
    if problems:
        return problems, None
    return {}, Scoring(clean, high, medium)
