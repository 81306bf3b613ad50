"""Invitations of supplier contacts to the self-assessment portal."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .supplier import Supplier

INVITATION_STATUSES = ("pending", "used", "revoked", "expired")


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive timestamps; every stored timestamp is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Invitation(Base):
    """A single-use, signed link that lets one contact create a portal account tied to one supplier."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # The new account may invite colleagues of the same supplier.
    grants_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Random part of the signed token: a link only works while it matches (so it can be revoked or used once).
    nonce: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    supplier: Mapped[Supplier] = relationship()

    def status_at(self, now: datetime) -> str:
        """"used", "revoked", "expired" or "pending" at a moment."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if _aware(self.expires_at) <= now:
            return "expired"
        return "pending"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} supplier={self.supplier_id}>"
