"""Gaps found by auditing issues 13 and 14 against their text, each pinned."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from supplychain.services import invitations, notifications
from tests.factories import gen_user
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def test_d13_notifications_show_their_times_in_the_report_time_zone(client, session):
    user = gen_user(session, "procurement")
    message = notifications.Message("certificate_expiring", "tz", "证书即将到期", "A certificate expires soon",
                                    "/suppliers/")
    notifications.notify(session, user, message, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    session.commit()
    login(client, user.email)
    page = client.get("/notifications/", headers=EN).text
    assert "2026-03-02 07:30 +08:00" in page
    assert "2026-03-01 23:30" not in page


def test_d13_the_invitation_email_gives_its_expiry_in_the_report_time_zone():
    invitation = SimpleNamespace(expires_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC), email="li@example.com",
                                 name="李雷", supplier=SimpleNamespace(name_zh="重庆同力"))
    text = invitations.compose(invitation, "https://x/i/abc", "集团", "noreply@x", "Asia/Shanghai").get_content()
    assert "2026-03-02 07:30 +08:00" in text and "UTC" not in text
