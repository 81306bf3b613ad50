"""Supplier portal: who administers a supplier's portal users, and registry changes awaiting procurement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, utcnow
from .supplier import Supplier
from .user import User

CHANGE_REQUEST_STATUSES = ("pending", "approved", "rejected")
# Registry fields a supplier cannot change itself: procurement approves each change.
CHANGE_REQUEST_FIELDS = ("name_zh", "name_en", "credit_code")


class PortalMember(Base):
    """A supplier user's standing in the portal; accounts without a row (made by an admin) administer it."""

    __tablename__ = "portal_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()


class ChangeRequest(Base):
    """A supplier's request to change its legal name or credit code; the old values stay on record."""

    __tablename__ = "supplier_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    old_name_zh: Mapped[str] = mapped_column(String(200))
    new_name_zh: Mapped[str] = mapped_column(String(200))
    old_name_en: Mapped[str | None] = mapped_column(String(200))
    new_name_en: Mapped[str | None] = mapped_column(String(200))
    old_credit_code: Mapped[str | None] = mapped_column(String(18))
    new_credit_code: Mapped[str | None] = mapped_column(String(18))
    reason: Mapped[str] = mapped_column(Text)
    # The new business licence, when uploaded.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)

    supplier: Mapped[Supplier] = relationship()
    attachment: Mapped[Attachment | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])

    def changed_fields(self) -> list[tuple[str, str | None, str | None]]:
        """(field, old, new) for every field the request changes."""
        pairs = [(name, getattr(self, f"old_{name}"), getattr(self, f"new_{name}"))
                 for name in CHANGE_REQUEST_FIELDS]
        return [(name, old, new) for name, old, new in pairs if (old or None) != (new or None)]

    def __repr__(self) -> str:
        return f"<ChangeRequest {self.id} supplier={self.supplier_id} {self.status}>"
