"""The supplier portal's own reads and writes, every one scoped to the supplier of the logged-in user.

Functions take the supplier (never an id from the request alone) and look objects up with the
supplier in the query, so another supplier's id finds nothing. Writes go through the evidence
services (attachment checks, pledge signing, corrective-action submission) so the portal keeps
the same rules as procurement's pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import (
    PLEDGE_KINDS,
    Certification,
    CorrectiveAction,
    Evaluation,
    IntegrityPledge,
    PledgeTemplate,
    Supplier,
    SupplierContact,
    User,
)
from supplychain.services.core import attachments, audit, locking
from supplychain.services.evidence import certifications, corrective_actions, pledges, requirements
from supplychain.services.registry import suppliers

PROFILE_KEYS = ("city", "address", "contact_name", "contact_phone", "contact_email")


# --- profile -----------------------------------------------------------------------------------------------

@dataclass
class ProfileData:
    """What a supplier edits itself: city, street address and contacts."""

    city: str = ""
    address: str = ""
    contacts: list[suppliers.ContactData] = field(default_factory=list)


def update_profile(session: Session, supplier: Supplier, data: ProfileData, actor: User | None,
                   today: date) -> Supplier:
    """Change city, address and contacts with the registry's rules; legal names and code stay as they are."""
    raw = suppliers.SupplierData(
        name_zh=supplier.name_zh, name_en=supplier.name_en or "", credit_code=supplier.credit_code or "",
        country=supplier.country, province=supplier.province_code or "", city=data.city, address=data.address,
        categories=[c.code for c in supplier.categories], contacts=data.contacts,
        registered_on=supplier.registered_on,
    )
    clean, errors = suppliers.clean_supplier(raw, suppliers.category_index(session), today)
    if errors:
        mine = {key: messages for key, messages in errors.items() if key in PROFILE_KEYS}
        raise ValidationFailed(mine or {
            "city": [_l("The registry record needs procurement's attention first.")]})
    if not clean.contacts:
        raise ValidationFailed({"contact_name": [_l("Keep at least one contact.")]})
    before = suppliers.audit_snapshot(supplier)
    supplier.city, supplier.address = clean.city, clean.address
    existing = list(supplier.contacts)
    for position, contact in enumerate(clean.contacts):
        row = existing[position] if position < len(existing) else None
        if row is None:
            row = SupplierContact(position=position)
            supplier.contacts.append(row)
        row.position, row.name = position, contact.name
        row.phone, row.email = contact.phone or None, contact.email or None
    for row in existing[len(clean.contacts):]:
        supplier.contacts.remove(row)
    locking.touch(supplier)  # contacts live in their own table: the supplier's lock moves all the same
    session.flush()
    changes = audit.diff(before, suppliers.audit_snapshot(supplier))
    if changes:
        audit.record(session, actor, "update", "supplier", supplier.id, changes, supplier_id=supplier.id,
                     note="portal")
    return supplier


# --- certificates ------------------------------------------------------------------------------------------

def upload_certificate(session: Session, supplier: Supplier, data: certifications.CertificateData,
                       upload: attachments.Upload | None, store: attachments.Store, actor: User,
                       today: date) -> Certification:
    """A new or renewed certificate with its scan; it waits, unverified, for procurement's check."""
    if upload is None:
        errors, _clean = certifications.check_certificate(session, supplier, data, None, store.max_bytes,
                                                          today)
        errors.setdefault("scan", []).append(_l("Upload a scan of the certificate."))
        raise ValidationFailed(errors)
    return certifications.save_certificate(session, supplier, data, upload, store, actor, today)


def certificates(session: Session, supplier: Supplier, today: date, warning_days: int) -> list[tuple]:
    """The supplier's certificates with their status ("unverified" until procurement checks them)."""
    return [(cert, certifications.certificate_status(cert, today, warning_days))
            for cert in certifications.for_supplier(session, supplier.id)]


# --- pledges -----------------------------------------------------------------------------------------------

@dataclass
class PledgeRow:
    """A pledge kind on the portal: the text in force, whether it is required, the pledge signed for it."""

    kind: str
    template: PledgeTemplate | None
    required: bool
    signed: IntegrityPledge | None
    signed_current: bool


def pledge_rows(session: Session, supplier: Supplier, today: date) -> list[PledgeRow]:
    """Every pledge kind with a text in force or required of the supplier, required kinds first."""
    required = set(requirements.required_for(session, supplier).pledges)
    mine = pledges.for_supplier(session, supplier.id)
    rows = []
    for kind in PLEDGE_KINDS:
        template = pledges.current_template(session, kind, today)
        if template is None and kind not in required:
            continue
        in_force = [p for p in mine if p.kind == kind and p.valid_on(today)]
        signed = in_force[0] if in_force else None
        current = template is not None and any(p.template_id == template.id for p in in_force)
        rows.append(PledgeRow(kind, template, kind in required, signed, current))
    rows.sort(key=lambda row: (not row.required, PLEDGE_KINDS.index(row.kind)))
    return rows


def signing_template(session: Session, kind: str, today: date) -> PledgeTemplate | None:
    """The text a supplier signs for a kind today (None for an unknown kind or no text)."""
    if kind not in PLEDGE_KINDS:
        return None
    return pledges.current_template(session, kind, today)


def sign_pledge(session: Session, supplier: Supplier, kind: str, template_id: int | None, signatory_name: str,
                signatory_title: str, agreed: bool, user: User, now: datetime, ip_address: str | None,
                user_agent: str | None) -> IntegrityPledge:
    """Sign the text in force: typed name and title, an explicit agreement; every problem at once."""
    errors: dict[str, list] = {}
    template = signing_template(session, kind, now.date())
    if template is None:
        errors.setdefault("agree", []).append(_l("There is no text in force for this pledge."))
    elif template_id != template.id:
        errors.setdefault("agree", []).append(
            _l("The text changed while you were reading it: read the text in force and sign again."))
    if not agreed:
        errors.setdefault("agree", []).append(_l("Tick the box to agree to the text before signing."))
    if not (signatory_name or "").strip():
        errors.setdefault("signatory_name", []).append(_l("Type your full name to sign."))
    if not (signatory_title or "").strip():
        errors.setdefault("signatory_title", []).append(_l("Type your title or position."))
    for key, value in (("signatory_name", signatory_name), ("signatory_title", signatory_title)):
        if len((value or "").strip()) > 100:
            errors.setdefault(key, []).append(_l("At most %(n)d characters.", n=100))
    if errors:
        raise ValidationFailed(errors)
    return pledges.sign_in_portal(session, supplier, template, signatory_name, signatory_title, user, now,
                                  ip_address, user_agent)


def pledge_of(session: Session, supplier: Supplier, pledge_id: int) -> IntegrityPledge | None:
    """One of the supplier's own pledges."""
    stmt = select(IntegrityPledge).where(IntegrityPledge.id == pledge_id,
                                         IntegrityPledge.supplier_id == supplier.id)
    return session.scalar(stmt)


def signed_pledge_pdf(pledge: IntegrityPledge, generated_at: datetime, font_path: str | None = None) -> bytes:
    """The pledge as signed in the portal, with its signing record, as a PDF (Chinese and English)."""
    from reports import SignedPledgeData, render_signed_pledge

    template, supplier = pledge.template, pledge.supplier
    signed_at = pledge.signed_at or datetime.combine(pledge.signed_on, datetime.min.time())
    data = SignedPledgeData(
        kind_zh=template.title_zh if template else pledge.kind,
        kind_en=template.title_en if template else pledge.kind,
        text_zh=template.text_zh if template else "", text_en=template.text_en if template else "",
        supplier_name_zh=supplier.name_zh, supplier_name_en=supplier.name_en or "",
        credit_code=supplier.credit_code,
        signatory_name=pledge.signatory_name, signatory_title=pledge.signatory_title or "",
        signed_at=signed_at, ip_address=pledge.ip_address or "", text_sha256=pledge.text_sha256 or "",
        generated_at=generated_at,
    )
    return render_signed_pledge(data, font_path=font_path)


# --- corrective actions and evaluations --------------------------------------------------------------------

def action_of(session: Session, supplier: Supplier, action_id: int) -> CorrectiveAction | None:
    """One of the supplier's own corrective actions."""
    stmt = select(CorrectiveAction).where(CorrectiveAction.id == action_id,
                                          CorrectiveAction.supplier_id == supplier.id)
    return session.scalar(stmt)


def respond_to_action(session: Session, supplier: Supplier, action: CorrectiveAction, note: str,
                      upload: attachments.Upload | None, store: attachments.Store, actor: User,
                      today: date) -> CorrectiveAction:
    """Report a corrective action done, with a note and evidence; it waits for procurement's verification."""
    if action.supplier_id != supplier.id:
        raise ValidationFailed({"note": [_l("Not found.")]})
    if action.status == "submitted":
        raise ValidationFailed({"note": [_l("Already submitted: procurement is checking it.")]})
    return corrective_actions.submit(session, action, note, upload, store, actor, today)


def evaluations(session: Session, supplier: Supplier) -> list[Evaluation]:
    """The supplier's final evaluations (drafts and those under approval are procurement's own)."""
    stmt = (select(Evaluation).where(Evaluation.supplier_id == supplier.id, Evaluation.status == "final")
            .order_by(Evaluation.finalised_at.desc(), Evaluation.id.desc()))
    return list(session.scalars(stmt))


def evaluation_of(session: Session, supplier: Supplier, evaluation_id: int) -> Evaluation | None:
    """One of the supplier's own final evaluations."""
    stmt = select(Evaluation).where(Evaluation.id == evaluation_id, Evaluation.supplier_id == supplier.id,
                                    Evaluation.status == "final")
    return session.scalar(stmt)
