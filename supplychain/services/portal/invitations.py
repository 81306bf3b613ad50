"""Invitations to the supplier portal: signed single-use links, revocation, accepting, the supplier's team.

A link carries the invitation id and a random nonce, signed with the app's secret key
(itsdangerous). The database decides whether it still works: used, revoked and expired
invitations are refused with a message saying which; a link whose signature does not match was
altered. Accepting creates a supplier user tied to the invitation's supplier, and nobody else's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from supplychain.clock import moment_text, report_zone
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import Invitation, PortalMember, Supplier, User
from supplychain.services.core import audit, users

VALID_DAYS = 7
SALT = "supplychain.invitation"
# Suppliers that can no longer be invited to the portal.
CLOSED_STATUSES = ("blacklisted", "exited", "rejected")
AUDITED_FIELDS = ("email", "name", "grants_admin", "expires_at", "used_at", "revoked_at")
TOKEN_PROBLEMS = {
    "altered": _l("This invitation link is not valid: it was changed or copied incompletely. "
                  "Ask for a new invitation."),
    "used": _l("This invitation link was already used. Log in with the password you chose, "
               "or ask for a new invitation."),
    "revoked": _l("This invitation was withdrawn. Ask procurement or your company's administrator "
                  "for a new one."),
    "expired": _l("This invitation link has expired. Ask for a new invitation."),
}


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def token_for(invitation: Invitation, secret: str) -> str:
    """The signed token of the invitation link."""
    return _serializer(secret).dumps({"i": invitation.id, "n": invitation.nonce})


def check_token(session: Session, token: str, secret: str,
                now: datetime) -> tuple[Invitation | None, str | None]:
    """The invitation a token opens, and why it cannot be used ("altered", "used", "revoked", "expired")."""
    try:
        payload = _serializer(secret).loads(token or "")
    except BadSignature:
        return None, "altered"
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        return None, "altered"
    invitation = session.get(Invitation, payload["i"])
    if invitation is None or not secrets.compare_digest(str(payload.get("n", "")), invitation.nonce):
        return None, "altered"
    status = invitation.status_at(now)
    return invitation, (None if status == "pending" else status)


def is_portal_admin(session: Session, user: User) -> bool:
    """Whether a supplier user may invite colleagues: invited as administrator, or made by an admin."""
    if user is None or user.role != "supplier" or user.supplier_id is None:
        return False
    member = session.scalar(select(PortalMember).where(PortalMember.user_id == user.id))
    return True if member is None else bool(member.is_admin)


@dataclass
class InvitationData:
    """An invitation as entered."""

    email: str = ""
    name: str = ""
    grants_admin: bool = False


def check_invitation(session: Session, supplier: Supplier, data: InvitationData, actor: User | None) -> dict:
    """Every problem with an invitation, per field."""
    errors: dict[str, list] = {}
    email = users.normalize_email(data.email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        add_error(errors, "email", _l("Enter a valid e-mail address."))
    else:
        existing = users.find_by_email(session, email)
        if existing is not None and (actor is None or actor.role != "supplier"):
            add_error(errors, "email", _l("Another account already uses this e-mail address."))
        elif existing is not None and existing.supplier_id == supplier.id:
            add_error(errors, "email", _l("This person already has an account of your company."))
        # A supplier user inviting an address that belongs to anyone else (staff, another supplier) is
        # answered exactly like a new address, so the portal cannot tell which accounts exist; the link
        # then asks its recipient to log in instead.
    if len((data.name or "").strip()) > 100:
        add_error(errors, "name", _l("At most %(n)d characters.", n=100))
    if supplier.status in CLOSED_STATUSES:
        add_error(errors, "email", _l("Suppliers that are blacklisted, exited or rejected cannot be invited."))
    if actor is not None and actor.role == "supplier":
        if actor.supplier_id != supplier.id or not is_portal_admin(session, actor):
            add_error(errors, "email", _l("Only your company's portal administrators can invite colleagues."))
    return errors


def create_invitation(session: Session, supplier: Supplier, data: InvitationData, actor: User | None,
                      now: datetime, valid_days: int = VALID_DAYS) -> Invitation:
    """Invite a contact; an earlier pending invitation to the same address at this supplier is withdrawn."""
    errors = check_invitation(session, supplier, data, actor)
    if errors:
        raise ValidationFailed(errors)
    email = users.normalize_email(data.email)
    for older in session.scalars(select(Invitation).where(Invitation.supplier_id == supplier.id,
                                                          Invitation.email == email)):
        if older.status_at(now) == "pending":
            older.revoked_at, older.revoked_by_id = now, getattr(actor, "id", None)
    invitation = Invitation(
        supplier_id=supplier.id, email=email, name=(data.name or "").strip(),
        grants_admin=bool(data.grants_admin),
        nonce=secrets.token_urlsafe(24), created_by_id=getattr(actor, "id", None), created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    session.add(invitation)
    session.flush()
    audit.record(session, actor, "create", "invitation", invitation.id,
                 audit.diff({}, audit.snapshot(invitation, AUDITED_FIELDS)), supplier_id=supplier.id)
    return invitation


def revoke(session: Session, invitation: Invitation, actor: User | None, now: datetime) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.status_at(now) != "pending":
        raise ValidationFailed({"invitation": [_l("Only a pending invitation can be withdrawn.")]})
    invitation.revoked_at, invitation.revoked_by_id = now, getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor, "revoke", "invitation", invitation.id,
                 {"revoked_at": [None, now.isoformat()]}, supplier_id=invitation.supplier_id)
    return invitation


def accept(session: Session, token: str, secret: str, name: str, password: str, confirmation: str,
           now: datetime, locale: str | None = None) -> User:
    """Create the supplier user an invitation promises; every problem at once, nothing saved on refusal."""
    invitation, problem = check_token(session, token, secret, now)
    if problem:
        raise ValidationFailed({"token": [TOKEN_PROBLEMS[problem]]})
    errors: dict[str, list] = {}
    if password != confirmation:
        add_error(errors, "confirm", _l("The two passwords differ."))
    if invitation.supplier.status in CLOSED_STATUSES:
        add_error(errors, "token", _l("This invitation can no longer be used. Ask procurement."))
    if len((name or "").strip()) > 100:
        add_error(errors, "name", _l("At most %(n)d characters.", n=100))
    if problems := users.password_problems(password, invitation.email):
        errors["password"] = problems
    if users.find_by_email(session, invitation.email) is not None:
        add_error(errors, "token", _l("An account already uses this e-mail address: log in instead."))
    if errors:
        raise ValidationFailed(errors)
    # Claim the invitation first, in one conditional UPDATE: of simultaneous accepts only one finds it
    # unused (the others wait for its commit, then match no row) and only that one creates the account.
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.rollback()
        raise ValidationFailed({"token": [TOKEN_PROBLEMS["used"]]})
    try:
        user = _create_invited_user(session, invitation, name, password, locale)
    except IntegrityError:
        session.rollback()
        raise ValidationFailed({"token": [_l("An account already uses this e-mail address: log in instead.")]}) \
            from None
    invitation.used_at, invitation.user_id = now, user.id
    session.add(PortalMember(user_id=user.id, supplier_id=invitation.supplier_id,
                             is_admin=invitation.grants_admin, invitation_id=invitation.id, created_at=now))
    session.flush()
    audit.record(session, user, "accept", "invitation", invitation.id, {"used_at": [None, now.isoformat()]},
                 supplier_id=invitation.supplier_id)
    return user


def _create_invited_user(session: Session, invitation: Invitation, name: str, password: str,
                         locale: str | None) -> User:
    user = users.create_user(session, users.UserData(
        email=invitation.email, role="supplier", name=(name or "").strip() or invitation.name,
        supplier_id=invitation.supplier_id, locale=locale), password, actor=None)
    session.flush()
    return user


def list_invitations(session: Session, supplier_id: int | None = None, limit: int = 500) -> list[Invitation]:
    """Invitations, newest first (one supplier's when given)."""
    stmt = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(limit)
    if supplier_id is not None:
        stmt = stmt.where(Invitation.supplier_id == supplier_id)
    return list(session.scalars(stmt))


def of_supplier(session: Session, supplier_id: int, invitation_id: int) -> Invitation | None:
    """One of the supplier's own invitations (None for anyone else's)."""
    stmt = select(Invitation).where(Invitation.id == invitation_id, Invitation.supplier_id == supplier_id)
    return session.scalar(stmt)


def team(session: Session, supplier_id: int) -> list[tuple[User, bool]]:
    """The supplier's portal users and whether each administers the portal."""
    members = {m.user_id: m.is_admin for m in session.scalars(
        select(PortalMember).where(PortalMember.supplier_id == supplier_id))}
    stmt = select(User).where(User.supplier_id == supplier_id, User.role == "supplier").order_by(User.email)
    return [(user, members.get(user.id, True)) for user in session.scalars(stmt)]


def compose(invitation: Invitation, link: str, company: str, sender: str, zone_name: str | None = None) -> EmailMessage:
    """The invitation e-mail in Chinese and English; the expiry in the report time zone (REPORT_TIMEZONE)."""
    message = EmailMessage()
    message["Subject"] = f"供应商门户邀请 / Supplier portal invitation: {invitation.supplier.name_zh}"
    message["From"] = sender
    message["To"] = invitation.email
    expires = moment_text(invitation.expires_at, report_zone(zone_name))
    message.set_content("\n".join([
        f"{invitation.name or invitation.email}，您好：", "",
        f"{company}邀请您登录供应商门户，代表{invitation.supplier.name_zh}"
        "填写 ESG 自评问卷、上传证书、签署承诺书。",
        f"请在 {expires} 前打开以下链接设置密码（链接仅可使用一次）：", link, "",
        f"{company} invites you to the supplier portal on behalf of {invitation.supplier.name_zh}.",
        f"Open this link before {expires} to choose your password (it works once):", link, "", company,
    ]))
    return message


def send(invitation: Invitation, link: str, settings: Mapping, deliver: Callable[[EmailMessage], None],
         now: datetime) -> None:
    """E-mail the link and note when it was sent."""
    deliver(compose(invitation, link, settings.get("COMPANY_NAME") or "", settings.get("MAIL_FROM") or
                    "noreply@localhost", settings.get("REPORT_TIMEZONE")))
    invitation.emailed_at = now
