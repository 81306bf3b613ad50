"""Campaign reminders and the consequence for overdue HIGH-tier suppliers (issue 11).

``flask campaigns remind`` (for cron, daily) reminds every recipient of an open campaign that has not
submitted: once ``remind_before_days`` before the due date, then every ``remind_after_days`` after it. Each
reminder is a notification (nobody told twice per stage) and a CampaignReminder row: who, when, which channel,
sent by whom (None: the scheduled command). "Remind now" on the campaign page does the same at once.

After the due date, each HIGH-tier recipient that has not submitted gets the campaign's consequence once: a
corrective action of the sending organisation, or a status (conditional or suspended) with its reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import (
    Campaign,
    CampaignRecipient,
    CampaignReminder,
    CorrectiveAction,
    Supplier,
    SupplierRisk,
    User,
)
from supplychain.services.core import audit
from supplychain.services.registry import suppliers as supplier_service
from supplychain.services.risk import campaign_notices
from supplychain.services.risk.campaigns import link_responses, waiting_recipients

log = logging.getLogger(__name__)


def stage_on(due_on: date, today: date, before_days: int, after_days: int) -> str | None:
    """The scheduled reminder due today, if any: "before" within ``before_days`` of the due date, then
    "after-1", "after-2", … each ``after_days`` after it (0 days switches either off)."""
    if today <= due_on:
        return "before" if before_days and (due_on - today).days <= before_days else None
    if not after_days:
        return None
    step = (today - due_on).days // after_days
    return f"after-{step}" if step >= 1 else None


def send(session: Session, campaign: Campaign, rows: list[tuple[CampaignRecipient, Supplier]], stage: str,
          key: str, actor: User | None, today: date, now: datetime) -> int:
    """Tell the rows' suppliers under one notification key and record one reminder per recipient (sent by
    ``actor``, None for the schedule); returns the reminders recorded."""
    if not rows:
        return 0
    targets = campaign_notices.targets_by_supplier(session, [supplier.id for _, supplier in rows])
    texts = {supplier.id: campaign_notices.reminder_text(campaign, supplier, today) for _, supplier in rows}
    campaign_notices.tell(session, "campaign_reminder", key, texts, targets, now)
    session.add_all([CampaignReminder(recipient_id=recipient.id, stage=stage, channel=targets[supplier.id].channel,
                                      sent_at=now, sent_by_id=getattr(actor, "id", None))
                     for recipient, supplier in rows])
    session.flush()
    return len(rows)


def remind_campaign(session: Session, campaign: Campaign, today: date, now: datetime) -> int:
    """Send the scheduled reminder due today to each recipient not yet reminded at this stage."""
    stage = stage_on(campaign.due_on, today, campaign.remind_before_days, campaign.remind_after_days)
    if stage is None or campaign.status != "open":
        return 0
    link_responses(session, campaign)
    sent = (select(CampaignReminder.recipient_id)
            .join(CampaignRecipient, CampaignRecipient.id == CampaignReminder.recipient_id)
            .where(CampaignRecipient.campaign_id == campaign.id, CampaignReminder.stage == stage))
    key = f"campaign:{campaign.id}:{stage}"
    if campaign.rescheduled_at is not None:
        # The due date moved: the stages count from the new date, reminders sent before it do not count.
        sent = sent.where(CampaignReminder.sent_at >= campaign.rescheduled_at)
        key = f"{key}:{campaign.rescheduled_at:%Y%m%d%H%M%S}"
    already = set(session.scalars(sent))
    rows = [(r, s) for r, s in waiting_recipients(session, campaign) if r.id not in already]
    return send(session, campaign, rows, stage, key, None, today, now)


def remind_now(session: Session, campaign: Campaign, actor: User | None, today: date, now: datetime) -> int:
    """Remind every recipient that has not submitted, at once (the campaign page's button); audited."""
    if campaign.status != "open":
        raise ValidationFailed({"campaign": [_closed_or_sending(campaign)]})
    link_responses(session, campaign)
    rows = waiting_recipients(session, campaign)
    sent = send(session, campaign, rows, "manual", f"campaign:{campaign.id}:manual:{now.isoformat()}", actor,
                 today, now)
    audit.record(session, actor, "remind", "campaign", campaign.id, {"reminded": [None, sent]})
    return sent


def _closed_or_sending(campaign: Campaign):
    if campaign.status == "sending":
        return _l("The invitations are still being sent; remind them afterwards.")
    return _l("This campaign is closed.")


@dataclass
class RemindResult:
    """What one run of the reminders did."""

    campaigns: int = 0
    reminders: int = 0
    consequences: int = 0


def open_campaigns(session: Session) -> list[Campaign]:
    """The campaigns whose reminders and consequences still run."""
    return list(session.scalars(select(Campaign).where(Campaign.status == "open").order_by(Campaign.id)))


def remind_all(session: Session, today: date, now: datetime, corrective_action_days: int,
               consequences: bool = True) -> RemindResult:
    """The daily run: reminders due today in every open campaign, then the overdue consequences."""
    result = RemindResult()
    for campaign in open_campaigns(session):
        result.campaigns += 1
        result.reminders += remind_campaign(session, campaign, today, now)
        if consequences:
            result.consequences += apply_consequences(session, campaign, today, now, corrective_action_days)
    return result


def overdue_high_tier(session: Session, campaign: Campaign, today: date) -> list[tuple[CampaignRecipient, Supplier]]:
    """HIGH-tier recipients past the due date without a submitted self-assessment and without a consequence yet."""
    if today <= campaign.due_on:
        return []
    high = set(session.scalars(select(SupplierRisk.supplier_id).join(
        CampaignRecipient, CampaignRecipient.supplier_id == SupplierRisk.supplier_id)
        .where(CampaignRecipient.campaign_id == campaign.id, SupplierRisk.tier == "high")))
    return [(r, s) for r, s in waiting_recipients(session, campaign) if s.id in high and r.consequence is None]


def apply_consequences(session: Session, campaign: Campaign, today: date, now: datetime,
                       corrective_action_days: int, actor: User | None = None) -> int:
    """Apply the campaign's consequence to each overdue HIGH-tier recipient, once; returns how many got it."""
    if campaign.overdue_consequence == "none" or campaign.status != "open":
        return 0
    link_responses(session, campaign)
    applied = 0
    for recipient, supplier in overdue_high_tier(session, campaign, today):
        try:
            with session.begin_nested():  # one supplier the rules refuse does not stop the others
                _apply(session, campaign, recipient, supplier, actor, today, now, corrective_action_days)
        except ValidationFailed as failed:
            log.warning("campaign %s: no consequence for supplier %s: %s", campaign.id, supplier.id, failed.errors)
            continue
        applied += 1
    session.flush()
    return applied


def _apply(session: Session, campaign: Campaign, recipient: CampaignRecipient, supplier: Supplier,
           actor: User | None, today: date, now: datetime, corrective_action_days: int) -> None:
    if campaign.overdue_consequence == "corrective_action":
        _open_action(session, campaign, supplier, actor, today, corrective_action_days)
    elif supplier.status != campaign.overdue_consequence and supplier.status not in ("exited", "blacklisted",
                                                                                       "rejected", "suspended"):
        reason = (f"问卷活动「{campaign.title}」逾期未提交（截止 {campaign.due_on.isoformat()}，高风险供应商） / "
                  f"questionnaire campaign \"{campaign.title}\" not submitted by {campaign.due_on.isoformat()} "
                  "(high-risk supplier)")
        supplier_service.change_status(session, supplier, campaign.overdue_consequence, reason, actor, today=today)
    recipient.consequence, recipient.consequence_at = campaign.overdue_consequence, now
    audit.record(session, actor, "consequence", "campaign", campaign.id,
                 {"consequence": [None, campaign.overdue_consequence]}, supplier_id=supplier.id)
    session.flush()


def _open_action(session: Session, campaign: Campaign, supplier: Supplier, actor: User | None, today: date,
                 days: int) -> CorrectiveAction:
    questionnaire = campaign.questionnaire
    text = (f"提交问卷《{questionnaire.title_zh}》：问卷活动「{campaign.title}」已于 {campaign.due_on.isoformat()} "
            f"逾期。 / Submit the questionnaire \"{questionnaire.title_en}\": the campaign \"{campaign.title}\" "
            f"was due on {campaign.due_on.isoformat()}.")
    owner = supplier.contacts[0].name if supplier.contacts else supplier.name_zh
    action = CorrectiveAction(supplier_id=supplier.id, organisation_id=campaign.organisation_id, action=text,
                              owner=owner[:100], due_on=today + timedelta(days=days), status="open",
                              created_by_id=getattr(actor, "id", None))
    session.add(action)
    session.flush()
    audit.record(session, actor, "create", "corrective_action", action.id,
                 {"due_on": [None, action.due_on.isoformat()], "campaign_id": [None, campaign.id]},
                 supplier_id=supplier.id, note=action.action)
    return action
