"""Checks a supplier must pass to be registered or imported, beyond its own values.

Each check takes (session, clean supplier) and returns {field: [messages]}. Later features
(the blacklist) add theirs to CHECKS, so the form and the importer refuse the same things.
A check may also offer `check.many(session, cleans)` for a whole import file.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from supplychain import clock
from supplychain.evidence_labels import BLACKLIST_REASON_LABELS
from supplychain.models import BlacklistEntry, Supplier

# The blacklist's part of registration lives here, below both the registry (suppliers) and the
# blacklist service, so neither has to import the other to refuse a blacklisted credit code.


def active_conditions(day: date):
    """The conditions of a blacklist entry in force on a day."""
    return (BlacklistEntry.lifted_at.is_(None), BlacklistEntry.since_on <= day,
            or_(BlacklistEntry.until_on.is_(None), BlacklistEntry.until_on >= day))


def active_entry(session: Session, today: date, credit_code_value: str | None = None,
                 supplier_id: int | None = None) -> BlacklistEntry | None:
    """The entry in force today for this credit code or supplier, if any."""
    conditions = []
    if credit_code_value:
        conditions.append(BlacklistEntry.credit_code == credit_code_value)
    if supplier_id:
        conditions.append(BlacklistEntry.supplier_id == supplier_id)
    if not conditions:
        return None
    stmt = select(BlacklistEntry).where(or_(*conditions), *active_conditions(today)).order_by(BlacklistEntry.id)
    return session.scalar(stmt.limit(1))


class BlacklistMessage:
    """A refusal that names the blacklist entry, so the page can link to it."""

    def __init__(self, entry: BlacklistEntry, message):
        self.entry_id = entry.id
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def entry_message(entry: BlacklistEntry):
    """"Blacklisted since … (entry #n: reason)"."""
    return BlacklistMessage(entry, _l(
        "This credit code is on the blacklist: entry #%(id)d since %(since)s (%(reason)s).",
        id=entry.id, since=entry.since_on.isoformat(),
        reason=BLACKLIST_REASON_LABELS.get(entry.reason, entry.reason)))


def registration_check(session: Session, clean, today: date | None = None) -> dict:
    """Refuse a blacklisted credit code at registration and import (in registration_checks.CHECKS).

    The supplier that already holds the code (being edited) is not refused again: a new registration of
    that code already fails as a duplicate.
    """
    code = getattr(clean, "credit_code", None)
    if not code:
        return {}
    entry = active_entry(session, today or clock.today(), credit_code_value=code)
    if entry is None:
        return {}
    holder = session.scalar(select(Supplier.id).where(Supplier.credit_code == code))
    if holder is not None:
        return {}
    return {"credit_code": [entry_message(entry)]}


def registration_check_many(session: Session, cleans: list, today: date | None = None) -> list[dict]:
    """registration_check for a whole import file in one query: {field: [messages]} per row.

    The entries in force are few (a blacklist, not a registry), so they are read at once and matched here.
    """
    codes = {c.credit_code for c in cleans if getattr(c, "credit_code", None)}
    entries: dict[str, BlacklistEntry] = {}
    if codes:
        in_force = active_conditions(today or clock.today())
        stmt = (select(BlacklistEntry).where(BlacklistEntry.credit_code.is_not(None), *in_force)
                .order_by(BlacklistEntry.id))
        for entry in session.scalars(stmt):
            if entry.credit_code in codes:
                entries.setdefault(entry.credit_code, entry)
    held: set[str] = set()
    if entries:
        stmt = select(Supplier.credit_code).where(Supplier.credit_code.in_(sorted(entries)))
        held.update(session.scalars(stmt))
    return [{"credit_code": [entry_message(entries[c.credit_code])]}
            if c.credit_code in entries and c.credit_code not in held else {} for c in cleans]


def blacklisted_credit_code(session, clean) -> dict:
    """A credit code on the blacklist cannot be registered or imported; the error names the entry."""
    return registration_check(session, clean)


def _blacklisted_credit_codes(session, cleans) -> list[dict]:
    return registration_check_many(session, cleans)


blacklisted_credit_code.many = _blacklisted_credit_codes  # a few queries per file for the importer

CHECKS: list = [blacklisted_credit_code]
