"""What admins set for inherent risk tiers (issue 11, part 1): weights and thresholds, region risk, tier settings.

Every save checks all fields at once (ValidationFailed, per field, in the reader's language) and writes
an audit entry. Recomputing after a change is the caller's choice (see views/risk_tiers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import regions
from supplychain.errors import ValidationFailed
from supplychain.models import RISK_FACTORS, RISK_LEVELS, RISK_TIERS, Questionnaire, RegionRisk, RiskTierSetting
from supplychain.models.risk_tiers import DEFAULT_HIGH_FROM, DEFAULT_MEDIUM_FROM, DEFAULT_WEIGHTS, RiskScoring
from supplychain.services.core import audit
from supplychain.services.risk.tiers import Scoring, check_scoring

SCORING_FIELDS = (*(f"weight_{factor}" for factor in RISK_FACTORS), "high_from", "medium_from")
REGION_FIELDS = ("area", "level")
TIER_FIELDS = ("questionnaire_id", "audit_interval_months", "rescreen_interval_months")
MAX_INTERVAL_MONTHS = 120
# The pure check names its problems; these word them (each takes the problem's arguments).
_MESSAGES = {
    "weight_range": lambda: _l("Enter a whole number of points from 0 to 100."),
    "weights_total": lambda total, expected: _l(
        "The weights add up to %(total)s points; they must add up to exactly %(expected)s, so that the risk "
        "score runs from 0 to 100.", total=total, expected=expected),
    "threshold_range": lambda: _l("Enter a whole number of points from 1 to 100."),
    "threshold_order": lambda high: _l("The medium tier must start below the high tier (%(high)s points).",
                                       high=high),
}
DEFAULT_SCORING = Scoring(DEFAULT_WEIGHTS, DEFAULT_HIGH_FROM, DEFAULT_MEDIUM_FROM)


# --- weights and thresholds ----------------------------------------------------------------------------------

def scoring_row(session: Session) -> RiskScoring:
    """The one row of weights and thresholds, created with the defaults when missing (not committed)."""
    row = session.get(RiskScoring, 1)
    if row is None:
        row = RiskScoring(id=1, high_from=DEFAULT_HIGH_FROM, medium_from=DEFAULT_MEDIUM_FROM,
                          **{f"weight_{factor}": points for factor, points in DEFAULT_WEIGHTS.items()})
        session.add(row)
        session.flush()
    return row


def current_scoring(session: Session) -> Scoring:
    """The weights and thresholds in force (the defaults until an admin saved others)."""
    row = session.get(RiskScoring, 1)
    if row is None:
        return DEFAULT_SCORING
    return Scoring(row.weights(), row.high_from, row.medium_from)


@dataclass
class ScoringData:
    """Weights (by factor) and thresholds as entered: text or numbers."""

    weights: dict
    high_from: object
    medium_from: object


def save_scoring(session: Session, data: ScoringData, actor) -> RiskScoring:
    """Save weights and thresholds; weights that do not add up to 100 are refused with what is expected."""
    problems, clean = check_scoring(data.weights, data.high_from, data.medium_from)
    if problems:
        raise ValidationFailed({name: [_MESSAGES[key](**args) for key, args in found]
                                for name, found in problems.items()})
    row = scoring_row(session)
    before = audit.snapshot(row, SCORING_FIELDS)
    for factor, points in clean.weights.items():
        setattr(row, f"weight_{factor}", points)
    row.high_from, row.medium_from = clean.high_from, clean.medium_from
    row.updated_by_id = getattr(actor, "id", None)
    session.flush()
    changes = audit.diff(before, audit.snapshot(row, SCORING_FIELDS))
    if changes:
        audit.record(session, actor, "update", "risk_scoring", row.id, changes)
    return row


# --- region and country risk ---------------------------------------------------------------------------------

def _keyed_row(session: Session, model: type, key_name: str, key: str, row, fields: tuple[str, ...]):
    """The settings row of a key (the given, the stored or a new one added to the session) and its values before."""
    if row is None:
        row = session.get(model, key)
    before = audit.snapshot(row, fields) if row is not None else {}
    if row is None:
        row = model(**{key_name: key})
        session.add(row)
    return row, before


def _audit_keyed_row(session: Session, actor, entity_type: str, key: str, row, before: dict,
                     fields: tuple[str, ...]) -> None:
    """Audit a saved settings row of a key: "create" when it was new, else "update"; nothing when unchanged."""
    session.flush()
    changes = audit.diff(before, audit.snapshot(row, fields))
    if changes:
        audit.record(session, actor, "update" if before else "create", entity_type, None, changes, note=key)


def normalise_area(area: str) -> str:
    """A region key in lower case, a country code in upper case ("" when it is neither)."""
    text = (area or "").strip()
    if text.lower() in regions.REGION_KEYS:
        return text.lower()
    code = text.upper()
    return code if len(code) == 2 and code.isalpha() and code != "CN" and regions.country_name(code) else ""


def region_risks(session: Session) -> list[tuple[str, RegionRisk | None]]:
    """Every reporting region (set or not), then the countries with a level of their own."""
    rows = {row.area: row for row in session.scalars(select(RegionRisk))}
    listed = [(key, rows.pop(key, None)) for key in regions.REGION_KEYS]
    return listed + sorted(rows.items())


def save_region_risk(session: Session, area: str, level: str, actor, row: RegionRisk | None = None) -> RegionRisk:
    """Set the risk level of a region or a country; audited."""
    errors: dict[str, list] = {}
    key = row.area if row is not None else normalise_area(area)
    if not key:
        errors["area"] = [_l("Choose a reporting region, or enter a two-letter country code other than CN.")]
    if level not in RISK_LEVELS:
        errors["level"] = [_l("Choose high, medium or low.")]
    if errors:
        raise ValidationFailed(errors)
    row, before = _keyed_row(session, RegionRisk, "area", key, row, REGION_FIELDS)
    row.level = level
    row.updated_by_id = getattr(actor, "id", None)
    _audit_keyed_row(session, actor, "region_risk", key, row, before, REGION_FIELDS)
    return row


# --- what each tier asks for ---------------------------------------------------------------------------------

def tier_settings(session: Session) -> list[tuple[str, RiskTierSetting | None]]:
    """Each tier with its settings row (None until an admin saved one)."""
    rows = {row.tier: row for row in session.scalars(select(RiskTierSetting))}
    return [(tier, rows.get(tier)) for tier in RISK_TIERS]


def questionnaires(session: Session) -> list[Questionnaire]:
    """The published questionnaire versions a tier can be sent."""
    return list(session.scalars(select(Questionnaire).where(Questionnaire.status == "published")
                                .order_by(Questionnaire.code, Questionnaire.version)))


@dataclass
class TierSettingData:
    """A tier's settings as entered; empty values mean "not set"."""

    questionnaire_id: int | None
    audit_interval_months: object
    rescreen_interval_months: object


def _months(value: object) -> tuple[int | None, bool]:
    text = str(value if value is not None else "").strip()
    if not text:
        return None, True
    if not text.isdigit() or len(text) > 4 or not 1 <= int(text) <= MAX_INTERVAL_MONTHS:
        return None, False
    return int(text), True


def save_tier_setting(session: Session, tier: str, data: TierSettingData, actor,
                      row: RiskTierSetting | None = None) -> RiskTierSetting:
    """Set a tier's questionnaire version, audit interval and re-screening interval; audited."""
    errors: dict[str, list] = {}
    if tier not in RISK_TIERS:
        errors["tier"] = [_l("Unknown risk tier.")]
    questionnaire_id = data.questionnaire_id or None
    if questionnaire_id is not None:
        questionnaire = session.get(Questionnaire, questionnaire_id)
        if questionnaire is None or questionnaire.status != "published":
            errors["questionnaire_id"] = [_l("Choose a published questionnaire version.")]
    months = {}
    for name in ("audit_interval_months", "rescreen_interval_months"):
        months[name], ok = _months(getattr(data, name))
        if not ok:
            errors[name] = [_l("Enter a whole number of months from 1 to %(n)s, or leave it empty.",
                               n=MAX_INTERVAL_MONTHS)]
    if errors:
        raise ValidationFailed(errors)
    row, before = _keyed_row(session, RiskTierSetting, "tier", tier, row, TIER_FIELDS)
    row.questionnaire_id = questionnaire_id
    row.audit_interval_months = months["audit_interval_months"]
    row.rescreen_interval_months = months["rescreen_interval_months"]
    row.updated_by_id = getattr(actor, "id", None)
    _audit_keyed_row(session, actor, "risk_tier_setting", tier, row, before, TIER_FIELDS)
    return row
