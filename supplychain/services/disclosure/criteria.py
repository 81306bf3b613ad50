"""Whether a scheme assesses suppliers on environmental or social criteria, and the final evaluations of
a period with those flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models.evaluation import Evaluation
from supplychain.models.scheme import SchemeVersion
from supplychain.services.disclosure.definitions import ENVIRONMENTAL_INCIDENTS, SOCIAL_INCIDENTS

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
class FinalEvaluations:
    """Final evaluations as rows, with their scheme's criteria flags."""

    rows: list = field(default_factory=list)
    flags: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    def env(self, row) -> bool:
        return self.flags.get(row.scheme_version_id, (False, False))[0]

    def soc(self, row) -> bool:
        return self.flags.get(row.scheme_version_id, (False, False))[1]


def final_evaluations(session: Session, first: date, last: date, kind: str | None = None) -> FinalEvaluations:
    """The final evaluations dated in [first, last] (of one kind), with their schemes' criteria flags."""
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
    found = FinalEvaluations(list(session.execute(stmt.order_by(Evaluation.id))))
    version_ids = sorted({row.scheme_version_id for row in found.rows})
    if version_ids:
        for vid, definition in session.execute(
            select(SchemeVersion.id, SchemeVersion.definition).where(SchemeVersion.id.in_(version_ids))
        ):
            found.flags[vid] = scheme_criteria(definition or {})
    return found
