"""How inherent risk tiers are computed (issue 11, part 1): factor weights, tier thresholds, region risk.

Admins edit these; the pure scoring in ``services/risk/tiers.py`` reads them as plain values.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, TimestampMixin, VersionedMixin

RISK_LEVELS = ("high", "medium", "low")
RISK_FACTORS = ("category", "region", "spend_share", "single_source", "incidents", "expired_licences")
# Points per factor out of 100, and the scores from which a supplier is high or medium risk.
DEFAULT_WEIGHTS = {"category": 25, "region": 10, "spend_share": 15, "single_source": 15, "incidents": 20,
                   "expired_licences": 15}
DEFAULT_HIGH_FROM = 40
DEFAULT_MEDIUM_FROM = 20


class RiskScoring(VersionedMixin, TimestampMixin, Base):
    """The one row of factor weights (adding up to 100) and tier thresholds."""

    __tablename__ = "risk_scoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    weight_category: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["category"])
    weight_region: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["region"])
    weight_spend_share: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["spend_share"])
    weight_single_source: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["single_source"])
    weight_incidents: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["incidents"])
    weight_expired_licences: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEIGHTS["expired_licences"])
    high_from: Mapped[int] = mapped_column(Integer, default=DEFAULT_HIGH_FROM)
    medium_from: Mapped[int] = mapped_column(Integer, default=DEFAULT_MEDIUM_FROM)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def weights(self) -> dict[str, int]:
        """Points per factor, by factor name."""
        return {factor: getattr(self, f"weight_{factor}") for factor in RISK_FACTORS}


class RegionRisk(VersionedMixin, TimestampMixin, Base):
    """The risk level an admin gives a reporting region (north … overseas) or one country (ISO code)."""

    __tablename__ = "region_risks"

    # A region key of supplychain.regions (lower case) or an ISO 3166 country code (upper case).
    area: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[str] = mapped_column(String(6))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
