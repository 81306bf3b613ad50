"""Stored scoring schemes: every save of a scheme is a new, immutable version (issue 4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .supplier import SupplyCategory


class SchemeVersion(Base):
    """One saved version of a scheme; the latest version of a code is the one new evaluations use.

    ``code`` names the scheme line ("periodic.default", "admission.equipment"); a scheme with a
    category applies to evaluations in that supply category, the default (no category) to the rest.
    ``definition`` is supplychain.scoring.serialize.scheme_to_dict output with this version number.
    """

    __tablename__ = "scheme_versions"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_scheme_versions_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("supply_categories.id", ondelete="RESTRICT"), index=True
    )
    # A subsidiary's own scheme applies to its subtree; none means the group's scheme.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    definition: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category: Mapped[SupplyCategory | None] = relationship(lazy="joined")
    organisation = relationship("Organisation", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<SchemeVersion {self.code} v{self.version}>"
