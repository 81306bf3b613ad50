"""Recomputing every tier in the background (issue 11, part 1), after admins change weights or levels.

One part: the recompute is set-based, so splitting it would only repeat the grouped queries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import clock, scope
from supplychain.models import BackgroundJob, Supplier, User
from supplychain.services.risk import recompute

KIND = "risk_recompute"
# Up to this many suppliers a changed setting recomputes at once (a second or two); above, in a job.
SYNC_LIMIT = 5000


def supplier_count(session: Session) -> int:
    """How many suppliers the group has (all of them get a tier)."""
    return session.scalar(scope.unscoped(select(func.count(Supplier.id)))) or 0


def settings_for_job(app, job: BackgroundJob) -> date:
    """The day the tiers are computed for: the day the admin asked."""
    return date.fromisoformat((job.params or {}).get("today") or clock.today().isoformat())


def plan(session: Session, job: BackgroundJob, today: date) -> list[None]:
    """A single part covering every supplier."""
    job.progress_total = supplier_count(session)
    job.result = {"computed": 0}
    return [None]


def run_part(session: Session, job: BackgroundJob, index: int, payload: Any, today: date,
             progress: Callable[[int], None]) -> None:
    """Recompute every tier and commit."""
    actor = session.get(User, job.created_by_id) if job.created_by_id else None
    computed = recompute.recompute_all(session, today, actor)
    session.commit()
    job.result = {"computed": computed}
    session.commit()
    progress(computed)


def finish(session: Session, job: BackgroundJob, today: date) -> None:
    """Nothing to assemble."""
    job.result = dict(job.result or {"computed": 0})
