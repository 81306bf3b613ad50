"""Notifications: told once, recorded always (issue 13).

A notification is one event told to one recipient (an account, or the e-mail address of a supplier
contact without one), in Chinese and English with a link. It is written once per (recipient, key):
running a reminder again tells nobody twice. Accounts see it in the app; by e-mail it goes out at
once or in one daily digest, as each user chooses. Every way it reached someone is a delivery row
(channel, address, time), so "who was told what, when and how" is a query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.evidence_labels import PLEDGE_KIND_LABELS
from supplychain.models import (
    EMAIL_MODES,
    Certification,
    IntegrityPledge,
    Notification,
    NotificationDelivery,
    NotificationSetting,
    PortalMember,
    Supplier,
    User,
)
from supplychain.services.core import audit
from supplychain.services.evidence import certifications

EMAIL_CHANNELS = ("email", "digest")
# Notices older than this are not e-mailed any more (e.g. when SMTP is configured after months without it).
EMAIL_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Message:
    """What to tell, in both languages, and where the record is."""

    kind: str
    key: str
    zh: str
    en: str
    link: str | None = None
    supplier_id: int | None = None


# --- settings ----------------------------------------------------------------------------------------------

def email_mode(session: Session, user: User) -> str:
    """How the user gets e-mail: "immediate" (the default), "digest" (once a day) or "off"."""
    setting = session.get(NotificationSetting, user.id)
    return setting.email_mode if setting is not None else "immediate"


def set_email_mode(session: Session, user: User, mode: str, actor: User | None) -> None:
    """Choose immediate e-mails, a daily digest or none; audited."""
    if mode not in EMAIL_MODES:
        raise ValidationFailed({"email_mode": [_l("Choose one of the offered options.")]})
    before = email_mode(session, user)
    if before == mode:
        return
    setting = session.get(NotificationSetting, user.id)
    if setting is None:
        setting = NotificationSetting(user_id=user.id)
        session.add(setting)
    setting.email_mode = mode
    audit.record(session, actor, "update", "notification_setting", user.id, {"email_mode": [before, mode]})


# --- telling -----------------------------------------------------------------------------------------------

def _recipient_key(target: User | str) -> str:
    return f"user:{target.id}" if isinstance(target, User) else target.strip().lower()


def notify(session: Session, target: User | str, message: Message, now: datetime) -> Notification | None:
    """Tell one account or e-mail address about one event; None when they were already told."""
    recipient = _recipient_key(target)
    already = session.scalar(select(Notification.id).where(Notification.recipient == recipient,
                                                            Notification.key == message.key))
    if already is not None:
        return None
    is_user = isinstance(target, User)
    notification = Notification(
        recipient=recipient, user_id=target.id if is_user else None,
        email=target.email if is_user else recipient, kind=message.kind, key=message.key,
        supplier_id=message.supplier_id, message_zh=message.zh, message_en=message.en, link=message.link,
        created_at=now,
    )
    if is_user:
        notification.deliveries.append(NotificationDelivery(channel="in_app", delivered_at=now))
    session.add(notification)
    session.flush()
    return notification


def notify_many(session: Session, targets: list[User | str], message: Message, now: datetime) -> int:
    """Tell several recipients (each at most once); returns how many were newly told."""
    seen: set[str] = set()
    told = 0
    for target in targets:
        key = _recipient_key(target)
        if key in seen or not key:
            continue
        seen.add(key)
        told += notify(session, target, message, now) is not None
    return told


def for_user(session: Session, user: User, limit: int = 200) -> list[Notification]:
    """The user's notifications, unread first, newest first."""
    stmt = (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()))
    return list(session.scalars(stmt.limit(limit)))


def mark_read(session: Session, user: User, now: datetime, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notification of the user as read; returns how many changed."""
    stmt = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    rows = list(session.scalars(stmt))
    for row in rows:
        row.read_at = now
    return len(rows)


# --- e-mail ------------------------------------------------------------------------------------------------

# Recipients are read this many at a time (one query per batch, within every database's IN limit).
RECIPIENT_BATCH = 500


def _email_modes(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Each account's e-mail mode in one query per batch; an inactive account gets "off"."""
    modes: dict[int, str] = {}
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), RECIPIENT_BATCH):
        stmt = (select(User.id, User.active, NotificationSetting.email_mode)
                .outerjoin(NotificationSetting, NotificationSetting.user_id == User.id)
                .where(User.id.in_(ordered[start:start + RECIPIENT_BATCH])))
        for user_id, active, mode in session.execute(stmt):
            modes[user_id] = (mode or "immediate") if active else "off"
    return modes


def _wants(modes: Mapping[int, str], notification: Notification, channel: str) -> bool:
    if notification.user_id is None:
        return channel == "email"  # a supplier contact without an account: e-mail at once
    mode = modes.get(notification.user_id, "off")  # a deleted account gets nothing
    return (mode == "immediate" and channel == "email") or (mode == "digest" and channel == "digest")


def pending_email(session: Session, channel: str, now: datetime) -> dict[str, list[Notification]]:
    """Notifications of the last week not yet e-mailed, per address, for the recipients of this channel."""
    mailed = exists().where(NotificationDelivery.notification_id == Notification.id,
                            NotificationDelivery.channel.in_(EMAIL_CHANNELS))
    stmt = (select(Notification).where(~mailed, Notification.email.is_not(None),
                                       Notification.created_at >= now - EMAIL_WINDOW)
            .order_by(Notification.created_at, Notification.id))
    pending = list(session.scalars(stmt))
    modes = _email_modes(session, {n.user_id for n in pending if n.user_id is not None})
    grouped: dict[str, list[Notification]] = {}
    for notification in pending:
        if _wants(modes, notification, channel):
            grouped.setdefault(notification.email, []).append(notification)
    return grouped


def compose(address: str, items: list[Notification], channel: str, company: str, sender: str,
            base_url: str = "") -> EmailMessage:
    """One e-mail in Chinese and English listing the recipient's notices (a digest says so)."""
    message = EmailMessage()
    if channel == "digest":
        subject = f"每日提醒汇总 / Daily digest: {len(items)}"
    elif len(items) == 1:
        subject = f"{items[0].message_zh} / {items[0].message_en}"
    else:
        subject = f"{len(items)} 条提醒 / {len(items)} notices"
    message["Subject"] = subject[:200]
    message["From"] = sender
    message["To"] = address
    lines = [f"{company}", ""]
    for item in items:
        lines.append(f"- {item.message_zh}")
        lines.append(f"  {item.message_en}")
        if item.link:
            lines.append(f"  {base_url.rstrip('/')}{item.link}")
    lines += ["", "此邮件由系统自动发送。This message was sent automatically."]
    message.set_content("\n".join(lines))
    return message


def send_email(session: Session, settings: Mapping, send: Callable[[EmailMessage], None], now: datetime,
               channel: str = "email") -> int:
    """E-mail every pending notice of the channel, one message per address; records each delivery."""
    sent = 0
    sender = settings.get("MAIL_FROM") or "noreply@localhost"
    company = settings.get("COMPANY_NAME") or ""
    base_url = settings.get("PUBLIC_BASE_URL") or ""
    for address, items in pending_email(session, channel, now).items():
        send(compose(address, items, channel, company, sender, base_url))
        for item in items:
            item.deliveries.append(NotificationDelivery(channel=channel, address=address, delivered_at=now))
        sent += 1
        if sent % RECIPIENT_BATCH == 0:
            session.flush()
    session.flush()
    return sent


def smtp_sender(settings: Mapping) -> Callable[[EmailMessage], None] | None:
    """The configured SMTP sender, or None without MAIL_SERVER (the same one the certificate reminders used)."""
    return certifications.smtp_sender(settings)


# --- reminders ---------------------------------------------------------------------------------------------

def _buyers(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == "procurement", User.active.is_(True))
                                .order_by(User.id)))


def supplier_targets(session: Session, supplier: Supplier) -> list[User | str]:
    """The supplier's portal accounts and the e-mail addresses of its contacts."""
    members = list(session.scalars(select(User).join(PortalMember, PortalMember.user_id == User.id)
                                   .where(PortalMember.supplier_id == supplier.id, User.active.is_(True))))
    members += list(session.scalars(select(User).where(User.supplier_id == supplier.id, User.active.is_(True))))
    member_mails = {m.email.lower() for m in members}
    contacts = [c.email for c in supplier.contacts if c.email and c.email.lower() not in member_mails]
    return [*members, *contacts]


def certificate_message(cert: Certification, supplier: Supplier, status: str, today: date) -> Message:
    """The notice about one certificate: expiring (with days left) or expired; the key names the state."""
    name_zh, name_en = certifications.type_names(cert)
    what_zh, what_en = f"{name_zh} {cert.number}", f"{name_en} {cert.number}"
    expires = cert.expires_on.isoformat()
    if status == "expired":
        zh = f"{supplier.name_zh}：{what_zh} 已于 {expires} 过期"
        en = f"{supplier.name_zh}: {what_en} expired on {expires}"
    else:
        left = (cert.expires_on - today).days
        zh = f"{supplier.name_zh}：{what_zh} 将于 {expires} 到期（{left} 天后）"
        en = f"{supplier.name_zh}: {what_en} expires on {expires} (in {left} days)"
    kind = "certificate_expired" if status == "expired" else "certificate_expiring"
    return Message(kind, f"certificate:{cert.id}:{expires}:{status}", zh, en,
                   f"/suppliers/{supplier.id}#certificates", supplier.id)


def remind_certificates(session: Session, rows: list[certifications.ExpiryRow], today: date,
                        now: datetime) -> int:
    """Tell the buyer who recorded each certificate (else every buyer) and the supplier; returns new notices."""
    buyers = None
    told = 0
    for row in rows:
        creator = row.cert.created_by
        if creator is not None and creator.active and creator.is_staff:
            staff = [creator]
        else:
            buyers = _buyers(session) if buyers is None else buyers
            staff = buyers
        message = certificate_message(row.cert, row.supplier, row.status, today)
        told += notify_many(session, [*staff, *supplier_targets(session, row.supplier)], message, now)
    return told


def pledge_message(pledge: IntegrityPledge, supplier: Supplier, today: date) -> Message:
    """The notice that a pledge must be renewed (its validity ends soon or has ended)."""
    label_zh, label_en = _pledge_labels(pledge.kind)
    until = pledge.valid_until.isoformat()
    if pledge.valid_until < today:
        zh = f"{supplier.name_zh}：{label_zh} 已于 {until} 失效，请重新签署"
        en = f"{supplier.name_zh}: the {label_en} lapsed on {until}; please sign it again"
        state = "expired"
    else:
        zh = f"{supplier.name_zh}：{label_zh} 将于 {until} 到期，请续签"
        en = f"{supplier.name_zh}: the {label_en} runs out on {until}; please renew it"
        state = "due"
    kind = "pledge_expired" if state == "expired" else "pledge_renewal"
    return Message(kind, f"pledge:{pledge.id}:{until}:{state}", zh, en, f"/suppliers/{supplier.id}#pledges",
                   supplier.id)


def _pledge_labels(kind: str) -> tuple[str, str]:
    from flask_babel import force_locale

    label = PLEDGE_KIND_LABELS.get(kind, kind)
    try:
        with force_locale("zh"):
            zh = str(label)
        with force_locale("en"):
            en = str(label)
    except RuntimeError:  # no app: the English source text
        zh = en = str(label)
    return zh, en


def remind_pledges(session: Session, rows: list[tuple[IntegrityPledge, Supplier]], today: date,
                   now: datetime) -> int:
    """Tell the buyer who recorded each pledge due for renewal (else every buyer) and the supplier."""
    buyers = None
    told = 0
    for pledge, supplier in rows:
        creator = session.get(User, pledge.created_by_id) if pledge.created_by_id else None
        if creator is not None and creator.active and creator.is_staff:
            staff = [creator]
        else:
            buyers = _buyers(session) if buyers is None else buyers
            staff = buyers
        told += notify_many(session, [*staff, *supplier_targets(session, supplier)],
                            pledge_message(pledge, supplier, today), now)
    return told


def delivery_log(session: Session, limit: int = 500) -> list[tuple[Notification, NotificationDelivery]]:
    """Who was told what, when and how: every delivery, newest first (admins and auditors read it)."""
    stmt = (select(Notification, NotificationDelivery)
            .join(NotificationDelivery, NotificationDelivery.notification_id == Notification.id)
            .order_by(NotificationDelivery.delivered_at.desc(), NotificationDelivery.id.desc()))
    return [tuple(row) for row in session.execute(stmt.limit(limit))]


def count_unread(session: Session, user: User) -> int:
    """The user's unread notifications."""
    return session.scalar(select(func.count(Notification.id))
                          .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0
