"""Test data of questionnaire campaigns (issue 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from supplychain import clock
from supplychain.models import Campaign, CampaignRecipient, Questionnaire
from tests.factories import gen_root

INVITED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def gen_campaign(session, questionnaire: Questionnaire, suppliers: list, organisation=None,
                 due_on: date | None = None, status: str = "open", invited: bool = True,
                 consequence: str = "none", **overrides) -> Campaign:
    """A campaign of `organisation` (default: the root) to these suppliers, invited unless asked otherwise."""
    campaign = Campaign(organisation_id=(organisation or gen_root(session)).id,
                        title=overrides.pop("title", "2026 ESG 问卷"), questionnaire_id=questionnaire.id,
                        due_on=due_on or clock.today() + timedelta(days=30), selection={}, status=status,
                        remind_before_days=overrides.pop("remind_before_days", 7),
                        remind_after_days=overrides.pop("remind_after_days", 7),
                        overdue_consequence=consequence, **overrides)
    session.add(campaign)
    session.flush()
    for supplier in suppliers:
        session.add(CampaignRecipient(campaign_id=campaign.id, supplier_id=supplier.id,
                                      invited_at=INVITED_AT if invited else None))
    session.flush()
    return campaign
