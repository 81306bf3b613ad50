"""The inbox: what waits for me (also on the home page) and the pledges due for renewal."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from supplychain import db
from supplychain.clock import today
from supplychain.evidence_labels import PLEDGE_KIND_LABELS
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.daily_work import inbox

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


def warning_days() -> int:
    """The expiry window of certificates and pledges (CERT_EXPIRY_WARNING_DAYS)."""
    return int(current_app.config.get("CERT_EXPIRY_WARNING_DAYS") or 60)


def current_inbox() -> inbox.Inbox:
    """The logged-in staff user's inbox (the home page shows it above the dashboard)."""
    return inbox.for_user(db.session, current_user, today(), warning_days())


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Everything waiting for me, on its own page."""
    return render_template("inbox/index.html", inbox=current_inbox())


@bp.route("/pledge-renewals")
@roles_required(*EDITORS)
def pledge_renewals():
    """Pledges of active suppliers due for renewal, soonest first."""
    days = warning_days()
    rows = inbox.pledges_due(db.session, today(), days)
    return render_template("inbox/pledge_renewals.html", rows=rows, days=days, today=today(),
                           kind_labels=PLEDGE_KIND_LABELS)
