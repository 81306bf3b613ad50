"""External screening of a supplier (issue 11 part 4; DOMAIN "Admission review", "Identifying risks"): one
result per supplier, per list, per check, with its date, source reference, who checked and the screenshot
or PDF of what was found. The lists and their results are in supplychain.screening_lists."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class ScreeningResult(Base):
    """One check of one supplier against one list; the latest one per list on or before a day counts.

    A check is never edited: a later check (or a correction) is a new result, so the history stays.
    """

    __tablename__ = "screening_results"
    __table_args__ = (Index("ix_screening_results_supplier_list_checked", "supplier_id", "list_code", "checked_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    list_code: Mapped[str] = mapped_column(String(30))
    checked_on: Mapped[date] = mapped_column(Date, index=True)
    # "clear" / "listed", or the colour of the environmental credit rating.
    result: Mapped[str] = mapped_column(String(20))
    # Where it was checked: the site and the record's number or URL (e.g. "信用中国 2026-11-20 查询").
    source_reference: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    checked_by = relationship("User", foreign_keys=[checked_by_id])
    attachment = relationship("Attachment")

    def __repr__(self) -> str:
        return f"<ScreeningResult {self.id} {self.list_code}={self.result} supplier={self.supplier_id}>"
