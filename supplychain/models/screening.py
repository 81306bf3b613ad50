"""Integrity screening of a supplier (DOMAIN "Admission review"): the national list of seriously
dishonest enterprises, the principal's bribery record and a refusal to sign the integrity pledge,
as checked on a day by someone."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class IntegrityScreening(Base):
    """One check; the latest one on or before an evaluation's date feeds its red lines."""

    __tablename__ = "integrity_screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    # 严重违法失信名单 (national list of seriously dishonest enterprises)
    on_dishonest_list: Mapped[bool] = mapped_column(Boolean, default=False)
    # 行贿犯罪记录 of the legal representative / principal
    principal_bribery_conviction: Mapped[bool] = mapped_column(Boolean, default=False)
    # The supplier refused to sign the integrity pledge (廉洁承诺书): a red line until it signs one.
    integrity_pledge_refused: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_on: Mapped[date] = mapped_column(Date, index=True)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where it was checked (e.g. "信用中国", court judgement search) and what was found.
    source: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    checked_by = relationship("User", foreign_keys=[checked_by_id])

    @property
    def clear(self) -> bool:
        """None of the findings: the screening raises no red line."""
        return not (self.on_dishonest_list or self.principal_bribery_conviction
                    or self.integrity_pledge_refused)
