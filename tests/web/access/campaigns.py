"""Questionnaire campaigns: staff read them, procurement and admins create, remind and close; a supplier
starts only its own invitation (another supplier's is "not found")."""

from __future__ import annotations

from sqlalchemy import select

from supplychain.models import CampaignRecipient
from tests.campaign_factories import gen_campaign
from tests.factories import gen_supplier
from tests.portal_factories import MINIMAL, gen_questionnaire
from tests.web.access import EDITORS, ROLES, STAFF, allow

NOT_MINE = {role: 302 if role == "anonymous" else 403 for role in ROLES} | {"supplier": 404}

RULES = {
    "campaigns.index": {"GET": allow(STAFF)},
    # A post with only the CSRF token: the form comes back with its errors, nothing is saved.
    "campaigns.create": {"GET": allow(EDITORS), "POST": allow(EDITORS)},
    "campaigns.view": {"GET": allow(STAFF)},
    "campaigns.edit": {"GET": allow(EDITORS), "POST": allow(EDITORS)},  # without a version: every field named
    "campaigns.non_responders_csv": {"GET": allow(STAFF)},
    "campaigns.remind": {"POST": allow(EDITORS, ok=302)},
    "campaigns.close": {"POST": allow(EDITORS, ok=302)},  # without the version: "out of date", nothing changed
    "portal_campaigns.start": {"POST": NOT_MINE},
}


def sample(session) -> dict:
    """An open campaign of the root to one supplier."""
    supplier = gen_supplier(session, name_zh="问卷活动抽样供应商有限公司")
    questionnaire = gen_questionnaire(session, {**MINIMAL, "code": "camp"})
    campaign = gen_campaign(session, questionnaire, [supplier])
    recipient_id = session.scalar(select(CampaignRecipient.id).where(CampaignRecipient.campaign_id == campaign.id))
    return {"campaign_id": campaign.id, "recipient_id": recipient_id}
