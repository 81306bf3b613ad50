"""Certificates and licences: recording, verification, status from dates, the expiry list and its e-mails."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed, add_error
from supplychain.models import CERT_TYPES, VERIFICATION_METHODS, Certification, Supplier, User
from supplychain.services.core import attachments, audit
from supplychain.services.evidence import requirements, soft_delete
from supplychain.services.risk import recompute as risk_recompute

AUDITED_FIELDS = ("cert_type", "other_name", "number", "issuer", "scope", "issued_on", "expires_on",
                  "attachment_id", "verified_by_id", "verified_on", "verification_method")
# Changing any of these means the old verification no longer covers the record.
IDENTITY_FIELDS = ("cert_type", "other_name", "number", "issuer", "issued_on", "expires_on")
LIMITS = {"other_name": 200, "number": 100, "issuer": 200, "scope": 2000}
STATUSES = ("valid", "expiring", "expired", "unverified")
# Short (Chinese, English) names for notices and e-mails written outside a page; the pages and the inbox use
# the catalogue's labels (evidence_labels.CERT_TYPE_LABELS) through type_text.
TYPE_NAMES = {
    "iso9001": ("ISO 9001", "ISO 9001"), "iso14001": ("ISO 14001", "ISO 14001"),
    "iso45001": ("ISO 45001", "ISO 45001"), "iso50001": ("ISO 50001", "ISO 50001"),
    "iso27001": ("ISO 27001", "ISO 27001"), "iso14064": ("ISO 14064", "ISO 14064"),
    "iatf16949": ("IATF 16949", "IATF 16949"), "sa8000": ("SA8000", "SA8000"),
    "production_licence": ("生产许可证", "Production licence"),
    "safety_production_licence": ("安全生产许可证", "Safety production licence"),
    "pollutant_permit": ("排污许可证", "Pollutant discharge permit"), "other": ("其他", "Other"),
}


def expiry_status(expires_on: date | None, today: date, warning_days: int) -> str:
    """"expired" after the expiry day, "expiring" from N days before it to the day itself, else "valid"."""
    if expires_on is None:
        return "valid"
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=warning_days):
        return "expiring"
    return "valid"


def certificate_status(cert: Certification, today: date, warning_days: int) -> str:
    """Status badge: expired first, then unverified, then expiring or valid."""
    status = expiry_status(cert.expires_on, today, warning_days)
    if status == "expired":
        return status
    if not cert.verified:
        return "unverified"
    return status


def days_left(cert: Certification, today: date) -> int | None:
    """Days until expiry (negative once expired), None without an expiry date."""
    return None if cert.expires_on is None else (cert.expires_on - today).days


def type_names(cert: Certification) -> tuple[str, str]:
    """The type's short (Chinese, English) names, or the given name twice for "other"."""
    if cert.cert_type == "other" and cert.other_name:
        return cert.other_name, cert.other_name
    return TYPE_NAMES.get(cert.cert_type, (cert.cert_type, cert.cert_type))


def type_label(cert: Certification) -> str:
    """The type in both languages ("Production licence / 生产许可证") for the bilingual e-mail and the command's
    output, or the given name for "other"."""
    zh, en = type_names(cert)
    return en if zh == en else f"{en} / {zh}"


def type_text(cert: Certification) -> str:
    """The type in the reader's language (the page's labels), or the given name for "other"."""
    from supplychain.evidence_labels import CERT_TYPE_LABELS

    if cert.cert_type == "other" and cert.other_name:
        return cert.other_name
    return str(CERT_TYPE_LABELS.get(cert.cert_type, cert.cert_type))


@dataclass
class CertificateData:
    """A certificate as entered."""

    cert_type: str = ""
    other_name: str = ""
    number: str = ""
    issuer: str = ""
    scope: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


def check_certificate(session: Session, supplier: Supplier, data: CertificateData,
                      upload: attachments.Upload | None, max_bytes: int, today: date,
                      cert: Certification | None = None) -> tuple[dict, attachments.CleanUpload | None]:
    """Every problem with a certificate, per field, and the checked scan."""
    errors: dict[str, list] = {}
    if data.cert_type not in CERT_TYPES:
        add_error(errors, "cert_type", _l("Choose one of the certificate types."))
    elif data.cert_type == "other" and not (data.other_name or "").strip():
        add_error(errors, "other_name", _l("Name the certificate when the type is \"other\"."))
    for key in ("number", "issuer"):
        if not (getattr(data, key) or "").strip():
            add_error(errors, key, _l("This field is required."))
    for key, limit in LIMITS.items():
        if len((getattr(data, key) or "").strip()) > limit:
            add_error(errors, key, _l("At most %(n)d characters.", n=limit))
    if data.issued_on is None:
        add_error(errors, "issued_on", _l("Enter the issue date."))
    elif data.issued_on > today:
        add_error(errors, "issued_on", _l("The issue date cannot be in the future."))
    if data.expires_on is not None and data.issued_on is not None and data.expires_on <= data.issued_on:
        add_error(errors, "expires_on", _l("The expiry date must be after the issue date."))
    number = (data.number or "").strip()
    if number and data.cert_type in CERT_TYPES:
        stmt = select(Certification).where(Certification.supplier_id == supplier.id,
                                           Certification.cert_type == data.cert_type,
                                           Certification.number == number)
        other = session.scalar(stmt.limit(1))
        if other is not None and other is not cert:
            add_error(errors, "number", _l("This certificate is already recorded for the supplier."))
    clean, problems = attachments.check_upload(upload, max_bytes)
    if problems:
        errors["scan"] = problems
    return errors, clean


def save_certificate(session: Session, supplier: Supplier, data: CertificateData,
                     upload: attachments.Upload | None, store: attachments.Store, actor: User | None,
                     today: date, cert: Certification | None = None) -> Certification:
    """Record or correct a certificate; a change to its identity or dates voids the verification; audited."""
    errors, clean = check_certificate(session, supplier, data, upload, store.max_bytes, today, cert)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(cert, AUDITED_FIELDS) if cert else {}
    if cert is None:
        cert = Certification(supplier_id=supplier.id, created_by_id=getattr(actor, "id", None))
        session.add(cert)
    cert.cert_type = data.cert_type
    cert.other_name = (data.other_name or "").strip() or None if data.cert_type == "other" else None
    cert.number = data.number.strip()
    cert.issuer = data.issuer.strip()
    cert.scope = (data.scope or "").strip() or None
    cert.issued_on, cert.expires_on = data.issued_on, data.expires_on
    scan = attachments.store(session, clean, store, supplier.id, actor) if clean else None
    if scan is not None:
        cert.attachment_id = scan.id
    if before and any(before[k] != audit.snapshot(cert, (k,))[k] for k in IDENTITY_FIELDS):
        cert.verified_on = cert.verified_by_id = cert.verification_method = None
    session.flush()
    changes = audit.diff(before, audit.snapshot(cert, AUDITED_FIELDS))
    if changes:
        audit.record(session, actor, "update" if before else "create", "certification", cert.id, changes,
                     supplier_id=supplier.id, note=attachments.describe(scan))
    risk_recompute.refresh(session, [supplier.id], today, actor)
    return cert


def check_verification(cert: Certification, method: str, verified_on: date | None, today: date) -> dict:
    """Problems with a verification: how it was checked and when."""
    errors: dict[str, list] = {}
    if method not in VERIFICATION_METHODS:
        add_error(errors, "method", _l("Choose how the certificate was checked."))
    if verified_on is None:
        add_error(errors, "verified_on", _l("Enter the date of the check."))
    elif verified_on > today:
        add_error(errors, "verified_on", _l("A check cannot be dated in the future."))
    elif verified_on < cert.issued_on:
        add_error(errors, "verified_on", _l("A check cannot be before the certificate was issued."))
    return errors


def verify_certificate(session: Session, cert: Certification, method: str, verified_on: date | None,
                       actor: User | None, today: date) -> Certification:
    """Record who checked the certificate, when and how; audited."""
    errors = check_verification(cert, method, verified_on, today)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(cert, AUDITED_FIELDS)
    cert.verification_method, cert.verified_on = method, verified_on
    cert.verified_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor, "verify", "certification", cert.id,
                 audit.diff(before, audit.snapshot(cert, AUDITED_FIELDS)), supplier_id=cert.supplier_id)
    return cert


def delete_certificate(session: Session, cert: Certification, reason: str, actor: User | None) -> None:
    """Remove a certificate recorded by mistake; needs a reason; the audit entry keeps what it said."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason for removing the certificate.")]})
    removed = {k: [v, None] for k, v in audit.snapshot(cert, AUDITED_FIELDS).items()}
    audit.record(session, actor, "delete", "certification", cert.id, removed, supplier_id=cert.supplier_id,
                 note=reason.strip())
    soft_delete.mark(session, cert, reason, actor)
    risk_recompute.refresh(session, [cert.supplier_id], actor=actor)


def for_supplier(session: Session, supplier_id: int) -> list[Certification]:
    """A supplier's certificates, by type then newest expiry first."""
    stmt = (select(Certification).where(Certification.supplier_id == supplier_id)
            .order_by(Certification.cert_type, Certification.expires_on.desc(), Certification.id.desc()))
    return list(session.scalars(stmt))


def _key(cert: Certification) -> tuple:
    return cert.supplier_id, cert.cert_type, (cert.other_name or "").casefold()


def superseded_ids(certs: list[Certification]) -> set[int]:
    """Certificates replaced by a later one of the same type at the same supplier (a renewal)."""
    latest: dict[tuple, Certification] = {}
    for cert in certs:
        best = latest.get(_key(cert))
        if best is None or (best.expires_on is not None and
                            (cert.expires_on is None or cert.expires_on > best.expires_on)):
            latest[_key(cert)] = cert
    return {cert.id for cert in certs if latest[_key(cert)] is not cert}


def present_types(certs: list[Certification], today: date) -> set[str]:
    """Certificate types the supplier holds in force today (expiring still counts, expired does not)."""
    return {c.cert_type for c in certs
            if c.issued_on <= today and (c.expires_on is None or c.expires_on >= today)}


@dataclass
class ExpiryRow:
    """A certificate on the expiry list."""

    cert: Certification
    supplier: Supplier
    status: str
    days_left: int


@dataclass
class ExpiryFilters:
    """What the expiry page and the command filter by."""

    days: int = 60
    status: str = ""  # "", "expiring", "expired" or "unverified"
    cert_type: str = ""
    region: str = ""
    q: str = ""


def expiry_list(session: Session, today: date, filters: ExpiryFilters,
                statuses: tuple[str, ...] = requirements.ACTIVE_STATUSES) -> list[ExpiryRow]:
    """Active suppliers' certificates expiring within N days or expired, renewed ones left out, soonest first.

    With status "unverified": every unverified certificate still in force, whatever its expiry.
    """
    stmt = (select(Certification, Supplier).join(Supplier, Supplier.id == Certification.supplier_id)
            .where(Supplier.status.in_(statuses)))
    if filters.status != "unverified":
        stmt = stmt.where(Certification.expires_on.is_not(None),
                          Certification.expires_on <= today + timedelta(days=filters.days))
    if filters.cert_type:
        stmt = stmt.where(Certification.cert_type == filters.cert_type)
    if filters.region:
        stmt = stmt.where(Supplier.region == filters.region)
    q = (filters.q or "").strip()
    if q:
        stmt = stmt.where(Supplier.name_zh.contains(q) | Supplier.credit_code.contains(q.upper()))
    pairs = list(session.execute(stmt.order_by(Certification.expires_on, Certification.id)))
    if not pairs:
        return []
    # A renewal can fall outside the window, so compare with every certificate of these suppliers.
    supplier_ids = {cert.supplier_id for cert, _ in pairs}
    stmt_all = select(Certification).where(Certification.supplier_id.in_(supplier_ids))
    everything = list(session.scalars(stmt_all))
    replaced = superseded_ids(everything)
    rows = []
    for cert, supplier in pairs:
        if cert.id in replaced:
            continue
        status = expiry_status(cert.expires_on, today, filters.days)
        if filters.status == "unverified":
            if cert.verified or status == "expired":
                continue
            status = "unverified"
        elif filters.status and status != filters.status:
            continue
        left = days_left(cert, today)
        rows.append(ExpiryRow(cert, supplier, status, left if left is not None else 10**6))
    return rows


# --- e-mail ------------------------------------------------------------------------------------------------

@dataclass
class Notice:
    """One e-mail: a supplier's expiring and expired certificates, to its contacts and its buyers."""

    supplier: Supplier
    to: list[str]
    cc: list[str]
    rows: list[ExpiryRow]


def notices(session: Session, rows: list[ExpiryRow]) -> list[Notice]:
    """Group the list per supplier; the buyer is whoever recorded the certificate, else every active buyer."""
    buyers_default = [u.email for u in session.scalars(
        select(User).where(User.role == "procurement", User.active.is_(True)).order_by(User.email))]
    grouped: dict[int, Notice] = {}
    for row in rows:
        notice = grouped.get(row.supplier.id)
        if notice is None:
            to = [c.email for c in row.supplier.contacts if c.email]
            notice = grouped[row.supplier.id] = Notice(row.supplier, to, [], [])
        notice.rows.append(row)
        creator = row.cert.created_by
        if creator is not None and creator.active and creator.is_staff and creator.email not in notice.cc:
            notice.cc.append(creator.email)
    for notice in grouped.values():
        if not notice.cc:
            notice.cc = list(buyers_default)
    return list(grouped.values())


def compose(notice: Notice, company: str, sender: str) -> EmailMessage:
    """The e-mail in Chinese and English."""
    message = EmailMessage()
    message["Subject"] = f"证书到期提醒 / Certificate expiry notice: {notice.supplier.name_zh}"
    message["From"] = sender
    message["To"] = ", ".join(notice.to or notice.cc)
    if notice.to and notice.cc:
        message["Cc"] = ", ".join(notice.cc)
    lines = [f"{notice.supplier.name_zh}：", "",
             f"以下证书即将到期或已过期，请尽快办理换证并将新证书提交给{company}。",
             "The certificates below expire soon or have expired.",
             "Please renew them and send us the new ones.", ""]
    for row in notice.rows:
        if row.status == "expired":
            state = "已过期 expired"
        else:
            state = f"{row.days_left} 天后到期 expires in {row.days_left} days"
        lines.append(f"- {type_label(row.cert)} {row.cert.number}（{row.cert.issuer}）"
                     f" {row.cert.expires_on.isoformat()} · {state}")
    lines += ["", company]
    message.set_content("\n".join(lines))
    return message


def smtp_sender(settings: Mapping) -> Callable[[EmailMessage], None] | None:
    """A function sending one message over the configured SMTP server, or None without MAIL_SERVER."""
    server = settings.get("MAIL_SERVER")
    if not server:
        return None

    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(server, int(settings.get("MAIL_PORT") or 25), timeout=30) as smtp:
            if settings.get("MAIL_USE_TLS"):
                smtp.starttls()
            if settings.get("MAIL_USERNAME"):
                smtp.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)

    return send


def send_notices(items: list[Notice], settings: Mapping, send: Callable[[EmailMessage], None]) -> int:
    """Send one e-mail per supplier with at least one recipient; returns how many were sent."""
    sent = 0
    for notice in items:
        if not (notice.to or notice.cc):
            continue
        sender = settings.get("MAIL_FROM") or "noreply@localhost"
        send(compose(notice, settings.get("COMPANY_NAME") or "", sender))
        sent += 1
    return sent
