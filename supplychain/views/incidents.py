"""Incidents at suppliers: list, record, view with corrective actions, edit and close."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import IncidentForm
from supplychain import db
from supplychain.clock import today
from supplychain.evidence_labels import INCIDENT_CATEGORY_LABELS, INCIDENT_STATUS_LABELS, SEVERITY_LABELS
from supplychain.models import INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_STATUSES, Incident, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evidence import corrective_actions, incidents
from supplychain.views.evidence_support import get_or_404, submit
from supplychain.views.forms_support import fill_organisations

bp = Blueprint("incidents", __name__, url_prefix="/incidents")
MENU = [("incidents.index", _l("Incidents"), STAFF)]


def list_filters() -> incidents.IncidentFilters:
    """The list's filters from the query string (also used by the list's XLSX/CSV export)."""
    args = request.args
    return incidents.IncidentFilters(
        category=args.get("category", "") if args.get("category") in INCIDENT_CATEGORIES else "",
        severity=args.get("severity", "") if args.get("severity") in INCIDENT_SEVERITIES else "",
        status=args.get("status", "") if args.get("status") in INCIDENT_STATUSES else "",
        significant=args.get("significant") == "1")


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Incidents with filters; "significant" shows the major and critical social or environmental ones."""
    filters = list_filters()
    return render_template("incidents/index.html", rows=incidents.list_incidents(db.session, filters),
                           filters=filters, categories=INCIDENT_CATEGORIES, severities=INCIDENT_SEVERITIES,
                           statuses=INCIDENT_STATUSES)


def _fill(form: IncidentForm, existing=None) -> None:
    fill_organisations(form.organisation_id, existing.organisation_id if existing else None)
    form.category.choices = [("", "—")] + [(c, INCIDENT_CATEGORY_LABELS[c]) for c in INCIDENT_CATEGORIES]
    form.severity.choices = [("", "—")] + [(s, SEVERITY_LABELS[s]) for s in INCIDENT_SEVERITIES]
    form.status.choices = [(s, INCIDENT_STATUS_LABELS[s]) for s in INCIDENT_STATUSES]


def _save(form: IncidentForm, supplier: Supplier, existing: Incident | None):
    data = incidents.IncidentData(organisation_id=form.organisation_id.data,
        category=form.category.data or "", severity=form.severity.data or "",
        occurred_on=form.occurred_on.data, description=form.description.data or "",
        source=form.source.data or "", status=form.status.data or "")
    return submit(
        form, lambda: incidents.check_incident(data, today(), existing),
        lambda: incidents.save_incident(db.session, supplier, data, current_user, today(), existing),
        record=existing, entity_type="incident")


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create(supplier_id: int):
    """Record an incident at a supplier."""
    supplier = get_or_404(Supplier, supplier_id)
    form = IncidentForm()
    _fill(form)
    if form.is_submitted() and (saved := _save(form, supplier, None)) is not None:
        flash(_("Incident recorded."), "success")
        return redirect(url_for(".view", incident_id=saved.id))
    return render_template("incidents/form.html", form=form, supplier=supplier, incident=None)


@bp.route("/<int:incident_id>")
@roles_required(*STAFF)
def view(incident_id: int):
    """An incident with its corrective actions and history."""
    incident = get_or_404(Incident, incident_id)
    actions = [(a, corrective_actions.display_status(a, today())) for a in incident.actions]
    trail = audit.for_entity(db.session, "incident", incident.id)
    return render_template("incidents/view.html", incident=incident, actions=actions, trail=trail)


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(incident_id: int):
    """Edit an incident, or close it once its corrective actions are verified."""
    incident = get_or_404(Incident, incident_id)
    # A record of the reader's organisation may name a supplier only other organisations buy from: editing it
    # needs the supplier, which is not found for them (the record's page shows it without the Edit button).
    supplier = get_or_404(Supplier, incident.supplier_id)
    form = IncidentForm(obj=None if request.method == "POST" else incident)
    _fill(form, incident)
    if form.is_submitted() and _save(form, supplier, incident) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".view", incident_id=incident.id))
    return render_template("incidents/form.html", form=form, supplier=supplier, incident=incident)
