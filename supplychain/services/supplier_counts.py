"""The supplier list's counts per region, remembered for a few seconds per scope and filters (issues 9 and 14).

Counting a scope's suppliers per region (with the list's search and filters, and how many are local) is most
of a list request at 100,000 suppliers, and paging, sorting and clicking a region ask the same counts again.
They are kept in the process for `seconds` (the LIST_COUNTS_SECONDS setting; 0 counts on every request),
under the database, the scope and the filters that decide them, and forgotten at once when this process
changes a supplier, a relationship, a risk tier or an organisation (commit or rollback). A change made by
another worker process, or by SQL outside the ORM session, shows after at most `seconds`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import astuple, replace
from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from supplychain import bulk_insert, scope
from supplychain.models import Organisation, Supplier, SupplierRelationship, SupplierRisk
from supplychain.services import suppliers
from supplychain.services.suppliers import RegionCounts, SupplierFilters

MAX_ENTRIES = 1_000
_WATCHED_CLASSES = (Supplier, SupplierRelationship, SupplierRisk, Organisation)
_WATCHED_TABLES = frozenset({"suppliers", "supplier_relationships", "supplier_risks", "organisations",
                             "supplier_categories"})
_CHANGED = "supplier_counts_changed"

_lock = threading.Lock()
_remembered: dict[tuple, tuple[float, int, RegionCounts]] = {}
_generation = 0


def region_counts(session: Session, filters: SupplierFilters, seconds: float) -> RegionCounts:
    """`suppliers.region_counts`, answered from the last `seconds` when nothing it reads has changed since."""
    if seconds <= 0 or session.info.get(_CHANGED):
        # Off, or this transaction changed what the counts read: count what it sees, remember nothing.
        return suppliers.region_counts(session, filters)
    key = (str(session.get_bind().url), scope.current(session),
           astuple(replace(filters, region="", sort="")))  # the counts ignore the region and the order
    now = time.monotonic()
    with _lock:
        found, generation = _remembered.get(key), _generation
    if found is not None and found[0] > now and found[1] == generation:
        return found[2]
    counts = suppliers.region_counts(session, filters)
    with _lock:
        if generation == _generation:  # nothing changed while counting
            if len(_remembered) >= MAX_ENTRIES:
                _remembered.clear()
            _remembered[key] = (now + seconds, generation, counts)
    return counts


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
