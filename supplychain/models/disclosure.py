"""What a report editor enters beside the computed disclosure: baselines, restatements and targets (issue 12)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, VersionedMixin, utcnow

# baseline: a figure of a year before the system was in use, typed in with its source;
# restatement: a computed figure corrected after publication, with a reason; target: the year's target.
DISCLOSURE_FIGURE_KINDS = ("baseline", "restatement", "target")


class DisclosureFigure(VersionedMixin, Base):
    """One entered figure of one year for one boundary (organisation; none: the whole group)."""

    __tablename__ = "disclosure_figures"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "code", "kind", name="uq_disclosure_figures_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    source: Mapped[str | None] = mapped_column(Text)  # where a baseline comes from (e.g. the 2019 ESG report)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was entered or restated
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_by: Mapped[str] = mapped_column(String(200))  # who entered it, as named (a user or the CLI operator)
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<DisclosureFigure {self.year} {self.code} {self.kind}>"


class SupplyChainPolicy(VersionedMixin, Base):
    """A supply-chain policy of the group's register: title, number, issuing organisation, effective date, file,
    and when it was repealed or superseded (end date, the policy superseding it)."""

    __tablename__ = "supply_chain_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(100))  # the document number, e.g. 集团采〔2023〕12号
    effective_on: Mapped[date] = mapped_column(Date)
    # Repealed or superseded: the last day it was in force (none: still in force), and the policy replacing it.
    ended_on: Mapped[date | None] = mapped_column(Date)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("supply_chain_policies.id", ondelete="SET NULL"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DisclosureNarrative(VersionedMixin, Base):
    """An editor's narrative of one section, year, language and boundary, replacing the drafted one."""

    __tablename__ = "disclosure_narratives"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "section", "language", name="uq_disclosure_narratives_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    section: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))  # zh or en (zh_Hant is converted from zh)
    text: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DisclosurePublication(VersionedMixin, Base):
    """The figures of one year and boundary as they were published: a later change shows up against them."""

    __tablename__ = "disclosure_publications"
    __table_args__ = (UniqueConstraint("organisation_id", "year", name="uq_disclosure_publications_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict] = mapped_column(JSON)  # code → the value printed (a number, or null for "—")
    published_by: Mapped[str] = mapped_column(String(200))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
