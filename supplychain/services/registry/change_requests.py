"""Registry changes a supplier asks for (legal names, credit code) and procurement approves or rejects.

A supplier cannot change its own identity: the request keeps the old and new values, the reason
and optionally the new business licence; approving applies the new values through the registry's
own rules (duplicates included), so an approval can still be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import credit_code
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import ChangeRequest, Supplier, User
from supplychain.services.core import attachments, audit
from supplychain.services.registry import suppliers
from supplychain.text_safety import starts_like_formula, strip_controls

FIELDS = ("new_name_zh", "new_name_en", "new_credit_code", "reason")
CODE_MESSAGES = {
    "length": _l("A Unified Social Credit Code has 18 characters."),
    "charset": _l("Only digits and the capital letters A–Y except I, O, S, V, Z are allowed."),
    "division": _l("Characters 3 to 8 must be the 6-digit administrative division code."),
    "check": _l("The check character (the 18th) is wrong: the code has a typo."),
}


@dataclass
class ChangeRequestData:
    """The registry values the supplier wants, and why."""

    name_zh: str = ""
    name_en: str = ""
    credit_code: str = ""
    reason: str = ""


def pending_for(session: Session, supplier_id: int) -> ChangeRequest | None:
    """The supplier's request waiting for procurement, if any."""
    stmt = select(ChangeRequest).where(ChangeRequest.supplier_id == supplier_id,
                                       ChangeRequest.status == "pending")
    return session.scalar(stmt.limit(1))


def check_request(session: Session, supplier: Supplier, data: ChangeRequestData,
                  upload: attachments.Upload | None,
                  max_bytes: int) -> tuple[dict, attachments.CleanUpload | None]:
    """Every problem with a request, per field (only the format: duplicates are procurement's to see)."""
    errors: dict[str, list] = {}
    if pending_for(session, supplier.id) is not None:
        add_error(errors, "name_zh", _l("A change request is already waiting for procurement."))
    name_zh, name_en = strip_controls(data.name_zh or "").strip(), strip_controls(data.name_en or "").strip()
    if not name_zh:
        add_error(errors, "name_zh", _l("The Chinese legal name is required."))
    for key, value in (("name_zh", name_zh), ("name_en", name_en)):
        if starts_like_formula(value):
            add_error(errors, key, suppliers.FORMULA_NAME_MESSAGE)
    for key, value in (("name_zh", name_zh), ("name_en", name_en)):
        if len(value) > 200:
            add_error(errors, key, _l("At most %(n)d characters.", n=200))
    code = credit_code.normalize(data.credit_code or "")
    if code:
        for problem in credit_code.validate(code):
            add_error(errors, "credit_code", CODE_MESSAGES.get(problem, problem))
    elif supplier.credit_code:
        add_error(errors, "credit_code", _l("The Unified Social Credit Code cannot be removed."))
    if (name_zh, name_en or None, code or None) == (supplier.name_zh, supplier.name_en or None,
                                                    supplier.credit_code or None):
        add_error(errors, "name_zh", _l("Nothing differs from the registry."))
    reason = (data.reason or "").strip()
    if not reason:
        add_error(errors, "reason", _l("Say why the registry must change (e.g. the new business licence)."))
    elif len(reason) > 2000:
        add_error(errors, "reason", _l("At most %(n)d characters.", n=2000))
    clean, problems = attachments.check_upload(upload, max_bytes)
    if problems:
        errors["licence"] = problems
    return errors, clean


def submit_request(session: Session, supplier: Supplier, data: ChangeRequestData,
                   upload: attachments.Upload | None, store: attachments.Store, actor: User | None,
                   now: datetime) -> ChangeRequest:
    """Record a change request for procurement; nothing in the registry changes yet."""
    errors, clean = check_request(session, supplier, data, upload, store.max_bytes)
    if errors:
        raise ValidationFailed(errors)
    licence = attachments.store(session, clean, store, supplier.id, actor) if clean else None
    request = ChangeRequest(
        supplier_id=supplier.id, old_name_zh=supplier.name_zh, new_name_zh=strip_controls(data.name_zh).strip(),
        old_name_en=supplier.name_en, new_name_en=strip_controls(data.name_en or "").strip() or None,
        old_credit_code=supplier.credit_code,
        new_credit_code=credit_code.normalize(data.credit_code or "") or None,
        reason=data.reason.strip(), attachment_id=licence.id if licence else None, status="pending",
        requested_by_id=getattr(actor, "id", None), requested_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(session, actor, "request", "change_request", request.id,
                 {name: [old, new] for name, old, new in request.changed_fields()}, supplier_id=supplier.id,
                 note=attachments.describe(licence))
    return request


def for_supplier(session: Session, supplier_id: int) -> list[ChangeRequest]:
    """A supplier's requests, newest first."""
    stmt = (select(ChangeRequest).where(ChangeRequest.supplier_id == supplier_id)
            .order_by(ChangeRequest.requested_at.desc(), ChangeRequest.id.desc()))
    return list(session.scalars(stmt))


def list_requests(session: Session, status: str = "pending", limit: int = 500) -> list[ChangeRequest]:
    """Requests with a status (all when empty), oldest pending first."""
    stmt = select(ChangeRequest).order_by(ChangeRequest.requested_at, ChangeRequest.id).limit(limit)
    if status:
        stmt = stmt.where(ChangeRequest.status == status)
    return list(session.scalars(stmt))


def _decidable(request: ChangeRequest) -> None:
    if request.status != "pending":
        raise ValidationFailed({"decision_note": [_l("This request was already decided.")]})


def approve(session: Session, request: ChangeRequest, note: str, actor: User | None, now: datetime,
            today: date) -> ChangeRequest:
    """Apply the requested values with the registry's checks (a duplicate refuses the approval)."""
    _decidable(request)
    supplier = request.supplier
    data = suppliers.SupplierData(
        name_zh=request.new_name_zh, name_en=request.new_name_en or "",
        credit_code=request.new_credit_code or "",
        country=supplier.country, province=supplier.province_code or "", city=supplier.city or "",
        address=supplier.address or "", categories=[c.code for c in supplier.categories],
        contacts=[suppliers.ContactData(c.name, c.phone or "", c.email or "") for c in supplier.contacts],
        registered_on=supplier.registered_on,
    )
    if len((note or "").strip()) > 2000:
        raise ValidationFailed({"decision_note": [_l("At most %(n)d characters.", n=2000)]})
    suppliers.update_supplier(session, supplier, data, actor, today)
    request.status, request.decided_at = "approved", now
    request.decided_by_id, request.decision_note = getattr(actor, "id", None), (note or "").strip() or None
    session.flush()
    audit.record(session, actor, "approve", "change_request", request.id, {"status": ["pending", "approved"]},
                 supplier_id=supplier.id, note=request.decision_note)
    return request


def reject(session: Session, request: ChangeRequest, note: str, actor: User | None,
           now: datetime) -> ChangeRequest:
    """Refuse a request; the supplier sees the reason."""
    _decidable(request)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"decision_note": [_l("Tell the supplier why the request is rejected.")]})
    if len(note) > 2000:
        raise ValidationFailed({"decision_note": [_l("At most %(n)d characters.", n=2000)]})
    request.status, request.decided_at = "rejected", now
    request.decided_by_id, request.decision_note = getattr(actor, "id", None), note
    session.flush()
    audit.record(session, actor, "reject", "change_request", request.id, {"status": ["pending", "rejected"]},
                 supplier_id=request.supplier_id, note=note)
    return request
