"""The blacklist: entries by credit code and/or supplier, the registration check, lifting, terminations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from supplychain import credit_code
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import BLACKLIST_REASONS, SOCIAL_REASONS, BlacklistEntry, Supplier, User
from supplychain.services.core import audit
from supplychain.services.registry import suppliers as supplier_service
from supplychain.services.registry.registration_checks import (  # noqa: F401 - part of this module's interface
    BlacklistMessage,
    active_entry,
    entry_message,
    registration_check,
    registration_check_many,
)

AUDITED_FIELDS = ("credit_code", "supplier_id", "company_name", "reason", "note", "decided_by", "since_on",
                  "until_on", "social_noncompliance", "terminated_on", "lifted_at", "lift_reason",
                  "lifted_by_id")
# English reason names for the status-change note stored with the supplier.
REASON_NAMES = {
    "bid_rigging": "bid rigging", "bribery": "bribery", "illegal_labour": "illegal labour practice",
    "environmental_incident": "environmental incident", "fraud": "fraud",
    "quality_failure": "serious quality failure", "other": "other",
}


@dataclass
class EntryData:
    """A blacklist decision as entered."""

    credit_code: str = ""
    supplier_id: int | None = None
    company_name: str = ""
    reason: str = ""
    note: str = ""
    decided_by: str = ""
    since_on: date | None = None
    until_on: date | None = None


def check_entry(session: Session, data: EntryData, today: date) -> tuple[dict, str | None, Supplier | None]:
    """Every problem with a new entry, with the normalised code and the supplier it concerns."""
    errors: dict[str, list] = {}
    code = credit_code.normalize(data.credit_code or "") or None
    if code:
        problems = credit_code.validate(code)
        if problems:
            add_error(errors, "credit_code", _l("Not a valid Unified Social Credit Code."))
            code = None
    supplier = session.get(Supplier, data.supplier_id) if data.supplier_id else None
    if data.supplier_id and supplier is None:
        add_error(errors, "supplier_id", _l("No such supplier."))
    if supplier is not None and supplier.credit_code and code and code != supplier.credit_code:
        add_error(errors, "credit_code", _l("The supplier's credit code is %(code)s.", code=supplier.credit_code))
    if supplier is None and code and "supplier_id" not in errors:
        supplier = session.scalar(select(Supplier).where(Supplier.credit_code == code))
    if supplier is not None and not code:
        code = supplier.credit_code
    if not code and supplier is None and not errors:
        add_error(errors, "credit_code", _l("Enter a credit code or choose a supplier."))
    if data.reason not in BLACKLIST_REASONS:
        add_error(errors, "reason", _l("Choose one of the reasons."))
    if not (data.decided_by or "").strip():
        add_error(errors, "decided_by", _l("Name who decided (person or committee)."))
    for key, limit in (("decided_by", 200), ("company_name", 200), ("note", 5000)):
        if len((getattr(data, key) or "").strip()) > limit:
            add_error(errors, key, _l("At most %(n)d characters.", n=limit))
    if data.since_on is None:
        add_error(errors, "since_on", _l("Enter the date the decision applies from."))
    elif data.since_on > today:
        add_error(errors, "since_on", _l("A decision cannot be dated in the future."))
    if data.until_on is not None and data.since_on is not None and data.until_on <= data.since_on:
        add_error(errors, "until_on", _l("The end date must be after the start date."))
    if code or supplier is not None:
        existing = active_entry(session, today, code, supplier.id if supplier else None)
        if existing is not None:
            add_error(errors, "credit_code", BlacklistMessage(existing, _l(
                "Already on the blacklist: entry #%(id)d since %(since)s.", id=existing.id,
                since=existing.since_on.isoformat())))
    return errors, code, supplier


def add_entry(session: Session, data: EntryData, actor: User | None, today: date) -> BlacklistEntry:
    """Blacklist a credit code and/or supplier; the supplier is set to "blacklisted" and, for a social,
    environmental or ethical reason, counted as terminated for social-responsibility non-compliance."""
    errors, code, supplier = check_entry(session, data, today)
    if errors:
        raise ValidationFailed(errors)
    social = data.reason in SOCIAL_REASONS
    entry = BlacklistEntry(
        credit_code=code, supplier_id=supplier.id if supplier else None,
        company_name=(data.company_name or "").strip() or (supplier.name_zh if supplier else None),
        reason=data.reason, note=(data.note or "").strip() or None, decided_by=data.decided_by.strip(),
        since_on=data.since_on, until_on=data.until_on, social_noncompliance=social,
        terminated_on=data.since_on if supplier is not None else None,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(entry)
    session.flush()
    audit.record(session, actor, "create", "blacklist_entry", entry.id,
                 audit.diff({}, audit.snapshot(entry, AUDITED_FIELDS)), supplier_id=entry.supplier_id)
    if supplier is not None and supplier.status != "blacklisted":
        # The blacklisting takes effect on its decision date (never before the supplier registered), so a
        # decision of last year entered today leaves the supply chain last year (issue 12, D1).
        effective = max(data.since_on, supplier.registered_on) if supplier.registered_on else data.since_on
        supplier_service.change_status(session, supplier, "blacklisted",
                                       f"Blacklist entry #{entry.id}: {REASON_NAMES[entry.reason]}", actor,
                                       effective_on=effective, today=max(today, effective))
    return entry


def check_lift(entry: BlacklistEntry, reason: str) -> dict:
    """Problems with lifting an entry: not lifted yet, and a reason."""
    errors: dict[str, list] = {}
    if entry.lifted_at is not None:
        add_error(errors, "reason", _l("This entry was already lifted."))
    if not (reason or "").strip():
        add_error(errors, "reason", _l("Give the reason for lifting the entry."))
    elif len(reason.strip()) > 5000:
        add_error(errors, "reason", _l("At most %(n)d characters.", n=5000))
    return errors


def lift_entry(session: Session, entry: BlacklistEntry, reason: str, actor: User | None,
               now: datetime) -> BlacklistEntry:
    """Lift an entry with a reason; its supplier moves from blacklisted to suspended (a new review is due)."""
    errors = check_lift(entry, reason)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(entry, AUDITED_FIELDS)
    entry.lifted_at, entry.lift_reason, entry.lifted_by_id = now, reason.strip(), getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor, "lift", "blacklist_entry", entry.id,
                 audit.diff(before, audit.snapshot(entry, AUDITED_FIELDS)), supplier_id=entry.supplier_id,
                 note=reason.strip())
    supplier = entry.supplier
    if supplier is not None and supplier.status == "blacklisted" and \
            active_entry(session, now.date(), supplier.credit_code, supplier.id) is None:
        supplier_service.change_status(session, supplier, "suspended",
                                       f"Blacklist entry #{entry.id} lifted: {reason.strip()}", actor)
    return entry


def list_entries(session: Session, today: date, state: str = "active") -> list[BlacklistEntry]:
    """Entries in force ("active"), lifted or expired ("ended"), or all; newest first."""
    stmt = select(BlacklistEntry).order_by(BlacklistEntry.since_on.desc(), BlacklistEntry.id.desc())
    entries = list(session.scalars(stmt))
    if state == "active":
        return [e for e in entries if e.active_on(today)]
    if state == "ended":
        return [e for e in entries if not e.active_on(today)]
    return entries


def for_supplier(session: Session, supplier: Supplier) -> list[BlacklistEntry]:
    """Entries about this supplier or its credit code, newest first."""
    condition = BlacklistEntry.supplier_id == supplier.id
    if supplier.credit_code:
        condition = or_(condition, BlacklistEntry.credit_code == supplier.credit_code)
    stmt = select(BlacklistEntry).where(condition)
    return list(session.scalars(stmt.order_by(BlacklistEntry.since_on.desc(), BlacklistEntry.id.desc())))


def terminations(session: Session, start_on: date, end_on: date) -> list[BlacklistEntry]:
    """Suppliers terminated for social-responsibility non-compliance in the period (KPI table)."""
    stmt = (select(BlacklistEntry).where(BlacklistEntry.social_noncompliance.is_(True),
                                         BlacklistEntry.terminated_on >= start_on,
                                         BlacklistEntry.terminated_on <= end_on)
            .order_by(BlacklistEntry.terminated_on, BlacklistEntry.id))
    return list(session.scalars(stmt))
