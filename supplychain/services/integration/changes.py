"""The supplier changes feed: what changed, in commit order, so a platform syncs without downloading everything.

Every transaction that changes a supplier, its qualification, a relationship, a blacklist entry or a
certificate writes one ``SupplierChange`` row per changed record, in the same transaction. The rows
are collected after each flush (ORM changes, and audit rows inserted in bulk by the importer) and
written just before the commit.

Cursor = the row id. Ids from a sequence are handed out in *allocation* order, but transactions
commit in any order: a reader could see id 11 committed while id 10 is still in flight, move its
cursor to 11 and never see 10. We close that gap with a short lock: on PostgreSQL the change rows
are inserted only after taking a transaction-level advisory lock (held until the commit, i.e. for the
insert and the commit itself), so ids are allocated and committed one transaction at a time and a
committed id is never followed by a smaller one. SQLite has a single writer per database, which gives
the same order without a lock. A reader therefore never skips a row: everything it has not seen yet
has an id greater than its cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from supplychain.bulk_insert import insert_rows
from supplychain.models import (
    AuditEntry,
    BlacklistEntry,
    Certification,
    Supplier,
    SupplierChange,
    SupplierQualification,
    SupplierRelationship,
)
from supplychain.models.base import utcnow

WATCHED = {
    Supplier: "supplier",
    SupplierQualification: "qualification",
    SupplierRelationship: "relationship",
    BlacklistEntry: "blacklist_entry",
    Certification: "certificate",
}
# Audit entity types written by bulk inserts that the feed reports (the importer creates suppliers so).
BULK_AUDITED = {"supplier": "supplier", "supplier_relationship": "relationship", "qualification": "qualification"}
_PENDING = "supplier_changes_pending"
# Any constant will do, as long as every writer of the feed takes the same one.
LOCK_KEY = 7_310_010
MAX_PAGE = 1000


def _pending(session: Session) -> dict:
    return session.info.setdefault(_PENDING, {})


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    """Remember which watched records this flush created, changed or deleted."""
    pending = None
    for action, objects in (("created", session.new), ("updated", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            entity = WATCHED.get(type(obj))
            if entity is None:
                continue
            if action == "updated" and not session.is_modified(obj):
                continue
            supplier_id = obj.id if entity == "supplier" else obj.supplier_id
            if supplier_id is None:
                continue
            pending = _pending(session) if pending is None else pending
            pending.setdefault((supplier_id, entity, obj.id), action)


@event.listens_for(Session, "do_orm_execute")
def _collect_bulk(state) -> None:
    """Bulk inserts of audit rows through Core report their suppliers too."""
    if not state.is_insert or getattr(state.statement, "table", None) is not AuditEntry.__table__:
        return
    params = state.parameters
    note_audit_rows(state.session, params if isinstance(params, list) else [params or {}])


def note_audit_rows(session: Session, rows: list[dict]) -> None:
    """Report the suppliers of audit rows inserted in bulk (the importers'), as their records' changes."""
    pending = _pending(session)
    for row in rows:
        entity = BULK_AUDITED.get(row.get("entity_type"))
        if entity and row.get("supplier_id"):
            entity_id = row.get("entity_id") if entity != "supplier" else row["supplier_id"]
            pending.setdefault((row["supplier_id"], entity, entity_id),
                               "created" if row.get("action") == "create" else "updated")


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    """Write the collected changes under the feed lock, just before the commit."""
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    at = utcnow()
    rows = [{"supplier_id": supplier_id, "entity": entity, "entity_id": entity_id, "action": action, "at": at}
            for (supplier_id, entity, entity_id), action in sorted(pending.items(), key=lambda item: item[0][:2])]
    insert_rows(session, SupplierChange.__table__, rows)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A rolled-back transaction changed nothing."""
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Change:
    """One entry of the feed."""

    cursor: int
    supplier_id: int
    credit_code: str | None
    entity: str
    entity_id: int | None
    action: str
    at: datetime


@dataclass(frozen=True)
class FeedPage:
    """Changes after a cursor, and the cursor to ask with next."""

    changes: list[Change]
    next_cursor: int
    has_more: bool


def feed(session: Session, after: int, limit: int = MAX_PAGE) -> FeedPage:
    """Changes with an id above ``after``, oldest first, within the session's organisation scope."""
    limit = max(1, min(limit, MAX_PAGE))
    # The credit code as a correlated look-up, not a join: the page is then always a range scan of the
    # primary key that stops after limit + 1 rows, each row finding its supplier by primary key. With a
    # join PostgreSQL may hash the whole supplier table for every page (it did at 100,000 suppliers
    # before its statistics were current).
    credit_code = (select(Supplier.credit_code).where(Supplier.id == SupplierChange.supplier_id)
                   .correlate(SupplierChange).scalar_subquery())
    stmt = (select(SupplierChange.id, SupplierChange.supplier_id, credit_code, SupplierChange.entity,
                   SupplierChange.entity_id, SupplierChange.action, SupplierChange.at)
            .where(SupplierChange.id > after).order_by(SupplierChange.id).limit(limit + 1))
    rows = [Change(*row) for row in session.execute(stmt)]
    has_more = len(rows) > limit
    rows = rows[:limit]
    return FeedPage(rows, rows[-1].cursor if rows else after, has_more)


def latest_cursor(session: Session) -> int:
    """The id of the newest change (a platform's starting point after a full download)."""
    return session.scalar(select(SupplierChange.id).order_by(SupplierChange.id.desc()).limit(1)) or 0
