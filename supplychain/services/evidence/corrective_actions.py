"""Corrective actions (整改): deadline, submission with evidence, verification, the overdue list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import CorrectiveAction, Incident, Supplier, User
from supplychain.models.evaluation import Evaluation
from supplychain.services.core import attachments, audit
from supplychain.services.risk import audit_closing

AUDITED_FIELDS = ("organisation_id", "incident_id", "evaluation_id", "action", "owner", "due_on", "status",
                  "submitted_on",
                  "submission_note", "evidence_attachment_id", "verification_note", "verified_by_id",
                  "verified_on")


def display_status(action: CorrectiveAction, today: date) -> str:
    """open, submitted, verified, or overdue when the deadline passed before verification."""
    return action.status_on(today)


@dataclass
class ActionData:
    """A corrective action as entered."""

    action: str = ""
    owner: str = ""
    due_on: date | None = None
    incident_id: int | None = None
    evaluation_id: int | None = None


def check_action(session: Session, supplier: Supplier, data: ActionData, today: date,
                 existing: CorrectiveAction | None = None) -> dict:
    """Every problem with a corrective action, per field."""
    errors: dict[str, list] = {}
    text = (data.action or "").strip()
    if not text:
        add_error(errors, "action", _l("Describe the action required."))
    elif len(text) > 5000:
        add_error(errors, "action", _l("At most %(n)d characters.", n=5000))
    owner = (data.owner or "").strip()
    if not owner:
        add_error(errors, "owner", _l("Name who is responsible."))
    elif len(owner) > 100:
        add_error(errors, "owner", _l("At most %(n)d characters.", n=100))
    if data.due_on is None:
        add_error(errors, "due_on", _l("Enter the deadline."))
    elif data.due_on < today and (existing is None or data.due_on != existing.due_on):
        add_error(errors, "due_on", _l("The deadline cannot be in the past."))
    if data.incident_id is not None:
        incident = session.get(Incident, data.incident_id)
        if incident is None or incident.supplier_id != supplier.id:
            add_error(errors, "incident_id", _l("Choose one of this supplier's incidents."))
    if existing is not None and existing.status == "verified":
        add_error(errors, "action", _l("A verified action cannot change."))
    return errors


def save_action(session: Session, supplier: Supplier, data: ActionData, actor: User | None, today: date,
                existing: CorrectiveAction | None = None) -> CorrectiveAction:
    """Create a corrective action (open) or edit one not yet verified; audited."""
    errors = check_action(session, supplier, data, today, existing)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(existing, AUDITED_FIELDS) if existing else {}
    action = existing
    if action is None:
        action = CorrectiveAction(supplier_id=supplier.id, status="open",
                                  created_by_id=getattr(actor, "id", None))
        session.add(action)
    action.action, action.owner, action.due_on = data.action.strip(), data.owner.strip(), data.due_on
    action.incident_id, action.evaluation_id = data.incident_id, data.evaluation_id
    action.organisation_id = _organisation_of(session, action, actor)
    session.flush()
    changes = audit.diff(before, audit.snapshot(action, AUDITED_FIELDS))
    if changes:
        verb = "update" if before else "create"
        audit.record(session, actor, verb, "corrective_action", action.id, changes, supplier_id=supplier.id)
    return action


def _organisation_of(session: Session, action: CorrectiveAction, actor: User | None) -> int | None:
    """An action belongs to the organisation of its incident or evaluation, else to its author's."""
    for model, record_id in ((Incident, action.incident_id), (Evaluation, action.evaluation_id)):
        record = session.get(model, record_id) if record_id else None
        if record is not None and record.organisation_id:
            return record.organisation_id
    return action.organisation_id or scope.record_organisation(session, None, actor)[0]


def check_submission(action: CorrectiveAction, note: str, upload: attachments.Upload | None,
                     max_bytes: int) -> tuple[dict, attachments.CleanUpload | None]:
    """Problems with a submission: something to show (a note or evidence), a file the store accepts."""
    errors: dict[str, list] = {}
    if action.status == "verified":
        add_error(errors, "note", _l("This action is already verified."))
    clean, problems = attachments.check_upload(upload, max_bytes)
    if problems:
        errors["evidence"] = problems
    if not (note or "").strip() and upload is None:
        add_error(errors, "note", _l("Describe what was done or attach the evidence."))
    if len((note or "").strip()) > 5000:
        add_error(errors, "note", _l("At most %(n)d characters.", n=5000))
    return errors, clean


def submit(session: Session, action: CorrectiveAction, note: str, upload: attachments.Upload | None,
           store: attachments.Store, actor: User | None, today: date) -> CorrectiveAction:
    """Report the action done, with a note and/or evidence; it waits for verification; audited."""
    errors, clean = check_submission(action, note, upload, store.max_bytes)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(action, AUDITED_FIELDS)
    evidence = attachments.store(session, clean, store, action.supplier_id, actor) if clean else None
    if evidence is not None:
        action.evidence_attachment_id = evidence.id
    action.status, action.submitted_on = "submitted", today
    action.submitted_by_id = getattr(actor, "id", None)
    action.submission_note = (note or "").strip() or None
    session.flush()
    audit.record(session, actor, "submit", "corrective_action", action.id,
                 audit.diff(before, audit.snapshot(action, AUDITED_FIELDS)), supplier_id=action.supplier_id,
                 note=attachments.describe(evidence))
    return action


def check_verification(action: CorrectiveAction, accepted: bool, note: str, actor: User | None = None) -> dict:
    """Problems with a verification: only a submitted action, always with a note, and never by the
    person who created or answered it (separation of duties, issue 13 D15)."""
    errors: dict[str, list] = {}
    if action.status != "submitted":
        add_error(errors, "verification_note", _l("Only a submitted action can be verified or sent back."))
    actor_id = getattr(actor, "id", None)
    if actor_id is not None and actor_id in (action.created_by_id, action.submitted_by_id):
        add_error(errors, "verification_note",
                  _l("Someone who created or answered this corrective action cannot verify it: ask a colleague."))
    if not (note or "").strip():
        add_error(errors, "verification_note", _l("Write what was checked, or why the action goes back."))
    elif len(note.strip()) > 5000:
        add_error(errors, "verification_note", _l("At most %(n)d characters.", n=5000))
    return errors


def verify(session: Session, action: CorrectiveAction, accepted: bool, note: str, actor: User | None,
           today: date) -> CorrectiveAction:
    """Accept the submission (verified) or send it back (open again); the note says why; audited."""
    errors = check_verification(action, accepted, note, actor)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(action, AUDITED_FIELDS)
    action.verification_note = note.strip()
    if accepted:
        action.status, action.verified_on = "verified", today
        action.verified_by_id = getattr(actor, "id", None)
    else:
        action.status = "open"
    session.flush()
    audit.record(session, actor, "verify" if accepted else "reject", "corrective_action", action.id,
                 audit.diff(before, audit.snapshot(action, AUDITED_FIELDS)), supplier_id=action.supplier_id)
    if accepted and action.incident_id is not None:
        close_incident_when_done(session, action.incident_id, actor, today)
    if accepted:
        audit_closing.close_audits_when_done(session, action.id, actor, today)
    return action


def close_incident_when_done(session: Session, incident_id: int, actor: User | None, today: date) -> bool:
    """Close an open incident once every corrective action it required is verified; audited."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.status != "open":
        return False
    statuses = set(
        session.scalars(select(CorrectiveAction.status).where(CorrectiveAction.incident_id == incident_id))
    )
    if statuses != {"verified"}:
        return False
    incident.status, incident.closed_on = "closed", today
    session.flush()
    audit.record(session, actor, "close", "incident", incident.id,
                 {"status": ["open", "closed"], "closed_on": [None, today.isoformat()]},
                 supplier_id=incident.supplier_id)
    return True


def list_actions(session: Session, today: date, status: str = "", limit: int = 500) -> list[CorrectiveAction]:
    """Corrective actions by deadline; status may be open, submitted, verified or overdue."""
    stmt = select(CorrectiveAction).order_by(CorrectiveAction.due_on, CorrectiveAction.id)
    if status == "overdue":
        stmt = stmt.where(CorrectiveAction.status != "verified", CorrectiveAction.due_on < today)
    elif status in ("open", "submitted"):
        stmt = stmt.where(CorrectiveAction.status == status, CorrectiveAction.due_on >= today)
    elif status == "verified":
        stmt = stmt.where(CorrectiveAction.status == "verified")
    return list(session.scalars(stmt.limit(limit)))


def overdue(session: Session, today: date) -> list[CorrectiveAction]:
    """Actions past their deadline and not verified, the longest overdue first."""
    return list_actions(session, today, "overdue", limit=10000)


def for_supplier(session: Session, supplier_id: int) -> list[CorrectiveAction]:
    """A supplier's corrective actions by deadline."""
    stmt = (select(CorrectiveAction).where(CorrectiveAction.supplier_id == supplier_id)
            .order_by(CorrectiveAction.due_on, CorrectiveAction.id))
    return list(session.scalars(stmt))
