"""Audits and inspections at suppliers (issue 11, part 3): checklist templates, audits and their findings.

A checklist template is never changed in place: editing it stores a new version, and an audit keeps the
version it was held against, so a past audit's checklist and score read the same years later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, VersionedMixin, utcnow
from .incidents import INCIDENT_SEVERITIES, CorrectiveAction
from .supplier import Supplier

AUDIT_KINDS = ("admission_visit", "periodic", "unannounced", "third_party", "site_hse")
# planned: not held yet; held: the actual date is in, corrective actions may be pending; closed: every
# corrective action of its findings verified.
AUDIT_STATUSES = ("planned", "held", "closed")
CHECKLIST_RESULTS = ("pass", "fail", "na")
FINDING_SEVERITIES = INCIDENT_SEVERITIES
FINDING_DIMENSIONS = ("environmental", "social")
FINDING_IMPACTS = ("actual", "potential")
# GRI 308-2 / 414-2 (b): a finding this severe is a significant negative impact.
SIGNIFICANT_FINDING_SEVERITIES = ("major", "critical")

audit_finding_attachments = Table(
    "audit_finding_attachments",
    Base.metadata,
    Column("finding_id", ForeignKey("audit_findings.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True),
)


class ChecklistTemplate(Base):
    """One version of an audit checklist; ``code`` names the checklist across its versions."""

    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_checklist_templates_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[ChecklistItem]] = relationship(order_by="ChecklistItem.position",
                                                      cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<ChecklistTemplate {self.code} v{self.version}>"


class ChecklistItem(Base):
    """One question of a checklist version, answered pass, fail or not applicable."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))


class Audit(VersionedMixin, Base):
    """An audit or inspection of a supplier: kind, planned and actual dates, auditors, checklist and score."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # The organisation of the group that made this record (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"),
                                                        index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    actual_on: Mapped[date | None] = mapped_column(Date, index=True)
    auditors: Mapped[str] = mapped_column(String(300))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_templates.id", ondelete="RESTRICT"))
    # {"<item id>": "pass" | "fail" | "na"}: the answers against the template version above.
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="planned", index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    organisation = relationship("Organisation")
    template: Mapped[ChecklistTemplate | None] = relationship()
    findings: Mapped[list[AuditFinding]] = relationship(back_populates="audit", order_by="AuditFinding.id")

    def __repr__(self) -> str:
        return f"<Audit {self.id} {self.kind} {self.status}>"


class AuditFinding(VersionedMixin, Base):
    """A finding of an audit: severity, environmental or social, actual or potential impact, photos or reports."""

    __tablename__ = "audit_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    # Copied from the audit, so the finding follows the same scope and reporting boundary.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"),
                                                        index=True)
    severity: Mapped[str] = mapped_column(String(10), index=True)
    dimension: Mapped[str] = mapped_column(String(15), index=True)
    impact: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    # The corrective action opened for it (automatically at or above the configured severity).
    corrective_action_id: Mapped[int | None] = mapped_column(ForeignKey("corrective_actions.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship(back_populates="findings")
    corrective_action: Mapped[CorrectiveAction | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(secondary=audit_finding_attachments,
                                                         order_by="Attachment.id")

    @property
    def significant(self) -> bool:
        """A major or critical finding: a significant negative impact (GRI 308-2 / 414-2 b)."""
        return self.severity in SIGNIFICANT_FINDING_SEVERITIES

    def __repr__(self) -> str:
        return f"<AuditFinding {self.id} {self.dimension}/{self.severity}>"
