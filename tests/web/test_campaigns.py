"""Questionnaire campaigns on the web: creating one (bad input, a list, the count first), the invitation job,
the rates page and its CSV, remind now, and the supplier answering in the portal (and only its own)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain import jobs
from supplychain.models import Campaign, CampaignRecipient, CampaignReminder, SaqResponse
from tests.campaign_factories import gen_campaign
from tests.factories import gen_organisation, gen_supplier, gen_tier, gen_user
from tests.portal_factories import MINIMAL, gen_portal_user, gen_questionnaire
from tests.web.helpers import csrf_token, login
from tests.web.test_saq import _full_minimal, _post_answers

EN = {"Accept-Language": "en"}


def _form(client, questionnaire, **overrides) -> dict:
    page = client.get("/campaigns/new", headers=EN)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "title": "2026 高风险供应商问卷", "questionnaire_id": questionnaire.id,
            "due_on": (date.today() + timedelta(days=21)).isoformat(), "tier": "", "category_id": "", "buyer_id": "",
            "region": "", "remind_before_days": "7", "remind_after_days": "7", "overdue_consequence": "none",
            "submit": "1"}
    data.update(overrides)
    return data


def _buyer(client, session):
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    return buyer


def test_bad_input_is_shown_all_at_once_and_nothing_is_saved(client, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    gen_tier(session, gen_supplier(session), "low")
    _buyer(client, session)
    page = client.post("/campaigns/new", headers=EN, data=_form(
        client, questionnaire, title="", tier="high", due_on=(date.today() - timedelta(days=1)).isoformat()))
    assert page.status_code == 200
    assert "Give the campaign a title." in page.text
    assert "The due date cannot be in the past." in page.text
    assert "The selection finds no supplier: the campaign would have no recipients." in page.text
    assert session.scalar(select(func.count(Campaign.id))) == 0


def test_an_uploaded_list_with_an_unknown_code_names_its_row_and_saves_nothing(client, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    known = gen_supplier(session)
    _buyer(client, session)
    content = f"统一社会信用代码\n{known.credit_code}\n915000004JURQ283FN\n".encode()
    page = client.post("/campaigns/new", headers=EN, content_type="multipart/form-data", data={
        **_form(client, questionnaire), "file": (io.BytesIO(content), "名单.csv")})
    assert page.status_code == 200
    assert "Row 3: no supplier with the credit code 915000004JURQ283FN." in page.text
    assert session.scalar(select(func.count(Campaign.id))) == 0


def test_count_first_then_create_invite_and_follow_the_rates(client, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    high = [gen_supplier(session, name_zh=f"高风险{n}有限公司") for n in range(3)]
    for supplier in high:
        gen_tier(session, supplier, "high")
    gen_tier(session, gen_supplier(session, name_zh="低风险有限公司"), "low")
    _buyer(client, session)
    preview = client.post("/campaigns/new", headers=EN, data={**_form(client, questionnaire, tier="high"),
                                                               "submit": "", "preview": "1"})
    assert 'data-preview-count="3"' in preview.text and "高风险0有限公司" in preview.text
    assert session.scalar(select(func.count(Campaign.id))) == 0
    created = client.post("/campaigns/new", headers=EN, data=_form(client, questionnaire, tier="high"))
    assert created.status_code == 302
    campaign = session.scalar(select(Campaign))
    assert campaign.job_id is not None and jobs.wait(campaign.job_id, 30)
    session.expire_all()
    assert campaign.status == "open"
    page = client.get(f"/campaigns/{campaign.id}", headers=EN)
    assert 'data-progress="3/3"' in page.text
    assert 'data-rate="submission">0.0 %' in page.text
    assert all(s.name_zh in page.text for s in high) and "低风险有限公司" not in page.text
    listing = client.get("/campaigns/", headers=EN)
    assert "2026 高风险供应商问卷" in listing.text
    csv = client.get(f"/campaigns/{campaign.id}/non-responders.csv")
    assert csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert all(s.credit_code in text for s in high)
    # Remind now: one reminder each, recorded with the buyer's name.
    page = client.get(f"/campaigns/{campaign.id}", headers=EN)
    reminded = client.post(f"/campaigns/{campaign.id}/remind", headers=EN,
                           data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "3 suppliers reminded." in reminded.text
    assert session.scalar(select(func.count(CampaignReminder.id))) == 3


def test_the_supplier_sees_answers_and_submits_and_the_rates_follow(client, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    supplier, other = gen_supplier(session), gen_supplier(session)
    campaign = gen_campaign(session, questionnaire, [supplier], title="年度 ESG 问卷活动")
    user = gen_portal_user(session, supplier)
    outsider = gen_portal_user(session, other)
    session.commit()
    login(client, outsider.email)
    page = client.get("/portal/saq", headers=EN)
    assert "data-invitation" not in page.text and "data-invitation" not in client.get("/portal/").text
    recipient_id = session.scalar(select(CampaignRecipient.id))
    assert client.post(f"/portal/campaigns/{recipient_id}/start",
                       data={"csrf_token": csrf_token(page.text)}).status_code == 404
    mine = client.application.test_client()
    login(mine, user.email)
    home = mine.get("/portal/", headers=EN).text  # the portal's first page says what is asked and by when
    assert f'data-invitation="{recipient_id}"' in home and f"by {campaign.due_on.isoformat()}" in home
    page = mine.get("/portal/saq", headers=EN)
    assert f'data-invitation="{recipient_id}"' in page.text and "Short questionnaire v1" in page.text
    started = mine.post(f"/portal/campaigns/{recipient_id}/start", data={"csrf_token": csrf_token(page.text)})
    assert started.status_code == 302 and started.location.endswith("/portal/saq/answer")
    assert _post_answers(mine, _full_minimal(questionnaire), button="submit").status_code == 302
    response = session.scalar(select(SaqResponse))
    assert response.status == "submitted"
    assert session.scalar(select(CampaignRecipient.response_id)) == response.id
    assert "data-invitation" not in mine.get("/portal/saq", headers=EN).text
    assert "data-invitation" not in mine.get("/portal/", headers=EN).text
    staff = client.application.test_client()
    _buyer(staff, session)
    page = staff.get(f"/campaigns/{campaign.id}", headers=EN)
    assert 'data-rate="submission">100.0 %' in page.text and "Every recipient has submitted." in page.text


def test_another_subsidiary_gets_404_for_the_campaign(client, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    campaign = gen_campaign(session, questionnaire, [gen_supplier(session, organisation=b)], organisation=b,
                            title="乙公司的问卷活动")
    user = gen_user(session, "procurement", organisation=a)
    session.commit()
    login(client, user.email)
    assert client.get(f"/campaigns/{campaign.id}").status_code == 404
    assert client.get(f"/campaigns/{campaign.id}/non-responders.csv").status_code == 404
    assert "乙公司的问卷活动" not in client.get("/campaigns/").text


def test_the_remind_command_reminds_once_and_applies_the_consequence(app, session):
    questionnaire = gen_questionnaire(session, MINIMAL)
    supplier = gen_supplier(session)
    gen_tier(session, supplier, "high")
    gen_campaign(session, questionnaire, [supplier], due_on=date.today() - timedelta(days=7),
                 consequence="corrective_action")
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["campaigns", "remind", "--no-mail"])
    assert result.exit_code == 0, result.output
    assert "1 open campaigns: 1 reminders, 1 overdue consequences applied." in result.output
    again = runner.invoke(args=["campaigns", "remind", "--no-mail"])
    assert "1 open campaigns: 0 reminders, 0 overdue consequences applied." in again.output
    listed = runner.invoke(args=["campaigns", "list"])
    assert "\topen\t" in listed.output


def test_the_demo_data_has_one_sent_campaign_that_the_demo_supplier_sees(app, session, client):
    from supplychain.services.demo_data import demo

    result = demo.load(session, count=40, seed=7)
    demo.load(session, count=40, seed=7)  # loading again adds no second campaign
    session.commit()
    campaign = session.scalar(select(Campaign))
    assert session.scalar(select(func.count(Campaign.id))) == 1 and campaign.status == "open"
    recipients = session.scalars(select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign.id)).all()
    assert recipients and all(r.invited_at is not None for r in recipients)
    assert session.scalar(select(func.count(CampaignReminder.id))) == 3
    email, _label, password = next(a for a in result.accounts if a[0] == "supplier@example.com")
    login(client, email, password)
    assert "data-invitation" in client.get("/portal/saq", headers=EN).text


def test_the_dashboards_link_preselects_the_tier_and_its_questionnaire(client, session):
    from supplychain.models import RiskTierSetting

    deep = gen_questionnaire(session, {**MINIMAL, "code": "deep"})
    gen_questionnaire(session, {**MINIMAL, "code": "light"})
    session.add(RiskTierSetting(tier="high", questionnaire_id=deep.id))
    _buyer(client, session)
    page = client.get("/campaigns/new?tier=high", headers=EN).text
    assert '<option selected value="high">' in page
    assert f'<option selected value="{deep.id}">' in page
