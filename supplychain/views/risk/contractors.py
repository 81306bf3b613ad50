"""Contractors on project sites (/contractors/): each project's contractors, inductions and qualified-subcontractor
list (page and CSV), and the sites of one contractor. Read-only: sites are supplier relationships of the project,
inductions are training sessions of the project (their own pages record them)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from reports import table_export
from supplychain import db, labels
from supplychain.clock import today
from supplychain.models import Supplier
from supplychain.security import STAFF, roles_required
from supplychain.services.risk import contractors
from supplychain.views.relationships import planned_end_form

bp = Blueprint("contractors", __name__, url_prefix="/contractors")
MENU = [("contractors.index", _l("Contractors on project sites"), STAFF)]
REASON_LABELS = {
    "supplier_status": _l("Contractor status"),
    "relationship_status": _l("Work on the site suspended or ended"),
    "not_started": _l("Work on the site not started yet"),
    "ended": _l("Work on the site ended"),
    "not_qualified": _l("Not qualified for the categories of the work"),
}


def _project_list(project_id: int) -> contractors.ProjectList:
    try:
        return contractors.project_list(db.session, project_id, today())
    except LookupError:
        abort(404)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The project sites of the user's scope with their contractors, list size and training figures."""
    return render_template("risk/contractors/index.html", lists=contractors.project_lists(db.session, today()))


@bp.route("/projects/<int:project_id>")
@roles_required(*STAFF)
def project(project_id: int):
    """One project: its qualified-subcontractor list, the contractors off it (with why) and their training."""
    return render_template("risk/contractors/project.html", found=_project_list(project_id),
                           reason_labels=REASON_LABELS, today=today())


@bp.route("/projects/<int:project_id>/qualified.csv")
@roles_required(*STAFF)
def qualified_csv(project_id: int):
    """The project's qualified-subcontractor list as of today, as CSV (UTF-8 with BOM, opens in Excel)."""
    found = _project_list(project_id)
    header = (_("No."), _("Chinese name"), _("Credit code"), _("Status"), _("Categories"), _("Works since"),
              _("Works until"), _("Planned end of the work"), _("Last site induction"), _("Inducted workers"),
              _("Safety and environment sessions"), _("Workers trained"))
    rows = [(entry.supplier.id, entry.supplier.name_zh, entry.supplier.credit_code or "",
             str(labels.STATUS_LABELS.get(entry.supplier.status, entry.supplier.status)),
             ", ".join(entry.category_codes), entry.relationship.since_on, entry.relationship.until_on or "",
             entry.relationship.planned_until_on or "", entry.training.last_induction_on or "",
             entry.training.inducted_workers, entry.training.safety_sessions, entry.training.workers)
            for entry in found.listed]
    code = re.sub(r"[^A-Za-z0-9_-]", "", found.project.code) or str(found.project.id)
    name = f"qualified-subcontractors-{code}-{labels.lang_tag()}-{today().isoformat()}.csv"
    return Response(table_export.csv_bytes(header, rows), mimetype=table_export.MIMETYPES["csv"],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/suppliers/<int:supplier_id>")
@roles_required(*STAFF)
def sites(supplier_id: int):
    """The project sites of the user's scope where a contractor works or worked, with its training there."""
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        abort(404)
    entries = contractors.sites_of(db.session, supplier.id, today())
    return render_template("risk/contractors/sites.html", supplier=supplier, entries=entries,
                           reason_labels=REASON_LABELS,
                           planned_end_forms={entry.relationship.id: planned_end_form(entry.relationship)
                                              for entry in entries})
