"""Integrity pledges and their versioned templates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, SoftDeleteMixin, VersionedMixin, deleted_rows_index, utcnow
from .supplier import Supplier

# 廉洁承诺书, 廉政责任书, 反商业贿赂承诺书, 供应商行为准则, 保障农民工工资支付协议 (DOMAIN.md).
PLEDGE_KINDS = ("integrity", "clean_government", "anti_bribery", "code_of_conduct", "wage_guarantee")
PLEDGE_METHODS = ("paper", "portal")


class PledgeTemplate(VersionedMixin, Base):
    """One version of a pledge text, in Chinese and English; what was signed never changes afterwards."""

    __tablename__ = "pledge_templates"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_pledge_templates_kind_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    effective_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<PledgeTemplate {self.kind} v{self.version}>"


class IntegrityPledge(SoftDeleteMixin, VersionedMixin, Base):
    """A pledge a supplier signed: on paper (scan uploaded) or in the portal."""

    __tablename__ = "integrity_pledges"
    __table_args__ = (deleted_rows_index("integrity_pledges"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # The organisation of the group that made this record (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # three values: no index (migration 0034)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("pledge_templates.id"), index=True)
    signatory_name: Mapped[str] = mapped_column(String(100))
    signatory_title: Mapped[str | None] = mapped_column(String(100))
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)  # renewals due (inbox, reminders)
    method: Mapped[str] = mapped_column(String(10), default="paper")
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    # Portal signatures: when, from where, with what; text_sha256 proves which text was signed.
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    # "supplier:template:day" of a portal signature: a repeated submit is the same signature (issue 14).
    signature_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    template: Mapped[PledgeTemplate | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()

    def valid_on(self, day: date) -> bool:
        """Signed on or before the day and not past its validity."""
        return self.signed_on <= day and (self.valid_until is None or self.valid_until >= day)

    def __repr__(self) -> str:
        return f"<IntegrityPledge {self.id} {self.kind} supplier={self.supplier_id}>"
