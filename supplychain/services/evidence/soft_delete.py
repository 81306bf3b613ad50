"""Soft deletion of evidence records (certificates, pledges, trainings, incidents, corrective actions).

A deleted record keeps its row with who deleted it, when and why; every ORM query leaves it out
(supplychain.db), so lists, the supplier page, scores and disclosure figures no longer count it.
Auditors and admins see deleted records, with the reason, on the "deleted evidence" page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import Certification, CorrectiveAction, Incident, IntegrityPledge, TrainingSession, User
from supplychain.models.base import utcnow
from supplychain.services.core import audit
from supplychain.services.evidence import corrective_actions, incidents, training
from supplychain.services.risk import recompute as risk_recompute

# entity type in the audit log → model, in the order the deleted-evidence page lists them.
MODELS = {
    "certification": Certification,
    "pledge": IntegrityPledge,
    "training_session": TrainingSession,
    "incident": Incident,
    "corrective_action": CorrectiveAction,
}


def mark(session: Session, record, reason: str, actor: User | None) -> None:
    """Hide a record from lists and figures, keeping it with who, when and why (the caller audits)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_l("Give the reason for removing this record.")]})
    record.deleted_at = utcnow()
    record.deleted_by_id = getattr(actor, "id", None)
    record.deletion_reason = reason[:1000]
    session.flush()


@dataclass(frozen=True)
class DeletedRecord:
    """One softly deleted record for the auditors' page."""

    entity_type: str
    record: object
    deleted_by: User | None


def deleted_records(session: Session, limit: int = 500) -> list[DeletedRecord]:
    """Every softly deleted evidence record, newest deletion first."""
    found: list[DeletedRecord] = []
    for entity_type, model in MODELS.items():
        stmt = (select(model).where(model.deleted_at.is_not(None)).order_by(model.deleted_at.desc())
                .limit(limit).execution_options(include_deleted=True))
        for record in session.scalars(stmt):
            user = session.get(User, record.deleted_by_id) if record.deleted_by_id else None
            found.append(DeletedRecord(entity_type, record, user))
    found.sort(key=lambda row: (row.record.deleted_at, row.record.id), reverse=True)
    return found[:limit]


def _audited_fields(entity_type: str) -> tuple[str, ...]:
    return {"training_session": training.SESSION_FIELDS, "incident": incidents.AUDITED_FIELDS,
            "corrective_action": corrective_actions.AUDITED_FIELDS}.get(entity_type, ())


def delete_record(session: Session, entity_type: str, record, reason: str, actor: User | None) -> None:
    """Softly delete a training, incident or corrective action, audited with what it said and the reason."""
    fields = _audited_fields(entity_type)
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason for removing this record.")]})
    removed = {k: [v, None] for k, v in audit.snapshot(record, fields).items()}
    audit.record(session, actor, "delete", entity_type, record.id, removed,
                 supplier_id=getattr(record, "supplier_id", None), note=reason.strip())
    mark(session, record, reason, actor)
    if entity_type == "incident":
        risk_recompute.refresh(session, [record.supplier_id], actor=actor)
