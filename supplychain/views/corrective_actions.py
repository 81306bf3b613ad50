"""Corrective actions (整改): list, overdue list, create, edit, submit evidence, verify."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import ActionForm, ActionVerificationForm, SubmissionForm
from supplychain import db
from supplychain.clock import today
from supplychain.evidence_labels import INCIDENT_CATEGORY_LABELS
from supplychain.models import CorrectiveAction, Supplier
from supplychain.models.incidents import ACTION_DISPLAY_STATUSES
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evidence import corrective_actions, incidents
from supplychain.services.risk import audits
from supplychain.views.evidence_support import get_or_404, read_upload, store, submit

bp = Blueprint("corrective_actions", __name__, url_prefix="/corrective-actions")
MENU = [("corrective_actions.index", _l("Corrective actions"), STAFF)]
VERIFIERS = (*EDITORS, "reviewer")


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Corrective actions by deadline, filtered by status (overdue included)."""
    status = request.args.get("status", "")
    status = status if status in ACTION_DISPLAY_STATUSES else ""
    rows = [(a, corrective_actions.display_status(a, today()))
            for a in corrective_actions.list_actions(db.session, today(), status)]
    return render_template("corrective_actions/index.html", rows=rows, status=status,
                           statuses=ACTION_DISPLAY_STATUSES, title=_("Corrective actions"))


@bp.route("/overdue")
@roles_required(*STAFF)
def overdue():
    """Actions past their deadline and not verified."""
    rows = [(a, "overdue") for a in corrective_actions.overdue(db.session, today())]
    return render_template("corrective_actions/index.html", rows=rows, status="overdue",
                           statuses=ACTION_DISPLAY_STATUSES, title=_("Overdue corrective actions"))


def _fill(form: ActionForm, supplier: Supplier) -> None:
    form.incident_id.choices = [("", _("(none)"))] + [
        (str(i.id), f"#{i.id} {i.occurred_on.isoformat()} {INCIDENT_CATEGORY_LABELS[i.category]}")
        for i in incidents.for_supplier(db.session, supplier.id)]


def _save(form: ActionForm, supplier: Supplier, existing: CorrectiveAction | None):
    data = corrective_actions.ActionData(
        action=form.action.data or "", owner=form.owner.data or "", due_on=form.due_on.data,
        incident_id=form.incident_id.data, evaluation_id=existing.evaluation_id if existing else None)
    return submit(
        form, lambda: corrective_actions.check_action(db.session, supplier, data, today(), existing),
        lambda: corrective_actions.save_action(db.session, supplier, data, current_user, today(), existing),
        record=existing, entity_type="corrective_action")


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create(supplier_id: int):
    """Require a corrective action of a supplier (optionally for one of its incidents: ?incident=<id>)."""
    supplier = get_or_404(Supplier, supplier_id)
    form = ActionForm()
    _fill(form, supplier)
    if request.method == "GET":
        form.incident_id.data = request.args.get("incident", type=int)
    if form.is_submitted() and (saved := _save(form, supplier, None)) is not None:
        flash(_("Corrective action recorded."), "success")
        return redirect(url_for(".view", action_id=saved.id))
    return render_template("corrective_actions/form.html", form=form, supplier=supplier, action=None)


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(action_id: int):
    """Change the action, owner or deadline of an action not yet verified."""
    action = get_or_404(CorrectiveAction, action_id)
    # A record of the reader's organisation may name a supplier only other organisations buy from: editing it
    # needs the supplier, which is not found for them (the record's page shows it without the Edit button).
    supplier = get_or_404(Supplier, action.supplier_id)
    form = ActionForm(obj=None if request.method == "POST" else action)
    _fill(form, supplier)
    if form.is_submitted() and _save(form, supplier, action) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".view", action_id=action.id))
    return render_template("corrective_actions/form.html", form=form, supplier=supplier, action=action)


def _render_view(action: CorrectiveAction, submission: SubmissionForm, verification: ActionVerificationForm):
    trail = audit.for_entity(db.session, "corrective_action", action.id)
    status = corrective_actions.display_status(action, today())
    return render_template("corrective_actions/view.html", action=action, submission=submission,
                           verification=verification, status=status, trail=trail,
                           finding=audits.finding_of_action(db.session, action.id))


@bp.route("/<int:action_id>")
@roles_required(*STAFF)
def view(action_id: int):
    """An action with its submission and verification."""
    action = get_or_404(CorrectiveAction, action_id)
    return _render_view(action, SubmissionForm(), ActionVerificationForm())


@bp.route("/<int:action_id>/submit", methods=["POST"])
@roles_required(*EDITORS)
def submit_action(action_id: int):
    """Report the action done, with a note and/or evidence (entered by procurement for the supplier)."""
    action = get_or_404(CorrectiveAction, action_id)
    form = SubmissionForm()
    files = store()
    upload = read_upload(form.evidence.data, files.max_bytes)
    note = form.note.data or ""
    saved = submit(
        form, lambda: corrective_actions.check_submission(action, note, upload, files.max_bytes)[0],
        lambda: corrective_actions.submit(db.session, action, note, upload, files, current_user, today()))
    if saved is not None:
        flash(_("Submitted for verification."), "success")
        return redirect(url_for(".view", action_id=action.id))
    return _render_view(action, form, ActionVerificationForm())


@bp.route("/<int:action_id>/verify", methods=["POST"])
@roles_required(*VERIFIERS)
def verify(action_id: int):
    """Accept the submission (verified) or send it back (open), with a note."""
    action = get_or_404(CorrectiveAction, action_id)
    form = ActionVerificationForm()
    accepted, note = form.decision.data == "accept", form.verification_note.data or ""
    saved = submit(
        form, lambda: corrective_actions.check_verification(action, accepted, note, current_user),
        lambda: corrective_actions.verify(db.session, action, accepted, note, current_user, today()))
    if saved is not None:
        flash(_("Verification recorded.") if accepted else _("Sent back to the supplier."), "success")
        return redirect(url_for(".view", action_id=action.id))
    return _render_view(action, SubmissionForm(), form)
