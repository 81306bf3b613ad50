"""A supplier's status on a day, by the effective dates of its status changes (D1), and who is in the
supply chain then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import regions
from supplychain.models import (
    AuditEntry,
    Supplier,
)

# In the supply chain: approved to supply (trial supply included); suspended, exited, rejected,
# blacklisted and not-yet-admitted suppliers are not.
ENGAGED = ("trial", "qualified", "conditional")


def end_of_day(day: date) -> datetime:
    """The first moment after a day (UTC), to compare recorded timestamps with a day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


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
        *status_changes, AuditEntry.at >= end_of_day(day)))) for day in days}
    history: dict[int, list[tuple[date, datetime, int, str | None, str | None]]] = defaultdict(list)
    for sid, changes, at, entry_id in session.execute(
        select(AuditEntry.entity_id, AuditEntry.changes, AuditEntry.at, AuditEntry.id).where(
            *status_changes, AuditEntry.entity_id.in_(
                select(AuditEntry.entity_id).where(*status_changes, AuditEntry.at >= end_of_day(days[0]))))
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
