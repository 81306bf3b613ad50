"""Notifications: told once, every delivery recorded, e-mail at once or in a daily digest (issue 13, build 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, Notification, NotificationDelivery
from supplychain.services.daily_work import inbox, notifications
from supplychain.services.evidence import certifications
from tests.evidence_factories import gen_certificate, gen_pledge
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import gen_portal_user

NOW = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)
TODAY = NOW.date()
SETTINGS = {"MAIL_FROM": "esg@example.com", "COMPANY_NAME": "示例集团有限公司",
            "PUBLIC_BASE_URL": "https://esg.example.com"}


def _message(key="k1"):
    return notifications.Message("certificate_expiring", key, "证书即将到期", "A certificate expires soon",
                                 "/suppliers/1")


def test_nobody_is_told_twice_about_the_same_thing(session):
    user = gen_user(session, "procurement")
    assert notifications.notify(session, user, _message(), NOW) is not None
    assert notifications.notify(session, user, _message(), NOW + timedelta(days=1)) is None
    assert notifications.notify_many(session, [user, "Contact@Example.cn", "contact@example.cn"], _message(), NOW) == 1
    assert notifications.notify(session, user, _message("k2"), NOW) is not None
    rows = list(session.scalars(select(Notification).order_by(Notification.id)))
    assert [(r.recipient, r.key) for r in rows] == [
        (f"user:{user.id}", "k1"), ("contact@example.cn", "k1"), (f"user:{user.id}", "k2")]
    # An account's notice is delivered in the app at once; an address waits for e-mail.
    assert [d.channel for d in rows[0].deliveries] == ["in_app"] and rows[1].deliveries == []


def test_certificate_reminders_tell_the_buyer_and_the_supplier_once_per_state(session):
    buyer = gen_user(session, "procurement")
    supplier = gen_supplier(session, status="qualified")
    member = gen_portal_user(session, supplier)
    cert = gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=10))
    cert.created_by_id = buyer.id
    session.flush()
    rows = certifications.expiry_list(session, TODAY, certifications.ExpiryFilters(days=60))
    assert notifications.remind_certificates(session, rows, TODAY, NOW) == 3  # buyer, portal user, contact
    assert notifications.remind_certificates(session, rows, TODAY, NOW) == 0
    told = {n.recipient for n in session.scalars(select(Notification))}
    assert told == {f"user:{buyer.id}", f"user:{member.id}", supplier.contacts[0].email.lower()}
    note = session.scalar(select(Notification).where(Notification.user_id == buyer.id))
    assert "10 天后" in note.message_zh and "in 10 days" in note.message_en
    # Once it has expired, that is news: everyone is told again, once.
    later = TODAY + timedelta(days=11)
    rows = certifications.expiry_list(session, later, certifications.ExpiryFilters(days=60))
    assert notifications.remind_certificates(session, rows, later, NOW) == 3
    assert notifications.remind_certificates(session, rows, later, NOW) == 0


def test_pledge_renewal_reminders_work_like_certificate_reminders(session):
    gen_user(session, "procurement")
    supplier = gen_supplier(session, status="qualified")
    gen_pledge(session, supplier, signed_on=date(2024, 1, 1), valid_until=TODAY + timedelta(days=20))
    rows = inbox.pledges_due(session, TODAY, 60)
    assert notifications.remind_pledges(session, rows, TODAY, NOW) == 2  # every buyer and the contact
    assert notifications.remind_pledges(session, rows, TODAY, NOW) == 0
    assert {n.kind for n in session.scalars(select(Notification))} == {"pledge_renewal"}


def test_email_at_once_digest_or_none_each_recorded(session):
    at_once = gen_user(session, "procurement", email="now@example.com")
    daily = gen_user(session, "procurement", email="daily@example.com")
    quiet = gen_user(session, "procurement", email="quiet@example.com")
    notifications.set_email_mode(session, daily, "digest", daily)
    notifications.set_email_mode(session, quiet, "off", quiet)
    for key in ("a", "b"):
        notifications.notify_many(session, [at_once, daily, quiet, "contact@example.cn"], _message(key), NOW)
    sent = []
    assert notifications.send_email(session, SETTINGS, sent.append, NOW, "email") == 2
    assert sorted(m["To"] for m in sent) == ["contact@example.cn", "now@example.com"]
    assert "https://esg.example.com/suppliers/1" in sent[0].get_content()
    assert notifications.send_email(session, SETTINGS, sent.append, NOW, "email") == 0  # nothing twice
    digest = []
    assert notifications.send_email(session, SETTINGS, digest.append, NOW, "digest") == 1
    assert digest[0]["To"] == "daily@example.com" and "每日提醒汇总" in digest[0]["Subject"]
    assert notifications.send_email(session, SETTINGS, digest.append, NOW, "digest") == 0
    channels = dict(session.execute(select(NotificationDelivery.channel, func.count())
                                    .group_by(NotificationDelivery.channel)).all())
    assert channels == {"in_app": 6, "email": 4, "digest": 2}
    log = notifications.delivery_log(session)
    assert {d.address for _, d in log if d.channel != "in_app"} == {
        "now@example.com", "contact@example.cn", "daily@example.com"}


def test_mailing_reads_the_recipients_in_bulk_not_one_by_one(app, session):
    """`flask notifications send` over thousands of notices: a fixed number of queries, whatever the count."""
    users = [gen_user(session, "procurement", email=f"buyer{i}@example.com") for i in range(30)]
    notifications.set_email_mode(session, users[0], "digest", users[0])
    users[1].active = False
    notifications.notify_many(session, [*users, "contact@example.cn"], _message(), NOW)
    session.flush()
    session.expire_all()  # nothing from the identity map: every recipient must be read
    statements = []
    engine = app.extensions["sqlalchemy_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        sent = []
        assert notifications.send_email(session, SETTINGS, sent.append, NOW, "email") == 29
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # The digest reader and the deactivated account get no immediate mail; everyone else gets one.
    assert "buyer0@example.com" not in {m["To"] for m in sent} and "buyer1@example.com" not in {m["To"] for m in sent}
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4  # the notices, their deliveries, the recipients' modes


def test_old_notices_are_not_emailed_when_mail_is_configured_later(session):
    user = gen_user(session, "procurement")
    notifications.notify(session, user, _message(), NOW - timedelta(days=30))
    assert notifications.send_email(session, SETTINGS, [].append, NOW, "email") == 0


def test_the_email_setting_is_checked_and_audited(session):
    user = gen_user(session, "reviewer")
    assert notifications.email_mode(session, user) == "immediate"
    with pytest.raises(ValidationFailed) as failure:
        notifications.set_email_mode(session, user, "hourly", user)
    assert "email_mode" in failure.value.errors
    notifications.set_email_mode(session, user, "digest", user)
    assert notifications.email_mode(session, user) == "digest"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "notification_setting"))
    assert entry.changes == {"email_mode": ["immediate", "digest"]}


def test_reading_marks_only_my_own(session):
    me, other = gen_user(session, "procurement"), gen_user(session, "procurement")
    mine = notifications.notify(session, me, _message(), NOW)
    theirs = notifications.notify(session, other, _message(), NOW)
    assert notifications.count_unread(session, me) == 1
    assert notifications.mark_read(session, me, NOW, theirs.id) == 0
    assert notifications.mark_read(session, me, NOW) == 1
    assert mine.read_at == NOW and theirs.read_at is None and notifications.count_unread(session, me) == 0
