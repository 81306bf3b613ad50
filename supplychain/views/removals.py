"""Removing evidence with a reason (soft deletes, issue 14), and the page where auditors see what was removed.

Certificates and pledges are removed from the supplier page (their own blueprints); trainings,
incidents and corrective actions here. Removed records disappear from lists, the supplier page,
scores and disclosure figures, and stay listed here with who removed them, when and why.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import ReasonForm
from supplychain import db
from supplychain.models import CorrectiveAction, Incident, Supplier, TrainingSession
from supplychain.security import EDITORS, roles_required
from supplychain.services.evidence import soft_delete
from supplychain.views.evidence_support import get_or_404, run_and_flash

bp = Blueprint("removals", __name__, url_prefix="/removals")
READERS = ("admin", "auditor")
MENU = [("removals.index", _l("Removed evidence"), READERS)]
TYPE_LABELS = {
    "certification": _l("Certificate"), "pledge": _l("Pledge"), "training_session": _l("Training session"),
    "incident": _l("Incident"), "corrective_action": _l("Corrective action"),
}


@bp.route("/")
@roles_required(*READERS)
def index():
    """Every removed evidence record with who removed it, when and why (auditors and admins)."""
    return render_template("removals/index.html", rows=soft_delete.deleted_records(db.session),
                           type_labels=TYPE_LABELS)


def _remove(record, entity_type: str, done_message: str, done_url: str, back_url: str):
    """Remove the record with the reason of the posted form: to `done_url` when removed, else back."""
    form = ReasonForm()
    if run_and_flash(form, lambda: soft_delete.delete_record(db.session, entity_type, record,
                                                             form.reason.data or "", current_user)):
        flash(done_message, "success")
        return redirect(done_url)
    return redirect(back_url)


def _supplier_page_or(supplier_id: int, fallback: str) -> str:
    """Where to go after removing a supplier's record: its page, or `fallback` when the reader's scope does not
    hold the supplier (a record of their organisation naming a supplier only others buy from)."""
    return url_for("suppliers.view", supplier_id=supplier_id) if db.session.get(Supplier, supplier_id) else fallback


@bp.route("/trainings/<int:training_id>", methods=["POST"])
@roles_required(*EDITORS)
def training(training_id: int):
    """Remove a training session recorded by mistake (with a reason)."""
    return _remove(get_or_404(TrainingSession, training_id), "training_session", _("Training session removed."),
                   url_for("trainings.index"), url_for("trainings.view", training_id=training_id))


@bp.route("/incidents/<int:incident_id>", methods=["POST"])
@roles_required(*EDITORS)
def incident(incident_id: int):
    """Remove an incident recorded by mistake (with a reason); its corrective actions stay."""
    record = get_or_404(Incident, incident_id)
    return _remove(record, "incident", _("Incident removed."),
                   _supplier_page_or(record.supplier_id, url_for("incidents.index")),
                   url_for("incidents.view", incident_id=incident_id))


@bp.route("/corrective-actions/<int:action_id>", methods=["POST"])
@roles_required(*EDITORS)
def corrective_action(action_id: int):
    """Remove a corrective action recorded by mistake (with a reason)."""
    record = get_or_404(CorrectiveAction, action_id)
    return _remove(record, "corrective_action", _("Corrective action removed."),
                   _supplier_page_or(record.supplier_id, url_for("corrective_actions.index")),
                   url_for("corrective_actions.view", action_id=action_id))
