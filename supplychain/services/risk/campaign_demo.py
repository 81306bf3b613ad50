"""The demo's questionnaire campaign (issue 11): the group asks its suppliers of one region, the demo supplier
among them, to answer the shipped questionnaire within three weeks; invited at once, one reminder sent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import clock, scope
from supplychain.errors import ValidationFailed
from supplychain.models import Campaign, CampaignRecipient, Supplier
from supplychain.services.evidence import saq
from supplychain.services.risk import campaign_reminders, campaign_selection, campaigns

TITLE = "2026 年度供应商 ESG 自评问卷（西南地区）"


def load(session: Session, today: date, featured: Supplier | None = None) -> Campaign | None:
    """Create and send the demo campaign once (None when one exists or nothing can be sent)."""
    if session.scalar(select(func.count(Campaign.id))):
        return None
    questionnaire = saq.current(session)
    top = scope.root(session)
    if questionnaire is None or top is None:
        return None
    region = featured.region if featured is not None else "southwest"
    data = campaigns.CampaignData(title=TITLE, questionnaire_id=questionnaire.id, due_on=today + timedelta(days=21),
                                  organisation_id=top.id, overdue_consequence="corrective_action")
    try:
        campaign = campaigns.create(session, data, campaign_selection.Selection(region=region), [], None, today)
    except ValidationFailed:
        return None
    now = clock.now()
    ids = list(session.scalars(select(CampaignRecipient.id).where(CampaignRecipient.campaign_id == campaign.id)))
    campaigns.invite(session, campaign, ids, now)
    campaign.status = "open"
    session.flush()
    # The buyer already nudged the first few suppliers once.
    first = session.scalars(select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign.id)
                            .order_by(CampaignRecipient.id).limit(3)).all()
    if first:
        campaign_reminders.send(session, campaign, [(r, r.supplier) for r in first], "manual",
                                f"campaign:{campaign.id}:demo", None, today, now)
    return campaign
