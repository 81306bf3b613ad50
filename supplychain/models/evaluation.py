"""Admission and periodic evaluations, their approvals, and the annual supplier certificates (issue 4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .scheme import SchemeVersion
from .supplier import Supplier, SupplyCategory

EVALUATION_KINDS = ("admission", "periodic")
PERIOD_TYPES = ("year", "half", "quarter")
# draft → submitted (approval levels 1..n) → final; rejection sends it back to draft; drafts can be cancelled.
EVALUATION_STATUSES = ("draft", "submitted", "final", "cancelled")
TRIAL_OUTCOMES = ("passed", "failed")
CERTIFICATE_KINDS = ("excellent", "qualified")


class Evaluation(TimestampMixin, Base):
    """One evaluation of one supplier with one scheme version.

    Manual scores are edited while it is a draft. On submission the facts are loaded as of
    ``as_of`` and frozen with the scheme and the manual scores in ``snapshot``; the figures in
    ``result`` are computed from that snapshot, so approvers approve exactly what they see and a
    final evaluation regenerates the same figures later. ``version_id`` is the optimistic lock.
    """

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    # The organisation of the group that made this record (scope and reporting boundary).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="RESTRICT"),
                                             index=True)
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("scheme_versions.id", ondelete="RESTRICT"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Periodic evaluations cover a period; admission evaluations have none.
    period_type: Mapped[str | None] = mapped_column(String(10))
    period_year: Mapped[int | None] = mapped_column(Integer, index=True)
    period_index: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    manual_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    manual_notes: Mapped[dict] = mapped_column(JSON, default=dict)
    # Everyone who created, scored or submitted it: none of them may approve it.
    editor_ids: Mapped[list] = mapped_column(JSON, default=list)
    as_of: Mapped[date | None] = mapped_column(Date)
    required_levels: Mapped[int] = mapped_column(Integer, default=3)
    approved_levels: Mapped[int] = mapped_column(Integer, default=0)
    # Counts submissions: approvals belong to a round; a rejection starts a new one on resubmission.
    round: Mapped[int] = mapped_column(Integer, default=0)
    rejection_comment: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(40), index=True)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    social_non_compliance: Mapped[bool] = mapped_column(Boolean, default=False)
    # What final approval did to the supplier: trial, qualified, rejected, certificate, corrective_actions,
    # suspended, exited (the KPI table counts "rejected" + social_non_compliance).
    outcome: Mapped[str | None] = mapped_column(String(40), index=True)
    trial_outcome: Mapped[str | None] = mapped_column(String(10))
    trial_recorded_on: Mapped[date | None] = mapped_column(Date)
    trial_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}

    supplier: Mapped[Supplier] = relationship(lazy="joined")
    category: Mapped[SupplyCategory] = relationship(lazy="joined")
    scheme_version: Mapped[SchemeVersion] = relationship(lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approvals: Mapped[list[EvaluationApproval]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan",
        order_by="(EvaluationApproval.round, EvaluationApproval.level, EvaluationApproval.id)",
    )

    @property
    def next_level(self) -> int | None:
        """The approval level awaited (1-based) while submitted, else None."""
        return self.approved_levels + 1 if self.status == "submitted" else None

    def __repr__(self) -> str:
        return f"<Evaluation {self.id} {self.kind} {self.status}>"


class EvaluationApproval(Base):
    """One approval decision at one level of one submission round."""

    __tablename__ = "evaluation_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))  # approved | rejected
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="approvals")
    approver = relationship("User", foreign_keys=[approver_id])


class AnnualCertificate(TimestampMixin, Base):
    """The annual Qualified / Excellent Supplier certificate (年度合格/优秀供应商证书).

    One per supplier and year; a later final periodic evaluation of the same year updates it, and
    a Conditional or Unqualified one revokes it.
    """

    __tablename__ = "annual_certificates"
    __table_args__ = (UniqueConstraint("supplier_id", "year", name="uq_annual_certificates_supplier_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    certificate_number: Mapped[str] = mapped_column(String(40), unique=True)
    # Who the certificate was issued to, as written that day: a later change of name or credit code
    # never rewrites a past certificate (issue 13, D18).
    supplier_name_zh: Mapped[str | None] = mapped_column(String(200))
    supplier_name_en: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    supplier: Mapped[Supplier] = relationship(lazy="joined")
    evaluation: Mapped[Evaluation | None] = relationship()
