"""Notifications (issue 13): who was told what, when and how; nobody is told twice about one thing.

Also the requests for a second person's approval of high-impact actions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

NOTIFICATION_KINDS = ("certificate_expiring", "certificate_expired", "pledge_renewal", "pledge_expired")
CHANNELS = ("in_app", "email", "digest")
EMAIL_MODES = ("immediate", "digest", "off")


class Notification(Base):
    """One thing one recipient is told, in both languages, with a link to the record.

    The recipient is an account ("user:<id>") or, for a supplier contact without an account, an
    e-mail address; (recipient, key) is unique, so the same event is never told to anyone twice.
    """

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("recipient", "key", name="uq_notifications_recipient_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(270))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    # What it is about, e.g. "certificate:12:2026-03-01:expiring": the same event gives the same key.
    key: Mapped[str] = mapped_column(String(200))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    deliveries: Mapped[list[NotificationDelivery]] = relationship(
        back_populates="notification", cascade="all, delete-orphan", order_by="NotificationDelivery.id",
        lazy="selectin",
    )

    def message(self, language: str) -> str:
        """The text in the reader's language."""
        return self.message_en if language == "en" else self.message_zh

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to {self.recipient}>"


class NotificationDelivery(Base):
    """How and when a notification reached its recipient: in the app, by e-mail, or in a daily digest."""

    __tablename__ = "notification_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10), index=True)
    address: Mapped[str | None] = mapped_column(String(254))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


class NotificationSetting(Base):
    """A user's choice of e-mail: each notice at once, one daily digest, or none (in the app only)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_mode: Mapped[str] = mapped_column(String(10), default="immediate")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


ACTION_REQUEST_KINDS = ("status", "blacklist")
ACTION_REQUEST_STATUSES = ("pending", "approved", "rejected")


class ActionRequest(Base):
    """A high-impact action (blacklisting; suspension or exit by hand) waiting for a second person.

    Used when SECOND_APPROVAL_FOR_HIGH_IMPACT is on: the first person's request keeps what they
    entered in ``payload``; someone else approves (the action is then carried out in their name and
    the requester's) or rejects it with a note.
    """

    __tablename__ = "action_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)

    supplier = relationship("Supplier")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
