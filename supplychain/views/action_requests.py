"""High-impact actions waiting for a second person (SECOND_APPROVAL_FOR_HIGH_IMPACT): list, approve, reject."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.bulk import ActionDecisionForm
from supplychain import clock, db
from supplychain.clock import today
from supplychain.labels import STATUS_LABELS
from supplychain.models import ActionRequest
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.daily_work import high_impact
from supplychain.views.forms_support import saving

bp = Blueprint("action_requests", __name__, url_prefix="/action-requests")


def second_person_needed(status: str) -> bool:
    """Whether a manual change to this status (or a blacklisting) must wait for a second person now."""
    return high_impact.needs_second_person(bool(current_app.config.get("SECOND_APPROVAL_FOR_HIGH_IMPACT")), status)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Requests awaiting a second person's approval, the oldest first, and the latest decisions."""
    return render_template("action_requests/index.html", pending=high_impact.pending(db.session),
                           recent=high_impact.recent(db.session), form=ActionDecisionForm(),
                           status_labels=STATUS_LABELS)


def _decide(action_request_id: int, approve: bool):
    request = db.session.get(ActionRequest, action_request_id) or abort(404)
    form = ActionDecisionForm()
    if form.validate_on_submit():
        now = clock.now()
        with saving() as outcome:
            if approve:
                high_impact.approve(db.session, request, current_user, form.decision_note.data or "", now, today())
            else:
                high_impact.reject(db.session, request, current_user, form.decision_note.data or "", now)
        if outcome.saved:
            flash(_("Request approved and carried out.") if approve else _("Request rejected."), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:action_request_id>/approve", methods=["POST"])
@roles_required(*EDITORS)
def approve(action_request_id: int):
    """Approve: the blacklisting or status change is carried out now, with its usual checks."""
    return _decide(action_request_id, True)


@bp.route("/<int:action_request_id>/reject", methods=["POST"])
@roles_required(*EDITORS)
def reject(action_request_id: int):
    """Reject with a note."""
    return _decide(action_request_id, False)
