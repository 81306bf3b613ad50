"""The blacklist (黑名单): suppliers and credit codes refused for serious misconduct."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, VersionedMixin, utcnow
from .supplier import Supplier

BLACKLIST_REASONS = (
    "bid_rigging", "bribery", "illegal_labour", "environmental_incident", "fraud", "quality_failure", "other",
)
# Reasons that make a termination one "for social-responsibility non-compliance" in the disclosure KPIs.
SOCIAL_REASONS = ("bid_rigging", "bribery", "illegal_labour", "environmental_incident", "fraud")


class BlacklistEntry(VersionedMixin, Base):
    """A blacklisting decision by credit code and/or supplier; lifted entries stay for the record."""

    __tablename__ = "blacklist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # The company name as decided, for entries about companies that never registered.
    company_name: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    since_on: Mapped[date] = mapped_column(Date, index=True)
    until_on: Mapped[date | None] = mapped_column(Date)
    # Social, environmental or ethical reason: the supplier counts as terminated for social-responsibility
    # non-compliance on terminated_on (only when a registered supplier was terminated by this entry).
    social_noncompliance: Mapped[bool] = mapped_column(Boolean, default=False)
    terminated_on: Mapped[date | None] = mapped_column(Date, index=True)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier | None] = relationship()

    def active_on(self, day: date) -> bool:
        """In force on the day: started, not lifted, not past its end date."""
        if self.lifted_at is not None or self.since_on > day:
            return False
        return self.until_on is None or self.until_on >= day

    def __repr__(self) -> str:
        return f"<BlacklistEntry {self.id} {self.credit_code or self.supplier_id} {self.reason}>"
