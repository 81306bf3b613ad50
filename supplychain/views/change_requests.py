"""Registry changes suppliers ask for in the portal: procurement approves or rejects them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.portal import DecisionForm
from supplychain import db, portal_labels
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.models import CHANGE_REQUEST_STATUSES, ChangeRequest
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.registry import change_requests
from supplychain.views.evidence_support import get_or_404
from supplychain.views.forms_support import attach_errors
from supplychain.views.portal import now

bp = Blueprint("change_requests", __name__, url_prefix="/change-requests")
bp.record_once(portal_labels.install)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Requests by status, the oldest pending first."""
    status = request.args.get("status", "pending")
    status = status if status in CHANGE_REQUEST_STATUSES or status == "" else "pending"
    return render_template(
        "change_requests/index.html",
        status=status,
        statuses=CHANGE_REQUEST_STATUSES,
        requests=change_requests.list_requests(db.session, status),
    )


@bp.route("/<int:request_id>")
@roles_required(*STAFF)
def view(request_id: int):
    """One request with the old and new values and the licence."""
    item = get_or_404(ChangeRequest, request_id)
    return render_template("change_requests/view.html", item=item, form=DecisionForm())


def _decide(request_id: int, approve: bool):
    item = get_or_404(ChangeRequest, request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if approve:
                change_requests.approve(
                    db.session, item, form.decision_note.data or "", current_user, now(), today()
                )
            else:
                change_requests.reject(db.session, item, form.decision_note.data or "", current_user, now())
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
            return render_template(
                "change_requests/view.html", item=get_or_404(ChangeRequest, request_id), form=form
            ), 200
        db.session.commit()
        flash(
            _("Change approved: the registry is updated.") if approve else _("Change request rejected."),
            "success",
        )
    return redirect(url_for(".view", request_id=item.id))


@bp.route("/<int:request_id>/approve", methods=["POST"])
@roles_required(*EDITORS)
def approve(request_id: int):
    """Apply the requested values (the registry's rules still apply)."""
    return _decide(request_id, True)


@bp.route("/<int:request_id>/reject", methods=["POST"])
@roles_required(*EDITORS)
def reject(request_id: int):
    """Refuse the request with a note to the supplier."""
    return _decide(request_id, False)
