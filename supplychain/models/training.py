"""Training sessions offered to suppliers, and who attended."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, SoftDeleteMixin, VersionedMixin, deleted_rows_index, utcnow
from .supplier import Supplier

# "induction": a project site's safety induction of a contractor's workers (入场安全教育; issue 11).
TRAINING_TOPICS = ("esg", "safety", "environment", "anti_corruption", "labour_rights", "quality", "induction",
                   "other")
# Topics that count as supplier social-responsibility/ESG training in the disclosure (a site induction is safety
# training of the contractor's workers).
ESG_TOPICS = ("esg", "safety", "environment", "anti_corruption", "labour_rights", "induction")
TRAINING_MODES = ("onsite", "online")


class TrainingSession(SoftDeleteMixin, VersionedMixin, Base):
    """A training session for suppliers."""

    __tablename__ = "training_sessions"
    __table_args__ = (deleted_rows_index("training_sessions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(20), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(10), default="onsite")
    organiser: Mapped[str | None] = mapped_column(String(200))
    # The organisation of the group that organised the session (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attendances: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="TrainingAttendance.id"
    )

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.held_on} {self.title}>"


class TrainingAttendance(Base):
    """One supplier's attendance at a session: how many people, who, whether they completed it."""

    __tablename__ = "training_attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "supplier_id", name="uq_training_attendances_session_supplier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by uq_training_attendances_session_supplier, which starts with it (migration 0034).
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    names: Mapped[str | None] = mapped_column(Text)
    completed: Mapped[bool] = mapped_column(Boolean, default=True)

    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    supplier: Mapped[Supplier] = relationship()
