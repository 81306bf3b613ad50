"""Certificates and licences of a supplier, with their verification."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, SoftDeleteMixin, VersionedMixin, deleted_rows_index, utcnow
from .supplier import Supplier
from .user import User

CERT_TYPES = (
    "iso9001", "iso14001", "iso45001", "iso50001", "iso27001", "iso14064", "iatf16949", "sa8000",
    "production_licence", "safety_production_licence", "pollutant_permit", "other",
)
# How a certificate was checked: the original seen, the issuer's register, the national CNCA register, other.
VERIFICATION_METHODS = ("original_seen", "issuer_register", "cnca_register", "other")


class Certification(SoftDeleteMixin, VersionedMixin, Base):
    """A certificate (ISO …) or licence with its number, body, scope and validity."""

    __tablename__ = "certifications"
    __table_args__ = (deleted_rows_index("certifications"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    cert_type: Mapped[str] = mapped_column(String(40), index=True)
    other_name: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_on: Mapped[date | None] = mapped_column(Date)
    verification_method: Mapped[str | None] = mapped_column(String(30))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    attachment: Mapped[Attachment | None] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def verified(self) -> bool:
        """Someone checked the certificate against the original or a register."""
        return self.verified_on is not None

    def __repr__(self) -> str:
        return f"<Certification {self.id} {self.cert_type} {self.number}>"
