"""A second person's approval of high-impact actions (issue 13): blacklisting, suspension or exit by hand.

With SECOND_APPROVAL_FOR_HIGH_IMPACT on, the first person files a request (checked as the action
itself would be, so a bad one is refused at once); another buyer or an admin approves it, and the
action is then carried out with its usual checks and audit, or rejects it with a note.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import STATUSES, ActionRequest, Supplier, User
from supplychain.services.core import audit
from supplychain.services.registry import blacklist, suppliers

HIGH_IMPACT_STATUSES = ("suspended", "exited", "blacklisted")
DECIDER_ROLES = ("admin", "procurement")


def needs_second_person(enabled: bool, status: str) -> bool:
    """Whether a manual change to this status waits for a second person under the setting."""
    return bool(enabled) and status in HIGH_IMPACT_STATUSES


def status_change_errors(status: str, reason: str | None) -> dict[str, list]:
    """What is wrong with a requested status change by hand: an unknown status, a missing or too long reason."""
    errors: dict[str, list] = {}
    if status not in STATUSES:
        errors["status"] = [_l("Unknown status.")]
    if not (reason or "").strip():
        errors["reason"] = [_l("Give the reason for the status change.")]
    elif len(reason.strip()) > 2000:
        errors["reason"] = [_l("At most %(n)d characters.", n=2000)]
    return errors


def _pending_for(session: Session, supplier_id: int | None) -> ActionRequest | None:
    if supplier_id is None:
        return None
    return session.scalar(select(ActionRequest).where(ActionRequest.supplier_id == supplier_id,
                                                      ActionRequest.status == "pending").limit(1))


def _record(session: Session, request: ActionRequest, actor: User | None) -> ActionRequest:
    session.add(request)
    session.flush()
    audit.record(session, actor, "request", "action_request", request.id,
                 {"kind": [None, request.kind], **{k: [None, v] for k, v in request.payload.items()
                                                    if k in ("status", "reason")}},
                 supplier_id=request.supplier_id, note=request.reason)
    return request


def request_status_change(session: Session, supplier: Supplier, status: str, reason: str, actor: User | None,
                          now: datetime) -> ActionRequest:
    """Ask for a second person to approve a manual suspension, exit or blacklisting status."""
    errors = status_change_errors(status, reason)
    if status == supplier.status:
        errors.setdefault("status", []).append(_l("The supplier already has this status."))
    if _pending_for(session, supplier.id) is not None:
        errors.setdefault("status", []).append(_l("A request for this supplier already waits for approval."))
    if errors:
        raise ValidationFailed(errors)
    return _record(session, ActionRequest(kind="status", supplier_id=supplier.id, payload={"status": status},
                                          reason=reason.strip(), requested_by_id=getattr(actor, "id", None),
                                          requested_at=now), actor)


def request_blacklisting(session: Session, data: blacklist.EntryData, actor: User | None, now: datetime,
                         today: date) -> ActionRequest:
    """Ask for a second person to approve a blacklisting; checked now as the entry itself would be."""
    errors, _code, supplier = blacklist.check_entry(session, data, today)
    if supplier is not None and _pending_for(session, supplier.id) is not None:
        errors.setdefault("credit_code", []).append(_l("A request for this supplier already waits for approval."))
    if errors:
        raise ValidationFailed(errors)
    payload = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(data).items()}
    reason = (data.note or "").strip() or data.reason
    return _record(session, ActionRequest(kind="blacklist", supplier_id=supplier.id if supplier else None,
                                          payload=payload, reason=reason,
                                          requested_by_id=getattr(actor, "id", None), requested_at=now), actor)


def _decidable(request: ActionRequest, actor: User) -> None:
    errors = []
    if request.status != "pending":
        errors.append(_l("This request was already decided."))
    if actor.role not in DECIDER_ROLES:
        errors.append(_l("Only buyers and administrators decide these requests."))
    if request.requested_by_id == actor.id:
        errors.append(_l("You made this request: a second person must approve it."))
    if errors:
        raise ValidationFailed({"decision_note": errors})


def approve(session: Session, request: ActionRequest, actor: User, note: str, now: datetime,
            today: date) -> ActionRequest:
    """Carry out the requested action (with its usual checks and audit) in the second person's name."""
    _decidable(request, actor)
    requester = request.requested_by.email if request.requested_by else "?"
    if request.kind == "status":
        reason = f"{request.reason} ({requester} → {actor.email})"
        suppliers.change_status(session, request.supplier, request.payload["status"], reason, actor)
    else:
        values = dict(request.payload)
        for key in ("since_on", "until_on"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        blacklist.add_entry(session, blacklist.EntryData(**values), actor, today)
    request.status, request.decided_by_id, request.decided_at = "approved", actor.id, now
    request.decision_note = (note or "").strip() or None
    audit.record(session, actor, "approve", "action_request", request.id, {"status": ["pending", "approved"]},
                 supplier_id=request.supplier_id, note=request.decision_note)
    return request


def reject(session: Session, request: ActionRequest, actor: User, note: str, now: datetime) -> ActionRequest:
    """Refuse the request; the note says why."""
    _decidable(request, actor)
    if not (note or "").strip():
        raise ValidationFailed({"decision_note": [_l("Say why the request is rejected.")]})
    request.status, request.decided_by_id, request.decided_at = "rejected", actor.id, now
    request.decision_note = note.strip()
    audit.record(session, actor, "reject", "action_request", request.id, {"status": ["pending", "rejected"]},
                 supplier_id=request.supplier_id, note=request.decision_note)
    return request


def pending(session: Session, limit: int = 500) -> list[ActionRequest]:
    """Requests waiting for a second person, the oldest first."""
    stmt = (select(ActionRequest).where(ActionRequest.status == "pending")
            .order_by(ActionRequest.requested_at, ActionRequest.id))
    return list(session.scalars(stmt.limit(limit)))


def recent(session: Session, limit: int = 100) -> list[ActionRequest]:
    """Decided requests, the latest first."""
    stmt = (select(ActionRequest).where(ActionRequest.status != "pending")
            .order_by(ActionRequest.decided_at.desc(), ActionRequest.id.desc()))
    return list(session.scalars(stmt.limit(limit)))
