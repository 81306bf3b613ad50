"""Procurement edits an open campaign from its page: wording and due date, with the optimistic lock."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from supplychain.models import AuditEntry, Campaign
from tests.campaign_factories import gen_campaign
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import MINIMAL, gen_portal_user, gen_questionnaire
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def _setup(client, session, role="procurement"):
    supplier = gen_supplier(session)
    campaign = gen_campaign(session, gen_questionnaire(session, MINIMAL), [supplier],
                            due_on=date.today() + timedelta(days=10))
    user = gen_user(session, role)
    session.commit()
    login(client, user.email)
    return campaign, supplier


def _post(client, campaign, version, **fields):
    page = client.get(f"/campaigns/{campaign.id}/edit", headers=EN)
    data = {"csrf_token": csrf_token(page.text), "version_id": str(version), "title": "延期后的问卷",
            "description": "请于新截止日期前提交。", "due_on": (date.today() + timedelta(days=40)).isoformat()}
    data.update(fields)
    return client.post(f"/campaigns/{campaign.id}/edit", data=data, headers=EN)


def test_procurement_moves_the_due_date_and_the_supplier_sees_it(app, client, session):
    campaign, supplier = _setup(client, session)
    page = client.get(f"/campaigns/{campaign.id}", headers=EN).text
    assert f"/campaigns/{campaign.id}/edit" in page
    response = _post(client, campaign, campaign.version_id)
    assert response.status_code == 302
    session.expire_all()
    saved = session.get(Campaign, campaign.id)
    assert (saved.title, saved.due_on) == ("延期后的问卷", date.today() + timedelta(days=40))
    view = client.get(f"/campaigns/{campaign.id}", headers=EN).text
    assert "请于新截止日期前提交。" in view and "The reminders follow the new due date." in view
    assert session.scalar(select(AuditEntry.action).where(AuditEntry.entity_type == "campaign")) == "update"
    portal = gen_portal_user(session, supplier)
    session.commit()
    theirs = app.test_client()
    login(theirs, portal.email)
    saq = theirs.get("/portal/saq", headers=EN).text
    assert "请于新截止日期前提交。" in saq and (date.today() + timedelta(days=40)).isoformat() in saq


def test_a_past_due_date_is_refused_with_a_clear_message(client, session):
    campaign, _ = _setup(client, session)
    response = _post(client, campaign, campaign.version_id, title="",
                     due_on=(date.today() - timedelta(days=1)).isoformat())
    assert response.status_code == 200
    assert "The due date cannot be in the past" in response.text and "Give the campaign a title." in response.text
    session.expire_all()
    assert session.get(Campaign, campaign.id).due_on == date.today() + timedelta(days=10)


def test_a_stale_page_shows_the_conflict_and_saves_nothing(client, session):
    campaign, _ = _setup(client, session)
    stale = campaign.version_id
    assert _post(client, campaign, stale, title="第一次").status_code == 302
    response = _post(client, campaign, stale, title="第二次")
    assert response.status_code == 200 and "第一次" in response.text
    session.expire_all()
    assert session.get(Campaign, campaign.id).title == "第一次"


def test_an_auditor_cannot_edit(client, session):
    campaign, _ = _setup(client, session, role="auditor")
    assert client.get(f"/campaigns/{campaign.id}/edit", headers=EN).status_code == 403
