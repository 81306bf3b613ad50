"""Recording changes in the audit log, in the caller's transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.bulk_insert import insert_rows
from supplychain.models import AuditEntry
from supplychain.services.integration import changes as _changes  # every change feeds the changes feed


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The current values of the fields, JSON-safe, for a later diff."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level changes as {field: [old, new]}, only for fields that changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record(
    session: Session, actor, action: str, entity_type: str, entity_id: int | None,
    changes: dict | None = None, supplier_id: int | None = None, note: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; it commits with the change it describes."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), actor_email=getattr(actor, "email", None), action=action,
        entity_type=entity_type, entity_id=entity_id, supplier_id=supplier_id, changes=changes or {}, note=note,
    )
    session.add(entry)
    return entry


def insert_entries(session: Session, entries: list[dict]) -> None:
    """Insert audit rows in bulk (dicts of AuditEntry's columns, as the importers build them), reported to the
    changes feed like any other change."""
    _changes.note_audit_rows(session, entries)
    insert_rows(session, AuditEntry.__table__, entries)


def for_supplier(session: Session, supplier_id: int, limit: int = 200) -> list[AuditEntry]:
    """The audit trail of one supplier, newest first."""
    stmt = (
        select(AuditEntry).where(AuditEntry.supplier_id == supplier_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    )
    return list(session.scalars(stmt))


def for_entity(session: Session, entity_type: str, entity_id: int, limit: int = 200) -> list[AuditEntry]:
    """The audit trail of one record, newest first."""
    stmt = (
        select(AuditEntry).where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    )
    return list(session.scalars(stmt))
