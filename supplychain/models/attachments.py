"""Uploaded files (scans of pledges and certificates, corrective-action evidence): one safe store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

# Content types the store accepts, recognised by their first bytes (never by the file name).
CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg")


class Attachment(Base):
    """A stored file under a generated name outside the static folder; the original name is for display."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.original_name}>"


class AttachmentBlob(Base):
    """The bytes of an attachment when ATTACHMENT_STORAGE=database (several app servers share them)."""

    __tablename__ = "attachment_blobs"

    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
