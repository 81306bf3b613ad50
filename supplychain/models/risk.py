"""Risk-based due diligence (issue 11): the inherent risk tier of each supplier and what each tier asks for.

The tier lives in its own table, not on the supplier: a recompute must never bump the supplier's optimistic
lock under someone editing its record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, VersionedMixin, utcnow

RISK_TIERS = ("high", "medium", "low")
SUPPLIER_TYPES = ("manufacturer", "distributor", "service", "contractor")


class SupplierRisk(Base):
    """The latest computed inherent risk of one supplier: tier, score and each factor's contribution."""

    __tablename__ = "supplier_risks"

    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True)
    tier: Mapped[str] = mapped_column(String(6), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # [{"factor": "category", "points": 30.0, "reason": "..."}, ...], in the order shown on the supplier page.
    factors: Mapped[list] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier = relationship("Supplier")


class RiskTierSetting(VersionedMixin, TimestampMixin, Base):
    """What a tier asks for: the questionnaire version sent to it, how often it is audited and re-screened."""

    __tablename__ = "risk_tier_settings"

    tier: Mapped[str] = mapped_column(String(6), primary_key=True)
    questionnaire_id: Mapped[int | None] = mapped_column(ForeignKey("saq_questionnaires.id", ondelete="SET NULL"))
    audit_interval_months: Mapped[int | None] = mapped_column(Integer)
    rescreen_interval_months: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    questionnaire = relationship("Questionnaire")
