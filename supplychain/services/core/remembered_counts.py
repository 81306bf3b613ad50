"""Counts remembered for a few seconds per database and scope, forgotten on this process's writes (issues 9 and 14).

The supplier list's counts per region (services/registry/supplier_counts.py, LIST_COUNTS_SECONDS) and the home page's
figures (services/daily_work/dashboard.py, DASHBOARD_SECONDS) count tens of thousands of rows at 100,000 suppliers, and
the same page asks the same counts again a moment later. A count is kept in the process for `seconds`
(0 counts on every request), under the database, the active scope and the caller's key, and forgotten at once
when this process changes a record that any of these counts read (ORM objects, bulk statements and
`bulk_insert` on the watched tables; again at commit or rollback). A change made by another worker process,
or by SQL outside the ORM session, shows after at most `seconds`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from itertools import chain
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from supplychain import bulk_insert, scope
from supplychain.models import (
    Certification,
    CorrectiveAction,
    Evaluation,
    IntegrityPledge,
    Organisation,
    Supplier,
    SupplierRelationship,
    SupplierRisk,
    SupplyCategory,
    supplier_categories,
)
from supplychain.models.requirements import CategoryRequirement
from supplychain.models.scheme import SchemeVersion

T = TypeVar("T")
MAX_ENTRIES = 1_000
# What the remembered counts read: the suppliers and who buys from them (the scope), their risk tiers and
# categories, and for the home page the evaluations, certificates, pledges, corrective actions, the categories'
# requirements and the schemes' grade bands.
_WATCHED_CLASSES = (Supplier, SupplierRelationship, SupplierRisk, Organisation, Evaluation, Certification,
                    IntegrityPledge, CorrectiveAction, CategoryRequirement, SupplyCategory, SchemeVersion)
_WATCHED_TABLES = frozenset({*(model.__table__.name for model in _WATCHED_CLASSES), supplier_categories.name})
_CHANGED = "remembered_counts_changed"

_lock = threading.Lock()
_remembered: dict[tuple, tuple[float, int, object]] = {}
_generation = 0


def remembered(session: Session, key: tuple[Hashable, ...], seconds: float, count: Callable[[], T]) -> T:
    """`count()`, answered from the last `seconds` for this database, scope and key when nothing it reads changed."""
    if seconds <= 0 or session.info.get(_CHANGED):
        # Off, or this transaction changed what the counts read: count what it sees, remember nothing.
        return count()
    full_key = (str(session.get_bind().url), scope.current(session), *key)
    now = time.monotonic()
    with _lock:
        found, generation = _remembered.get(full_key), _generation
    if found is not None and found[0] > now and found[1] == generation:
        return found[2]
    value = count()
    with _lock:
        if generation == _generation:  # nothing changed while counting
            if len(_remembered) >= MAX_ENTRIES:
                _remembered.clear()
            _remembered[full_key] = (now + seconds, generation, value)
    return value


def forget() -> None:
    """Forget every remembered count (a change in this process, or a test)."""
    global _generation
    with _lock:
        _generation += 1
        _remembered.clear()


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if any(isinstance(item, _WATCHED_CLASSES) for item in chain(session.new, session.dirty, session.deleted)):
        session.info[_CHANGED] = True
        forget()


@event.listens_for(Session, "do_orm_execute")
def _after_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) in _WATCHED_TABLES:
        state.session.info[_CHANGED] = True
        forget()


@bulk_insert.on_insert
def _after_bulk_insert(session: Session, table) -> None:
    if table.name in _WATCHED_TABLES:
        session.info[_CHANGED] = True
        forget()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    # Counts another request remembered between this flush and its commit read the data before the change.
    if session.info.pop(_CHANGED, False):
        forget()
