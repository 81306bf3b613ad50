"""When an open campaign's due date moves, every invited supplier that has not submitted is told: in the portal
in its own language and by e-mail, once per change (issue 11/12 gap)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from supplychain.models import Notification, SupplierContact, User
from supplychain.services.daily_work import notifications
from supplychain.services.risk import campaigns
from tests.campaign_factories import gen_campaign
from tests.factories import gen_supplier
from tests.portal_factories import MINIMAL, gen_portal_user, gen_questionnaire, gen_response
from tests.web.helpers import login

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
FIRST, LATER = TODAY + timedelta(days=5), TODAY + timedelta(days=30)


def _edit(campaign, due_on: date, title: str | None = None) -> campaigns.CampaignEdit:
    return campaigns.CampaignEdit(title=title or campaign.title, description=campaign.description or "",
                                  due_on=due_on)


@pytest.fixture
def world(session, tmp_path):
    questionnaire = gen_questionnaire(session, MINIMAL)
    with_account, by_mail, submitted = gen_supplier(session), gen_supplier(session), gen_supplier(session)
    account = gen_portal_user(session, with_account, locale="en")
    campaign = gen_campaign(session, questionnaire, [with_account, by_mail, submitted], due_on=FIRST)
    gen_response(session, submitted, tmp_path, questionnaire)
    campaigns.link_responses(session, campaign)
    session.flush()
    def address(supplier):
        return session.scalar(select(SupplierContact.email).where(SupplierContact.supplier_id == supplier.id)).lower()

    return {"campaign": campaign, "account": account, "address": address(by_mail), "submitted": submitted,
            "contact": address(with_account)}


def _told(session) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.kind == "campaign_due_date")
                                .order_by(Notification.id)))


def test_a_new_due_date_is_told_to_each_supplier_that_has_not_submitted(session, world):
    campaign = world["campaign"]
    assert campaigns.edit(session, campaign, _edit(campaign, LATER), campaign.version_id, None, TODAY, NOW)
    told = _told(session)
    # The account in the app, the contacts by e-mail (as the invitation); the supplier that submitted: no.
    assert {n.recipient for n in told} == {f"user:{world['account'].id}", world["contact"], world["address"]}
    assert world["submitted"].id not in {n.supplier_id for n in told}
    in_app = next(n for n in told if n.user_id == world["account"].id)
    assert [d.channel for d in in_app.deliveries] == ["in_app"]
    assert f"moved from {FIRST.isoformat()} to {LATER.isoformat()}" in in_app.message_en
    assert f"截止日期已由 {FIRST.isoformat()} 调整为 {LATER.isoformat()}" in in_app.message_zh
    assert in_app.link == "/portal/saq"


def test_nobody_is_told_twice_for_one_change_and_a_wording_change_tells_nobody(session, world):
    campaign = world["campaign"]
    campaigns.edit(session, campaign, _edit(campaign, LATER), campaign.version_id, None, TODAY, NOW)
    assert campaigns.tell_due_date_moved(session, campaign, FIRST, NOW) == 0  # the same change again
    campaigns.edit(session, campaign, _edit(campaign, LATER, "新标题"), campaign.version_id, None, TODAY, NOW)
    assert len(_told(session)) == 3
    # A second move is a new change: told again, with the new dates.
    campaigns.edit(session, campaign, _edit(campaign, LATER + timedelta(days=7)), campaign.version_id, None, TODAY,
                   NOW + timedelta(days=1))
    told = _told(session)
    assert len(told) == 6 and f"to {(LATER + timedelta(days=7)).isoformat()}" in told[-1].message_en


def test_the_notice_goes_by_e_mail_when_mail_is_configured(session, world):
    campaign = world["campaign"]
    campaigns.edit(session, campaign, _edit(campaign, LATER), campaign.version_id, None, TODAY, NOW)
    sent = []
    assert notifications.send_email(session, {"MAIL_FROM": "esg@example.com"}, sent.append, NOW) == 3
    assert {m["To"] for m in sent} == {world["account"].email, world["contact"], world["address"]}
    assert all(LATER.isoformat() in m.get_content() for m in sent)
    assert notifications.send_email(session, {}, sent.append, NOW) == 0  # mailed once


def test_the_supplier_reads_it_in_its_own_language(app, session, world):
    campaign = world["campaign"]
    campaigns.edit(session, campaign, _edit(campaign, LATER), campaign.version_id, None, TODAY, NOW)
    session.commit()
    client = app.test_client()
    login(client, world["account"].email)
    # The account chose English: English, whatever the browser asks for.
    page = client.get("/notifications/", headers={"Accept-Language": "zh"}).text
    assert f"moved from {FIRST.isoformat()} to {LATER.isoformat()}" in page
    session.get(User, world["account"].id).locale = "zh"  # the account now reads Chinese
    session.commit()
    chinese = client.get("/notifications/", headers={"Accept-Language": "en"}).text
    assert f"截止日期已由 {FIRST.isoformat()} 调整为 {LATER.isoformat()}" in chinese
