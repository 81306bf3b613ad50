"""Telling a campaign's suppliers, many at once: the invitation and the reminders, as notifications.

The same rules as ``services.daily_work.notifications`` (each recipient told once per key, in the app for accounts, by
e-mail through ``flask notifications send``), read and written in bulk so that thousands of suppliers cost a
few queries per part, not a few per supplier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import (
    Campaign,
    Notification,
    NotificationDelivery,
    PortalMember,
    Supplier,
    SupplierContact,
    User,
)

PORTAL_LINK = "/portal/saq"


@dataclass
class Targets:
    """Who hears for one supplier: its active portal accounts and the addresses of contacts without one."""

    accounts: list[User]
    addresses: list[str]

    @property
    def channel(self) -> str:
        """How a notice reaches the supplier: in the app (and e-mail), by e-mail only, or not at all."""
        return "in_app" if self.accounts else "email" if self.addresses else "none"


def targets_by_supplier(session: Session, supplier_ids: Iterable[int]) -> dict[int, Targets]:
    """Per supplier, its portal accounts (own and member) and its contacts' addresses, in three queries."""
    ids = sorted(set(supplier_ids))
    found = {supplier_id: Targets([], []) for supplier_id in ids}
    if not ids:
        return found
    seen: dict[int, set[int]] = {supplier_id: set() for supplier_id in ids}
    own = session.execute(select(User.supplier_id, User).where(User.supplier_id.in_(ids), User.active.is_(True)))
    members = session.execute(select(PortalMember.supplier_id, User).join(User, User.id == PortalMember.user_id)
                              .where(PortalMember.supplier_id.in_(ids), User.active.is_(True)))
    for supplier_id, user in [*own, *members]:
        if user.id not in seen[supplier_id]:
            seen[supplier_id].add(user.id)
            found[supplier_id].accounts.append(user)
    contacts = session.execute(select(SupplierContact.supplier_id, SupplierContact.email)
                               .where(SupplierContact.supplier_id.in_(ids), SupplierContact.email.is_not(None))
                               .order_by(SupplierContact.supplier_id, SupplierContact.position, SupplierContact.id))
    for supplier_id, email in contacts:
        address = (email or "").strip().lower()
        targets = found[supplier_id]
        if address and address not in {u.email.lower() for u in targets.accounts} | set(targets.addresses):
            targets.addresses.append(address)
    return found


def invitation_text(campaign: Campaign, supplier: Supplier) -> tuple[str, str]:
    """The invitation in Chinese and English."""
    questionnaire = campaign.questionnaire
    due = campaign.due_on.isoformat()
    zh = f"{supplier.name_zh}：请于 {due} 前在供应商门户填写问卷《{questionnaire.title_zh}》（{campaign.title}）"
    en = (f"{supplier.name_zh}: please answer the questionnaire \"{questionnaire.title_en}\" in the supplier "
          f"portal by {due} ({campaign.title})")
    return zh, en


def due_date_text(campaign: Campaign, supplier: Supplier, before: date) -> tuple[str, str]:
    """The notice that a campaign's due date moved, in Chinese and English."""
    questionnaire = campaign.questionnaire
    due, was = campaign.due_on.isoformat(), before.isoformat()
    zh = (f"{supplier.name_zh}：问卷《{questionnaire.title_zh}》的截止日期已由 {was} 调整为 {due}，"
          f"请于 {due} 前提交（{campaign.title}）")
    en = (f"{supplier.name_zh}: the due date of the questionnaire \"{questionnaire.title_en}\" moved from {was} "
          f"to {due}; please submit it by {due} ({campaign.title})")
    return zh, en


def reminder_text(campaign: Campaign, supplier: Supplier, today: date) -> tuple[str, str]:
    """A reminder in Chinese and English: due in so many days, or overdue since the due date."""
    questionnaire = campaign.questionnaire
    due = campaign.due_on.isoformat()
    if today > campaign.due_on:
        zh = f"{supplier.name_zh}：问卷《{questionnaire.title_zh}》已于 {due} 逾期，请尽快提交（{campaign.title}）"
        en = (f"{supplier.name_zh}: the questionnaire \"{questionnaire.title_en}\" was due on {due}; "
              f"please submit it now ({campaign.title})")
    else:
        left = (campaign.due_on - today).days
        zh = (f"{supplier.name_zh}：问卷《{questionnaire.title_zh}》将于 {due} 截止（{left} 天后），"
              f"请及时提交（{campaign.title}）")
        en = (f"{supplier.name_zh}: the questionnaire \"{questionnaire.title_en}\" is due on {due} "
              f"(in {left} days) ({campaign.title})")
    return zh, en


def tell(session: Session, kind: str, key: str, texts: dict[int, tuple[str, str]], targets: dict[int, Targets],
         now: datetime) -> int:
    """Tell each supplier's targets its text under one key (nobody twice); returns the notices written."""
    recipients: dict[str, tuple[int, User | str]] = {}
    for supplier_id in texts:
        for target in (*targets[supplier_id].accounts, *targets[supplier_id].addresses):
            name = f"user:{target.id}" if isinstance(target, User) else target
            recipients.setdefault(name, (supplier_id, target))
    names = sorted(recipients)
    told: set[str] = set()
    for start in range(0, len(names), 1000):
        told.update(session.scalars(select(Notification.recipient).where(
            Notification.key == key, Notification.recipient.in_(names[start:start + 1000]))))
    written = 0
    for name in names:
        if name in told:
            continue
        supplier_id, target = recipients[name]
        zh, en = texts[supplier_id]
        is_user = isinstance(target, User)
        notification = Notification(recipient=name, user_id=target.id if is_user else None,
                                    email=target.email if is_user else target, kind=kind, key=key,
                                    supplier_id=supplier_id, message_zh=zh, message_en=en, link=PORTAL_LINK,
                                    created_at=now)
        if is_user:
            notification.deliveries.append(NotificationDelivery(channel="in_app", delivered_at=now))
        session.add(notification)
        written += 1
    session.flush()
    return written
