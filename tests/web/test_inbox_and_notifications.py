"""The home page inbox, notification pages and `flask pledges expiring` (issue 13, builds 1 and 2)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from supplychain.models import Notification
from supplychain.services.daily_work import notifications
from tests.evaluation_factories import gen_submitted
from tests.evidence_factories import gen_action, gen_pledge
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import gen_portal_user
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}


def test_the_home_page_shows_what_waits_for_a_reviewer(client, session):
    evaluation = gen_submitted(session, levels=1, today=date.today())
    reviewer = gen_user(session, "reviewer")
    gen_action(session, evaluation.supplier, due_on=date.today() - timedelta(days=2))
    session.commit()
    login(client, reviewer.email)
    page = client.get("/", headers=EN).text
    assert 'data-inbox-section="approvals" data-count="1"' in page
    assert f'/evaluations/{evaluation.id}"' in page and "Evaluations to approve" in page
    assert 'data-inbox-section="overdue" data-count="1"' in page
    assert "/bulk/evaluations?status=submitted" in page


def test_the_creator_of_an_evaluation_is_not_asked_to_approve_it(client, session):
    evaluation = gen_submitted(session, levels=1, today=date.today())
    creator = session.get(type(gen_user(session, "auditor")), evaluation.created_by_id)
    creator.role = "admin"
    session.commit()
    login(client, creator.email)
    page = client.get("/").text
    assert 'data-inbox-section="approvals"' not in page


def test_an_empty_inbox_says_so_in_chinese(client, session):
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)
    page = client.get("/", headers={"Accept-Language": "zh"}).text
    assert "目前没有待办事项。" in page and 'data-inbox-total="0"' in page


def test_pledge_renewals_page_lists_the_pledge_due(client, session):
    supplier = gen_supplier(session, status="qualified", name_zh="续签测试有限公司")
    pledge = gen_pledge(session, supplier, signed_on=date(2024, 1, 1), valid_until=date.today() + timedelta(days=3))
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get("/inbox/pledge-renewals").text
    assert f'data-pledge="{pledge.id}"' in page and "续签测试有限公司" in page
    assert 'data-inbox-section="pledges" data-count="1"' in client.get("/").text


def test_notifications_are_listed_opened_and_read(client, session):
    user = gen_user(session, "procurement")
    other = gen_user(session, "procurement")
    message = notifications.Message("certificate_expiring", "x", "证书即将到期", "A certificate expires soon",
                                    "/suppliers/")
    mine = notifications.notify(session, user, message, datetime.now(UTC))
    theirs = notifications.notify(session, other, message, datetime.now(UTC))
    session.commit()
    login(client, user.email)
    assert 'data-unread="1"' in client.get("/").text
    page = client.get("/notifications/", headers=EN)
    assert "A certificate expires soon" in page.text and f'data-notification="{theirs.id}"' not in page.text
    token = csrf_token(page.text)
    assert client.post(f"/notifications/{theirs.id}/open", data={"csrf_token": token}).status_code == 404
    opened = client.post(f"/notifications/{mine.id}/open", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/suppliers/")
    session.expire_all()
    assert session.get(Notification, mine.id).read_at is not None
    assert session.get(Notification, theirs.id).read_at is None
    # Without a CSRF token nothing is marked.
    assert client.post(f"/notifications/{mine.id}/open").status_code == 400


def test_the_email_setting_is_chosen_on_its_page(client, session):
    user = gen_user(session, "reviewer")
    session.commit()
    login(client, user.email)
    bad = post_form(client, "/notifications/settings", {"email_mode": "hourly"}, headers=EN)
    assert bad.status_code == 200 and "Not a valid choice" in bad.text
    good = post_form(client, "/notifications/settings", {"email_mode": "digest"})
    assert good.status_code == 302
    assert notifications.email_mode(session, user) == "digest"


def test_supplier_users_see_their_notifications_too(client, session):
    supplier = gen_supplier(session, status="qualified")
    member = gen_portal_user(session, supplier)
    gen_pledge(session, supplier, signed_on=date(2024, 1, 1), valid_until=date.today() + timedelta(days=3))
    session.commit()
    result = client.application.test_cli_runner().invoke(args=["pledges", "expiring", "--no-mail"])
    assert result.exit_code == 0, result.output
    assert "1 pledges due for renewal" in result.stderr and re.search(r"\d+ new notifications", result.stderr)
    login(client, member.email)
    page = client.get("/notifications/", headers=EN).text
    assert "please renew it" in page
    again = client.application.test_cli_runner().invoke(args=["pledges", "expiring", "--no-mail"])
    assert "0 new notifications" in again.stderr
    assert len(list(session.scalars(select(Notification).where(Notification.user_id == member.id)))) == 1


def test_the_delivery_log_is_for_admins_and_auditors(client, session):
    auditor = gen_user(session, "auditor")
    buyer = gen_user(session, "procurement", email="told@example.com")
    notifications.notify(session, buyer, notifications.Message("pledge_renewal", "y", "请续签", "Please renew"),
                         datetime.now(UTC))
    session.commit()
    login(client, auditor.email)
    page = client.get("/notifications/log", headers=EN).text
    assert "told@example.com" in page and "Please renew" in page and "In the app" in page


def test_the_daily_digest_command_mails_each_digest_user_once(app, session, monkeypatch):
    from tests.web.test_certificates import FakeSMTP

    daily = gen_user(session, "procurement", email="daily@example.com")
    notifications.set_email_mode(session, daily, "digest", daily)
    for key in ("d1", "d2"):
        notifications.notify(session, daily, notifications.Message("pledge_renewal", key, "请续签", "Please renew"),
                             datetime.now(UTC))
    session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["notifications", "digest"]).exit_code == 1  # no MAIL_SERVER: says so, sends nothing
    FakeSMTP.sent = []
    monkeypatch.setattr(notifications.certifications.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.com")
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "1 digests sent." in result.stderr
    (message,) = FakeSMTP.sent
    assert message["To"] == "daily@example.com" and message.get_content().count("Please renew") == 2
    assert "0 digests sent." in runner.invoke(args=["notifications", "digest"]).stderr
    assert "0 e-mails sent." in runner.invoke(args=["notifications", "send"]).stderr


def test_a_traditional_chinese_reader_reads_notifications_in_traditional_chinese(client, session):
    """The page converts the Chinese text for a zh_Hant reader; the stored text stays simplified."""
    user = gen_user(session, "admin")
    message = notifications.Message("campaign_due", "hant",
                                    "重庆信达铸造有限公司：问卷《供应商 ESG 自评问卷》将于 2026-12-19 截止",
                                    "A questionnaire is due on 2026-12-19", "/campaigns/")
    mine = notifications.notify(session, user, message, datetime.now(UTC))
    session.commit()
    login(client, user.email)
    hant = {"Accept-Language": "zh-TW"}
    for url in ("/notifications/", "/notifications/log"):
        page = client.get(url, headers=hant)
        assert page.status_code == 200
        assert "重慶信達鑄造有限公司：問卷《供應商 ESG 自評問卷》將於 2026-12-19 截止" in page.text, url
        assert "重庆信达铸造有限公司" not in page.text, url
        assert "重庆信达铸造有限公司" in client.get(url).text
        assert "A questionnaire is due on 2026-12-19" in client.get(url, headers=EN).text
    session.expire_all()
    assert session.get(Notification, mine.id).message_zh.startswith("重庆信达铸造有限公司")
