"""Questionnaire campaigns (issue 11): a questionnaire version sent to a selection of suppliers with a due date.

A campaign belongs to the organisation that sends it; its recipients and their reminders are seen with it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, VersionedMixin, utcnow

# sending: the invitation job is running; open: invitations out, reminders go; closed: no more reminders.
CAMPAIGN_STATUSES = ("sending", "open", "closed")
# What happens to a HIGH-tier supplier that has not submitted by the due date.
CAMPAIGN_CONSEQUENCES = ("none", "corrective_action", "conditional", "suspended")
# How a reminder reached the supplier: its portal accounts (in the app, and by e-mail as each chose), only the
# e-mail addresses of its contacts, or nobody (no account, no address: recorded so procurement sees it).
REMINDER_CHANNELS = ("in_app", "email", "none")


class Campaign(VersionedMixin, TimestampMixin, Base):
    """A questionnaire version sent by one organisation to a selection of suppliers, due on a day."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)  # procurement's explanation, shown with the invitation
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("saq_questionnaires.id", ondelete="RESTRICT"))
    due_on: Mapped[date] = mapped_column(Date)
    # The selection as chosen: {"tier": "high", "category_id": 3, "organisation_id": 2, "region": "east",
    # "list": {"filename": "...", "codes": 120}}; shown on the campaign page.
    selection: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="sending", index=True)
    remind_before_days: Mapped[int] = mapped_column(Integer, default=7)
    remind_after_days: Mapped[int] = mapped_column(Integer, default=7)
    overdue_consequence: Mapped[str] = mapped_column(String(20), default="none")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("background_jobs.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the due date last moved: reminders sent before it no longer count for their stage (migration 0025).
    rescheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    questionnaire = relationship("Questionnaire")
    organisation = relationship("Organisation")
    created_by = relationship("User", foreign_keys=[created_by_id])
    job = relationship("BackgroundJob")

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.status} due {self.due_on}>"


class CampaignRecipient(Base):
    """One supplier of a campaign: when it was invited, the self-assessment it leads to, any consequence."""

    __tablename__ = "campaign_recipients"
    __table_args__ = (UniqueConstraint("campaign_id", "supplier_id", name="uq_campaign_recipients_campaign_supplier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("saq_responses.id", ondelete="SET NULL"), index=True)
    consequence: Mapped[str | None] = mapped_column(String(20))
    consequence_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship()
    supplier = relationship("Supplier")
    response = relationship("SaqResponse")


class CampaignReminder(Base):
    """A reminder sent to a recipient: when, by what channel, by whom (None: the scheduled command)."""

    __tablename__ = "campaign_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("campaign_recipients.id", ondelete="CASCADE"), index=True)
    # "before", "after-1", "after-2", … for scheduled reminders (one each), "manual" for "remind now".
    stage: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    recipient: Mapped[CampaignRecipient] = relationship()
    sent_by = relationship("User")
