"""Daily-work routes (issue 13): the supplier picker, the inbox, notifications, bulk work."""

from __future__ import annotations

from tests.web.access import EDITORS, ROLES, STAFF, allow

LOGGED_IN = {role: 302 if role == "anonymous" else 200 for role in ROLES}
# An empty POST (CSRF only) marks nothing and goes back to the list.
LOGGED_IN_POST = {role: 302 for role in ROLES}

RULES = {
    "picker.lookup": {"GET": allow(STAFF)},
    "inbox.index": {"GET": allow(STAFF)},
    "inbox.pledge_renewals": {"GET": allow(EDITORS)},
    "notifications.index": {"GET": LOGGED_IN},
    "notifications.read_all": {"POST": LOGGED_IN_POST},
    # Someone else's notification: not found, whoever asks.
    "notifications.open_one": {"POST": {role: 302 if role == "anonymous" else 404 for role in ROLES}},
    "notifications.settings": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "notifications.log": {"GET": allow(("admin", "auditor"))},
}


def sample(session) -> dict:
    """A notification of another account (nobody in the walk may open it)."""
    from datetime import UTC, datetime

    from supplychain.services import notifications
    from tests.factories import gen_user

    other = gen_user(session, "procurement", email="someone-else@example.com")
    message = notifications.Message("certificate_expiring", "access-sample", "样例", "sample", "/")
    row = notifications.notify(session, other, message, datetime.now(UTC))
    return {"notification_id": row.id}
