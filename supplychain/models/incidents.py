"""Incidents at suppliers and the corrective actions (整改) they require."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, SoftDeleteMixin, VersionedMixin, deleted_rows_index, utcnow
from .supplier import Supplier

INCIDENT_CATEGORIES = ("environmental", "labour", "safety", "ethics", "quality")
INCIDENT_SEVERITIES = ("minor", "major", "critical")
INCIDENT_STATUSES = ("open", "closed")
# GRI 308-2 (environmental) and 414-2 (social): which categories count as which impact.
ENVIRONMENTAL_CATEGORIES = ("environmental",)
SOCIAL_CATEGORIES = ("labour", "safety", "ethics")
SIGNIFICANT_SEVERITIES = ("major", "critical")
# Stored statuses; "overdue" is derived from due_on for anything not yet verified.
ACTION_STATUSES = ("open", "submitted", "verified")
ACTION_DISPLAY_STATUSES = ("open", "submitted", "verified", "overdue")


class Incident(SoftDeleteMixin, VersionedMixin, Base):
    """Something that went wrong at a supplier: environmental, labour, safety, ethics or quality."""

    __tablename__ = "incidents"
    __table_args__ = (deleted_rows_index("incidents"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # The organisation of the group that made this record (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[str] = mapped_column(String(10), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    actions: Mapped[list[CorrectiveAction]] = relationship(
        back_populates="incident", order_by="CorrectiveAction.id"
    )

    @property
    def significant(self) -> bool:
        """A major or critical social or environmental incident (GRI 308-2 / 414-2)."""
        impact = self.category in ENVIRONMENTAL_CATEGORIES + SOCIAL_CATEGORIES
        return impact and self.severity in SIGNIFICANT_SEVERITIES

    def __repr__(self) -> str:
        return f"<Incident {self.id} {self.category}/{self.severity}>"


class CorrectiveAction(SoftDeleteMixin, VersionedMixin, Base):
    """A corrective action with an owner and a deadline, verified with evidence."""

    __tablename__ = "corrective_actions"
    __table_args__ = (deleted_rows_index("corrective_actions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # The organisation of the group that made this record (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    # An evaluation finding (issue 4 adds the evaluations table and the foreign key).
    evaluation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    # Who answered the action (a buyer or the supplier's portal user): they may not verify it (issue 13).
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submission_note: Mapped[str | None] = mapped_column(Text)
    evidence_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    verification_note: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    incident: Mapped[Incident | None] = relationship(back_populates="actions")
    evidence: Mapped[Attachment | None] = relationship()
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    def status_on(self, day: date) -> str:
        """The stored status, or "overdue" when the deadline passed before verification."""
        if self.status != "verified" and self.due_on < day:
            return "overdue"
        return self.status

    def __repr__(self) -> str:
        return f"<CorrectiveAction {self.id} {self.status} due {self.due_on}>"
