"""Editing an open campaign: title, description and due date; a new due date reschedules the reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import AuditEntry, CampaignReminder, Notification
from supplychain.services.risk import campaign_reminders, campaigns
from tests.campaign_factories import gen_campaign
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import MINIMAL, gen_questionnaire

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def questionnaire(session):
    return gen_questionnaire(session, MINIMAL)


def _edit(**overrides) -> campaigns.CampaignEdit:
    values = dict(title="2026 年度问卷（延期）", description="请按实际情况填写。", due_on=TODAY + timedelta(days=30))
    values.update(overrides)
    return campaigns.CampaignEdit(**values)


def test_an_edit_changes_title_description_and_due_date_and_is_audited(session, questionnaire):
    buyer = gen_user(session, "procurement")
    campaign = gen_campaign(session, questionnaire, [gen_supplier(session)], due_on=TODAY + timedelta(days=5))
    version = campaign.version_id
    assert campaigns.edit(session, campaign, _edit(), version, buyer, TODAY, NOW) is True
    assert (campaign.title, campaign.description, campaign.due_on) == (
        "2026 年度问卷（延期）", "请按实际情况填写。", TODAY + timedelta(days=30))
    assert campaign.rescheduled_at == NOW and campaign.version_id == version + 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "campaign"))
    assert entry.action == "update" and entry.actor_id == buyer.id
    assert entry.changes["due_on"] == [str(TODAY + timedelta(days=5)), str(TODAY + timedelta(days=30))]
    # The wording only: the reminders keep their schedule.
    assert campaigns.edit(session, campaign, _edit(title="新标题"), campaign.version_id, buyer, TODAY,
                          NOW + timedelta(hours=1)) is False
    assert campaign.rescheduled_at == NOW


def test_a_stale_form_is_a_conflict_and_changes_nothing(session, questionnaire):
    campaign = gen_campaign(session, questionnaire, [gen_supplier(session)])
    stale = campaign.version_id
    campaigns.edit(session, campaign, _edit(title="先保存的标题"), stale, None, TODAY, NOW)
    with pytest.raises(Conflict):
        campaigns.edit(session, campaign, _edit(title="后保存的标题"), stale, None, TODAY, NOW)
    assert campaign.title == "先保存的标题"


def test_bad_edits_are_refused_all_at_once(session, app, questionnaire):
    campaign = gen_campaign(session, questionnaire, [gen_supplier(session)], due_on=TODAY + timedelta(days=5))
    with pytest.raises(ValidationFailed) as failed:
        campaigns.edit(session, campaign, _edit(title=" ", description="x" * 4001, due_on=TODAY - timedelta(days=1)),
                       campaign.version_id, None, TODAY, NOW)
    with force_locale("en"):
        messages = {name: [str(m) for m in found] for name, found in failed.value.errors.items()}
    assert messages == {"title": ["Give the campaign a title."], "description": ["At most 4000 characters."],
                        "due_on": ["The due date cannot be in the past (2026-03-01 is before today, 2026-03-02)."]}
    assert campaign.due_on == TODAY + timedelta(days=5)
    campaign.status = "closed"
    with pytest.raises(ValidationFailed) as failed:
        campaigns.edit(session, campaign, _edit(), campaign.version_id, None, TODAY, NOW)
    assert list(failed.value.errors) == ["campaign"]


def test_an_overdue_campaign_keeps_its_past_due_date_when_only_the_title_changes(session, questionnaire):
    campaign = gen_campaign(session, questionnaire, [gen_supplier(session)], due_on=TODAY - timedelta(days=3))
    campaigns.edit(session, campaign, _edit(due_on=TODAY - timedelta(days=3)), campaign.version_id, None, TODAY, NOW)
    assert campaign.title == "2026 年度问卷（延期）"


def test_a_later_due_date_reschedules_the_pending_reminders(session, questionnaire):
    supplier = gen_supplier(session)
    gen_user(session, "supplier", supplier=supplier)
    campaign = gen_campaign(session, questionnaire, [supplier], due_on=TODAY + timedelta(days=5))
    campaign.created_at = NOW - timedelta(days=10)
    assert campaign_reminders.remind_campaign(session, campaign, TODAY, NOW) == 1  # "before" the first due date
    # Moved 30 days later: no reminder is due today any more …
    campaigns.edit(session, campaign, _edit(), campaign.version_id, None, TODAY, NOW + timedelta(hours=1))
    assert campaign_reminders.remind_campaign(session, campaign, TODAY, NOW + timedelta(hours=2)) == 0
    # … the old due date passes without an "after" reminder …
    later = TODAY + timedelta(days=12)
    assert campaign_reminders.remind_campaign(session, campaign, later, NOW + timedelta(days=12)) == 0
    # … and the "before" reminder goes again a week before the new date, once.
    week_before = TODAY + timedelta(days=23)
    assert campaign_reminders.remind_campaign(session, campaign, week_before, NOW + timedelta(days=23)) == 1
    assert campaign_reminders.remind_campaign(session, campaign, week_before, NOW + timedelta(days=23, hours=1)) == 0
    stages = session.scalars(select(CampaignReminder.stage).order_by(CampaignReminder.id)).all()
    assert stages == ["before", "before"]
    notices = session.scalars(select(Notification.key).where(Notification.kind == "campaign_reminder")).all()
    assert len(set(notices)) == 2  # the second one is a new notice, not swallowed as already told
