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
    "bulk.evaluations": {"GET": allow(STAFF)},
    "bulk.grid": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=302)},  # the empty grid saves nothing
    # 404 when the batch holds no draft (other areas' samples may add some).
    "bulk.grid_xlsx": {"GET": allow(EDITORS, ok={200, 404})},
    "bulk.grid_upload": {"POST": allow(EDITORS, ok=200)},  # no file: the error on the page
    "bulk.submit": {"POST": allow(EDITORS, ok=302)},  # nothing ticked: back to the batch
    "bulk.approve": {"POST": allow(("admin", "reviewer"), ok=302)},
    # Someone else's job: only an admin may look at it.
    "bulk.job": {"GET": {**allow(STAFF, ok=404), "admin": 200}},
    "bulk.suppliers": {"GET": allow(EDITORS)},
    # Nothing ticked: refused with a message, back to the list.
    "bulk.supplier_status": {"POST": allow(EDITORS, ok=302)},
    "bulk.supplier_invite": {"POST": allow(EDITORS, ok=302)},
    "bulk.supplier_remind": {"POST": allow(EDITORS, ok=302)},
    "bulk.supplier_attendance": {"POST": allow(EDITORS, ok=302)},
    "action_requests.index": {"GET": allow(STAFF)},
    "action_requests.approve": {"POST": allow(EDITORS, ok=302)},
    "action_requests.reject": {"POST": allow(EDITORS, ok=302)},
}


def sample(session) -> dict:
    """A notification and a bulk job of another account (nobody but an admin may see them)."""
    from datetime import UTC, datetime

    from supplychain.services.daily_work import notifications
    from tests.factories import gen_user

    other = gen_user(session, "procurement", email="someone-else@example.com")
    message = notifications.Message("certificate_expiring", "access-sample", "样例", "sample", "/")
    row = notifications.notify(session, other, message, datetime.now(UTC))
    from supplychain import jobs

    job = jobs.create_inline(session, "bulk_approve", {"evaluation_ids": []}, other)
    from supplychain.services.daily_work import high_impact
    from tests.factories import gen_supplier

    supplier = gen_supplier(session, name_zh="待二次审批供应商有限公司")
    request = high_impact.request_status_change(session, supplier, "suspended", "质量问题", other, datetime.now(UTC))
    return {"notification_id": row.id, "bulk_job_id": job.id, "action_request_id": request.id}
