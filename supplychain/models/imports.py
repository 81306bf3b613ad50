"""Imports (issue 15): column mappings remembered per template name, past evaluations brought over."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ImportMapping(Base):
    """A named mapping of header texts (folded, see importing.columns.header_key) to field names.

    ``kind`` says which import it belongs to (suppliers, or an evidence kind); the next file of the
    same template is read with it, so the user maps a platform's odd columns once.
    """

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_import_mappings_kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    def __repr__(self) -> str:
        return f"<ImportMapping {self.kind} {self.name}>"


class EvaluationHistory(Base):
    """A past evaluation brought over from before the system (issue 15): its period, grade and total exactly
    as the old records state them. Shown as imported, never recomputed, and not a scored Evaluation."""

    __tablename__ = "evaluation_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    grade: Mapped[str | None] = mapped_column(String(40))
    total: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(300))  # the file it came from
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<EvaluationHistory {self.supplier_id} {self.period} {self.grade}>"
