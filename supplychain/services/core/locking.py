"""Optimistic locking of the records people edit (issue 14): one mechanism for every form.

Each versioned model has ``version_id`` (SQLAlchemy's version_id_col, see models.base.VersionedMixin).
A form carries the version it was opened at in a hidden ``version`` field; saving checks it here
before writing, and SQLAlchemy's ``WHERE version_id = …`` catches a save that slips in between.
Either way the user gets :class:`~supplychain.errors.Conflict`, never a silent overwrite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from supplychain.errors import Conflict
from supplychain.models.base import utcnow


def parse_version(raw: Any) -> int | None:
    """The version a form was opened at (None when the field is missing or not a number)."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def check(record: Any, expected: Any) -> None:
    """Raise Conflict when the record was saved by someone else since the form showed `expected`.

    A request without any version (a script posting only the fields it changes) is not checked here;
    the UPDATE's ``WHERE version_id`` still refuses a save that races another one.
    """
    current = getattr(record, "version_id", None)
    if current is None or expected is None or str(expected).strip() == "":
        return
    if parse_version(expected) != current:
        raise Conflict(record)


def touch(record: Any) -> None:
    """Make the next flush UPDATE the row (and move its version) when only related rows changed."""
    if hasattr(record, "updated_at"):
        record.updated_at = utcnow()


def flush(session: Session, record: Any = None) -> None:
    """Flush; a row changed by another transaction in the meantime is a Conflict, not a crash."""
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(record) from exc
