"""Questionnaire campaigns (issue 11): selection, all-or-nothing creation, the invitation job, rates,
reminders recorded once per stage, and the consequence for overdue HIGH-tier suppliers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from supplychain import jobs, scope
from supplychain.errors import ValidationFailed
from supplychain.models import (
    AuditEntry,
    BackgroundJob,
    Campaign,
    CampaignRecipient,
    CampaignReminder,
    CorrectiveAction,
    Notification,
    SaqResponse,
    Supplier,
)
from supplychain.services.evidence import saq
from supplychain.services.risk import campaign_reminders, campaign_selection, campaigns
from tests.campaign_factories import gen_campaign
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_tier, gen_user
from tests.file_factories import xlsx_bytes
from tests.portal_factories import MINIMAL, gen_questionnaire

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _data(questionnaire, **overrides) -> campaigns.CampaignData:
    values = dict(title="2026 高风险供应商 ESG 问卷", questionnaire_id=questionnaire.id,
                  due_on=TODAY + timedelta(days=30))
    values.update(overrides)
    return campaigns.CampaignData(**values)


def _messages(failed: ValidationFailed) -> dict[str, list[str]]:
    with force_locale("en"):
        return {name: [str(m) for m in messages] for name, messages in failed.errors.items()}


@pytest.fixture
def questionnaire(session):
    return gen_questionnaire(session, MINIMAL)


def test_a_campaign_by_tier_invites_only_that_tiers_suppliers_still_in_the_supply_base(session, app, questionnaire):
    high, medium, gone = gen_supplier(session), gen_supplier(session), gen_supplier(session, status="exited")
    gen_tier(session, high, "high")
    gen_tier(session, medium, "medium")
    gen_tier(session, gone, "high")
    campaign = campaigns.create(session, _data(questionnaire), campaign_selection.Selection(tier="high"), [],
                                None, TODAY)
    recipients = session.scalars(select(CampaignRecipient.supplier_id).where(
        CampaignRecipient.campaign_id == campaign.id)).all()
    assert recipients == [high.id]
    assert campaign.status == "sending" and campaign.selection == {"tier": "high"}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "campaign"))
    assert entry.changes["recipients"] == [None, 1]


def test_selection_by_category_buying_organisation_and_region(session, app):
    gen_category(session, code="chemicals", name_zh="化学品", name_en="Chemicals")
    sub = gen_organisation(session, "SUB-C")
    site = gen_organisation(session, "SITE-C", parent=sub, kind="project")
    chemical = gen_supplier(session, categories=["chemicals"])
    bought_by_site = gen_supplier(session, organisation=site)
    east = gen_supplier(session, province="310000", city="上海")
    by_category = campaign_selection.choose(session, campaign_selection.Selection(
        category_id=chemical.categories[0].id))
    by_buyer = campaign_selection.choose(session, campaign_selection.Selection(organisation_id=sub.id))
    by_region = campaign_selection.choose(session, campaign_selection.Selection(region="east"))
    assert by_category.supplier_ids == [chemical.id]
    assert by_buyer.supplier_ids == [bought_by_site.id]  # the organisation's subtree buys from it
    assert by_region.supplier_ids == [east.id]


def test_bad_input_reports_every_problem_at_once_and_saves_nothing(session, app, questionnaire):
    gen_supplier(session)
    with pytest.raises(ValidationFailed) as failed:
        campaigns.create(session, _data(questionnaire, title=" ", due_on=TODAY - timedelta(days=1),
                                        remind_after_days=-1),
                         campaign_selection.Selection(tier="high"), [], None, TODAY)
    with app.app_context():
        messages = _messages(failed.value)
    assert messages["title"] == ["Give the campaign a title."]
    assert messages["due_on"] == ["The due date cannot be in the past."]
    assert messages["remind_after_days"] == ["Enter a number of days from 0 to 365."]
    assert messages["selection"] == ["The selection finds no supplier: the campaign would have no recipients."]
    session.rollback()
    assert session.scalar(select(func.count(Campaign.id))) == 0
    assert session.scalar(select(func.count(CampaignRecipient.id))) == 0


def test_an_uploaded_list_reports_each_unknown_code_with_its_row(session, app, questionnaire):
    known = gen_supplier(session)
    data = (f"供应商名称,统一社会信用代码\n甲公司,{known.credit_code}\n乙公司,915000004JURQ283FN\n丙公司,\n"
            "丁公司,91500000MA5U000000\n").encode()
    rows, problems = campaign_selection.read_list("list.csv", data)
    assert problems == []
    codes, problems = campaign_selection.check_list(session, rows)
    assert codes == [known.credit_code]
    with app.app_context(), force_locale("en"):
        assert [str(p) for p in problems] == [
            "Row 3: no supplier with the credit code 915000004JURQ283FN.", "Row 4: no credit code.",
            "Row 5: 91500000MA5U000000 is not a valid unified social credit code."]
    with pytest.raises(ValidationFailed) as failed:
        campaigns.create(session, _data(questionnaire), campaign_selection.Selection(list_codes=codes),
                         problems, None, TODAY)
    assert len(failed.value.errors["file"]) == 3
    session.rollback()
    assert session.scalar(select(func.count(Campaign.id))) == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_list_without_a_header_row_starts_with_its_first_code(session, app, kind):
    first, second = gen_supplier(session), gen_supplier(session)
    lines = [[first.credit_code], [second.credit_code.lower()], ["915000004JURQ283FN"], ["not-a-code"]]
    if kind == "csv":
        data = "\n".join(cells[0] for cells in lines).encode()
    else:
        data = xlsx_bytes(lines)
    rows, problems = campaign_selection.read_list(f"list.{kind}", data)
    assert problems == [] and [line for line, _ in rows] == [1, 2, 3, 4]
    codes, problems = campaign_selection.check_list(session, rows)
    assert codes == sorted([first.credit_code, second.credit_code])
    with app.app_context(), force_locale("en"):
        assert [str(p) for p in problems] == ["Row 3: no supplier with the credit code 915000004JURQ283FN.",
                                              "Row 4: NOTACODE is not a valid unified social credit code."]


def test_a_file_whose_first_row_is_neither_a_header_nor_a_code_is_refused(session, app):
    rows, problems = campaign_selection.read_list("list.csv", "甲公司,重庆\n乙公司,成都\n".encode())
    assert rows == [] and problems


def test_a_list_selects_exactly_its_suppliers(session, app, questionnaire):
    listed, other = gen_supplier(session), gen_supplier(session)
    chosen = campaign_selection.choose(session, campaign_selection.Selection(list_codes=[listed.credit_code]))
    assert chosen.supplier_ids == [listed.id] and other.id not in chosen.supplier_ids


def test_a_subsidiary_cannot_select_or_see_what_is_outside_its_scope(session, app, questionnaire):
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    mine, theirs = gen_supplier(session, organisation=a), gen_supplier(session, organisation=b)
    other_campaign = gen_campaign(session, questionnaire, [theirs], organisation=b)
    session.commit()
    scope.activate(session, scope.for_organisation(session, a))
    try:
        chosen = campaign_selection.choose(session, campaign_selection.Selection(
            list_codes=[mine.credit_code, theirs.credit_code]))
        _codes, problems = campaign_selection.check_list(session, [(2, theirs.credit_code)])
        refused = campaign_selection.check_filters(session, campaign_selection.Selection(organisation_id=b.id))
        assert chosen.supplier_ids == [mine.id]
        assert len(problems) == 1  # "unknown" to A: another subsidiary's supplier is not revealed
        assert "organisation_id" in refused
        session.expunge_all()
        assert session.scalar(select(Campaign).where(Campaign.id == other_campaign.id)) is None
        assert session.scalars(select(CampaignRecipient)).all() == []
    finally:
        scope.activate(session, scope.EVERYTHING)


def test_the_invitation_job_tells_accounts_and_contacts_with_progress_and_links_open_answers(session, app,
                                                                                           questionnaire):
    with_account, with_contact, nobody = gen_supplier(session), gen_supplier(session), gen_supplier(session,
                                                                                                     contacts=[])
    account = gen_user(session, "supplier", supplier=with_account)
    started = saq.start(session, with_contact, None, questionnaire)
    campaign = campaigns.create(session, _data(questionnaire), campaign_selection.Selection(), [], None, TODAY)
    session.commit()
    job = jobs.create_inline(session, campaigns.KIND, {"campaign_id": campaign.id})
    job = jobs.run_inline(session, app, job.id)
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result["invited"] == 3
    session.expire_all()
    assert session.get(Campaign, campaign.id).status == "open"
    recipients = {r.supplier_id: r for r in session.scalars(select(CampaignRecipient))}
    assert all(r.invited_at is not None for r in recipients.values())
    assert recipients[with_contact.id].response_id == started.id
    told = {n.recipient: n for n in session.scalars(select(Notification).where(
        Notification.kind == "campaign_invitation"))}
    assert f"user:{account.id}" in told and with_contact.contacts[0].email.lower() in told
    assert not any(n.supplier_id == nobody.id for n in told.values())
    assert "2026 高风险供应商 ESG 问卷" in told[f"user:{account.id}"].message_zh
    # Running again invites nobody twice.
    job2 = jobs.run_inline(session, app, jobs.create_inline(session, campaigns.KIND, {"campaign_id": campaign.id}).id)
    assert job2.progress_total == 0
    assert session.scalar(select(func.count(Notification.id))) == len(told)
    assert session.scalar(select(func.count(BackgroundJob.id))) == 2


def test_rates_count_started_submitted_and_reviewed_answers(session, questionnaire):
    suppliers = [gen_supplier(session) for _ in range(4)]
    campaign = gen_campaign(session, questionnaire, suppliers)
    statuses = ["draft", "submitted", "reviewed"]
    for supplier, status in zip(suppliers, statuses, strict=False):
        response = SaqResponse(supplier_id=supplier.id, questionnaire_id=questionnaire.id, status=status)
        session.add(response)
        session.flush()
        session.execute(CampaignRecipient.__table__.update().where(
            CampaignRecipient.supplier_id == supplier.id).values(response_id=response.id))
    found = campaigns.rates(session, [campaign.id])[campaign.id]
    assert (found.recipients, found.responded, found.submitted, found.reviewed) == (4, 3, 2, 1)
    assert (found.response_rate, found.submission_rate, found.review_rate) == (75.0, 50.0, 25.0)
    waiting = campaigns.non_responders(session, campaign)
    assert [w.supplier.id for w in waiting] == sorted([suppliers[0].id, suppliers[3].id],
                                                      key=lambda i: session.get(Supplier, i).name_zh)
    assert {w.response_status for w in waiting} == {"draft", None}


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 3, 1), None),          # 9 days before: not yet
    (date(2026, 3, 3), "before"),      # within 7 days before
    (date(2026, 3, 10), "before"),     # the due day itself
    (date(2026, 3, 16), None),         # overdue, less than 7 days
    (date(2026, 3, 17), "after-1"),
    (date(2026, 3, 30), "after-2"),
])
def test_the_reminder_due_on_a_day(today, expected):
    assert campaign_reminders.stage_on(date(2026, 3, 10), today, 7, 7) == expected


def test_zero_days_switch_reminders_off():
    assert campaign_reminders.stage_on(date(2026, 3, 10), date(2026, 3, 9), 0, 7) is None
    assert campaign_reminders.stage_on(date(2026, 3, 10), date(2026, 4, 30), 7, 0) is None


def test_a_scheduled_reminder_goes_once_to_each_non_responder_and_is_recorded(session, questionnaire):
    waiting, done = gen_supplier(session), gen_supplier(session)
    gen_user(session, "supplier", supplier=waiting)
    campaign = gen_campaign(session, questionnaire, [waiting, done], due_on=TODAY + timedelta(days=5))
    submitted = SaqResponse(supplier_id=done.id, questionnaire_id=questionnaire.id, status="submitted")
    session.add(submitted)
    session.flush()
    session.execute(CampaignRecipient.__table__.update().where(CampaignRecipient.supplier_id == done.id)
                    .values(response_id=submitted.id))
    assert campaign_reminders.remind_campaign(session, campaign, TODAY, NOW) == 1
    assert campaign_reminders.remind_campaign(session, campaign, TODAY, NOW + timedelta(hours=1)) == 0
    reminder = session.scalar(select(CampaignReminder))
    assert (reminder.stage, reminder.channel, reminder.sent_by_id) == ("before", "in_app", None)
    assert reminder.recipient.supplier_id == waiting.id
    notices = session.scalars(select(Notification).where(Notification.kind == "campaign_reminder")).all()
    assert {n.supplier_id for n in notices} == {waiting.id}
    assert "5 天后" in notices[0].message_zh


def test_a_supplier_answering_from_the_portals_own_button_still_counts(session, questionnaire):
    supplier = gen_supplier(session)
    campaign = gen_campaign(session, questionnaire, [supplier], due_on=TODAY + timedelta(days=3))
    campaign.created_at = NOW - timedelta(days=10)
    response = saq.start(session, supplier, None, questionnaire)
    response.status = "submitted"
    session.flush()
    assert campaign_reminders.remind_campaign(session, campaign, TODAY, NOW) == 0
    assert campaigns.rates(session, [campaign.id])[campaign.id].submitted == 1


def test_remind_now_records_who_reminded(session, app, questionnaire):
    supplier = gen_supplier(session)
    buyer = gen_user(session, "procurement")
    campaign = gen_campaign(session, questionnaire, [supplier])
    assert campaign_reminders.remind_now(session, campaign, buyer, TODAY, NOW) == 1
    reminder = session.scalar(select(CampaignReminder))
    assert (reminder.stage, reminder.channel, reminder.sent_by_id) == ("manual", "email", buyer.id)
    campaign.status = "closed"
    with pytest.raises(ValidationFailed):
        campaign_reminders.remind_now(session, campaign, buyer, TODAY, NOW)


def test_overdue_high_tier_suppliers_get_a_corrective_action_once(session, questionnaire):
    high, low = gen_supplier(session), gen_supplier(session)
    gen_tier(session, high, "high")
    gen_tier(session, low, "low")
    campaign = gen_campaign(session, questionnaire, [high, low], due_on=TODAY - timedelta(days=1),
                            consequence="corrective_action")
    assert campaign_reminders.apply_consequences(session, campaign, TODAY, NOW, 30) == 1
    assert campaign_reminders.apply_consequences(session, campaign, TODAY, NOW, 30) == 0
    action = session.scalar(select(CorrectiveAction))
    assert action.supplier_id == high.id and action.organisation_id == campaign.organisation_id
    assert action.due_on == TODAY + timedelta(days=30) and "2026 ESG 问卷" in action.action
    assert session.scalar(select(CampaignRecipient.consequence).where(
        CampaignRecipient.supplier_id == high.id)) == "corrective_action"


def test_a_status_consequence_changes_the_status_with_its_reason(session, questionnaire):
    high = gen_supplier(session, status="qualified", today=TODAY - timedelta(days=60))
    gen_tier(session, high, "high")
    campaign = gen_campaign(session, questionnaire, [high], due_on=TODAY - timedelta(days=1),
                            consequence="conditional")
    not_yet = gen_campaign(session, questionnaire, [high], due_on=TODAY, consequence="suspended")
    assert campaign_reminders.apply_consequences(session, not_yet, TODAY, NOW, 30) == 0  # due today: not overdue
    assert campaign_reminders.apply_consequences(session, campaign, TODAY, NOW, 30) == 1
    assert high.status == "conditional"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "supplier",
                                                    AuditEntry.action == "status"))
    assert entry.changes["status"] == ["qualified", "conditional"]


def test_the_daily_run_reminds_and_applies_consequences(session, questionnaire):
    high = gen_supplier(session)
    gen_tier(session, high, "high")
    gen_campaign(session, questionnaire, [high], due_on=TODAY - timedelta(days=7), consequence="corrective_action")
    gen_campaign(session, questionnaire, [high], due_on=TODAY - timedelta(days=7), status="closed",
                 consequence="corrective_action")
    result = campaign_reminders.remind_all(session, TODAY, NOW, 30)
    assert (result.campaigns, result.reminders, result.consequences) == (1, 1, 1)
    assert session.scalar(select(CampaignReminder.stage)) == "after-1"


def test_the_supplier_starts_the_campaigns_questionnaire_and_only_its_own(session, app, questionnaire):
    mine, other = gen_supplier(session), gen_supplier(session)
    campaign = gen_campaign(session, questionnaire, [mine, other])
    recipient = campaigns.invitation_of(session, mine.id, campaigns.invitations_for(session, mine.id)[0].id)
    theirs = campaigns.invitations_for(session, other.id)[0]
    assert campaigns.invitation_of(session, mine.id, theirs.id) is None
    response = campaigns.start_response(session, mine, recipient, None)
    assert response.questionnaire_id == questionnaire.id and recipient.response_id == response.id
    assert campaigns.start_response(session, mine, recipient, None).id == response.id  # continues the same one
    response.status = "submitted"
    session.flush()
    assert campaigns.invitations_for(session, mine.id) == []
    campaign.status = "closed"
    assert campaigns.invitations_for(session, other.id) == []


def test_closing_checks_the_version(session, app, questionnaire):
    from supplychain.errors import Conflict

    campaign = gen_campaign(session, questionnaire, [gen_supplier(session)])
    with pytest.raises(Conflict):
        campaigns.close(session, campaign, campaign.version_id + 1, None, NOW)
    campaigns.close(session, campaign, campaign.version_id, None, NOW)
    assert campaign.status == "closed" and campaign.closed_at == NOW


def test_a_tier_gets_the_questionnaire_version_of_its_setting(session, questionnaire):
    from supplychain.models import RiskTierSetting

    current = gen_questionnaire(session, {**MINIMAL, "code": "deep"})
    session.add(RiskTierSetting(tier="high", questionnaire_id=questionnaire.id))
    session.flush()
    assert campaigns.default_questionnaire_id(session, "high") == questionnaire.id
    assert campaigns.default_questionnaire_id(session, "low") == current.id  # no setting: the current version


def test_the_invitation_job_on_rq_workers_counts_every_part(session, app, questionnaire, monkeypatch):
    """Parts as RQ jobs (a burst SimpleWorker in this process): each part adds its invitations to the result."""
    from tests.redis_support import empty_queue, redis_url, work_burst

    url = redis_url()
    queue = empty_queue(url)
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setattr(campaigns, "PART_SIZE", 2)
    for _ in range(5):
        gen_supplier(session)
    campaign = campaigns.create(session, _data(questionnaire), campaign_selection.Selection(), [], None, TODAY)
    session.commit()
    job = jobs.enqueue(session, app, campaigns.KIND, {"campaign_id": campaign.id}, None)
    assert job.backend == "rq"
    work_burst(app, session, queue)
    job = session.get(BackgroundJob, job.id)
    assert job.status == "finished", job.error
    assert (job.progress_done, job.progress_total) == (5, 5) and job.result["invited"] == 5
    assert session.get(Campaign, campaign.id).status == "open"
