"""Closing an audit once every corrective action of its findings is verified.

Shared by the audit service (the "Close the audit" button) and the corrective-action service, which closes
a held audit by itself when the last action of its findings is verified, as it does for incidents.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import Audit, AuditFinding, CorrectiveAction, User
from supplychain.services.core import audit

AUDITED_FIELDS = ("organisation_id", "kind", "planned_on", "actual_on", "auditors", "template_id", "summary",
                  "status", "closed_on")


def pending_actions(record: Audit) -> list[CorrectiveAction]:
    """Corrective actions of the audit's findings that are not verified yet."""
    return [f.corrective_action for f in record.findings
            if f.corrective_action is not None and f.corrective_action.status != "verified"]


def check_close(record: Audit) -> dict:
    """Whether the audit may close: held, not closed, every corrective action of its findings verified."""
    errors: dict[str, list] = {}
    if record.status == "closed":
        errors.setdefault("audit", []).append(_l("The audit is closed already."))
    elif record.actual_on is None:
        errors.setdefault("audit", []).append(_l("The audit has not been held yet."))
    pending = pending_actions(record)
    if pending:
        errors.setdefault("audit", []).append(
            _l("%(n)d corrective actions of its findings are not verified yet.", n=len(pending)))
    return errors


def close_audit(session: Session, record: Audit, actor: User | None, today: date) -> Audit:
    """Close a held audit once every corrective action of its findings is verified; audited."""
    errors = check_close(record)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(record, AUDITED_FIELDS)
    record.status, record.closed_on = "closed", today
    session.flush()
    changes = audit.diff(before, audit.snapshot(record, AUDITED_FIELDS))
    audit.record(session, actor, "close", "audit", record.id, changes, supplier_id=record.supplier_id)
    return record


def close_audits_when_done(session: Session, action_id: int, actor: User | None, today: date) -> list[Audit]:
    """After a corrective action is verified: close the held audits whose findings' actions are all verified."""
    findings = session.scalars(select(AuditFinding).where(AuditFinding.corrective_action_id == action_id))
    closed = []
    for record in {finding.audit for finding in findings}:
        if not check_close(record):
            closed.append(close_audit(session, record, actor, today))
    return closed
