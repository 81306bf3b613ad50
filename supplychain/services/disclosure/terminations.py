"""The one definition of "terminated for social-responsibility non-compliance" (D2), used by the KPI
table and GRI 308-2/414-2 (e).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import BlacklistEntry
from supplychain.models.evaluation import Evaluation
from supplychain.services.disclosure.definitions import DEFAULT_SOCIAL_TERMINATION_REASONS
from supplychain.services.disclosure.statuses import end_of_day

# The GRI topic of a termination's reason: environmental (308-2) or social (414-2).
ENVIRONMENTAL_REASONS = ("environmental_incident",)


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
               Evaluation.finalised_at >= end_of_day(first - timedelta(days=1)),
               Evaluation.finalised_at < end_of_day(last))
        .order_by(Evaluation.finalised_at, Evaluation.id)
    ):
        topic = "environmental" if failed_environmental(result) else "social"
        on = finalised_at.date()
        if sid not in found or found[sid].on > on:
            found[sid] = Termination(sid, on, "exit_evaluation", topic)
    return found


def failed_environmental(result: Mapping[str, Any] | None) -> bool:
    """Whether an evaluation failed a red line about the environment (its key or English text says so)."""
    for line in (result or {}).get("red_lines", []):
        words = f"{line.get('key', '')} {line.get('text_en', '')}".lower()
        if line.get("failed") and "environment" in words:
            return True
    return False


def failed_social(result: Mapping[str, Any] | None) -> bool:
    """Whether an evaluation failed a social red line that is not about the environment."""
    for line in (result or {}).get("red_lines", []):
        words = f"{line.get('key', '')} {line.get('text_en', '')}".lower()
        if line.get("failed") and line.get("social", True) and "environment" not in words:
            return True
    return False
