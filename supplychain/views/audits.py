"""Audits and inspections: list, plan, plan or record an audit, answer its checklist, findings, close; checklists."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.audits import AuditForm, ChecklistForm, ChecklistResultsForm, CloseAuditForm, FindingForm
from supplychain import db, inspection_labels, scope
from supplychain.clock import today
from supplychain.evidence_labels import SEVERITY_LABELS
from supplychain.models import (
    AUDIT_KINDS,
    AUDIT_STATUSES,
    CHECKLIST_RESULTS,
    FINDING_DIMENSIONS,
    FINDING_IMPACTS,
    FINDING_SEVERITIES,
    Audit,
    AuditFinding,
    ChecklistTemplate,
    Supplier,
)
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit as audit_log
from supplychain.services.evidence import corrective_actions
from supplychain.services.risk import audit_closing, audit_plan, audits, checklists
from supplychain.views.evidence_support import get_or_404, read_upload, store, submit
from supplychain.views.forms_support import fill_organisations, flash_errors

bp = Blueprint("audits", __name__, url_prefix="/audits")
MENU = [("audits.index", _l("Audits and inspections"), STAFF), ("audits.plan", _l("Audit plan"), STAFF),
        ("audits.checklists_index", _l("Audit checklists"), STAFF)]
ADMIN = ("admin",)


@bp.record_once
def _install(state) -> None:
    state.app.jinja_env.globals.update(audit_label=inspection_labels.label, audit_badge=inspection_labels.badge)


def _policy() -> audits.ActionPolicy:
    config = current_app.config
    return audits.ActionPolicy(config.get("AUDIT_ACTION_SEVERITY", "major"), int(config["CORRECTIVE_ACTION_DAYS"]))


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Audits of the user's scope, filtered by kind and status."""
    kind, status = request.args.get("kind", ""), request.args.get("status", "")
    filters = audits.AuditFilters(kind=kind if kind in AUDIT_KINDS else "",
                                  status=status if status in AUDIT_STATUSES else "")
    return render_template("audits/index.html", rows=audits.list_audits(db.session, filters), filters=filters,
                           kinds=AUDIT_KINDS, statuses=AUDIT_STATUSES)


@bp.route("/plan")
@roles_required(*STAFF)
def plan():
    """Audits due and overdue per risk tier and per organisation, within the user's scope."""
    result = audit_plan.audit_plan(db.session, today())
    organisations = {org.id: org for org in scope.organisations_in_scope(db.session)}
    return render_template("audits/plan.html", plan=result, organisations=organisations,
                           states=("overdue", "due", "planned"))


def _fill(form: AuditForm, existing: Audit | None = None) -> None:
    fill_organisations(form.organisation_id, existing.organisation_id if existing else None)
    form.kind.choices = [("", "—")] + [(k, inspection_labels.AUDIT_KIND_LABELS[k]) for k in AUDIT_KINDS]
    templates = checklists.latest_versions(db.session)
    if existing is not None and existing.template is not None and existing.template not in templates:
        templates.append(existing.template)
    form.template_id.choices = [("", _("(none)"))] + [
        (t.id, f"{t.name_zh} · v{t.version}") for t in templates]


def _save(form: AuditForm, supplier: Supplier, existing: Audit | None):
    data = audits.AuditData(kind=form.kind.data or "", planned_on=form.planned_on.data, actual_on=form.actual_on.data,
                            auditors=form.auditors.data or "", template_id=form.template_id.data,
                            summary=form.summary.data or "", organisation_id=form.organisation_id.data)
    return submit(form, lambda: audits.check_audit(db.session, supplier, data, today(), existing),
                  lambda: audits.save_audit(db.session, supplier, data, current_user, today(), existing),
                  record=existing, entity_type="audit")


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create(supplier_id: int):
    """Plan an audit of a supplier, or record one already held."""
    supplier = get_or_404(Supplier, supplier_id)
    form = AuditForm()
    _fill(form)
    if form.is_submitted() and (saved := _save(form, supplier, None)) is not None:
        flash(_("Audit saved."), "success")
        return redirect(url_for(".view", audit_id=saved.id))
    return render_template("audits/form.html", form=form, supplier=supplier, audit=None)


@bp.route("/<int:audit_id>")
@roles_required(*STAFF)
def view(audit_id: int):
    """An audit with its checklist answers, findings, their corrective actions and its history."""
    record = get_or_404(Audit, audit_id)
    trail = audit_log.for_entity(db.session, "audit", record.id)
    statuses = {f.id: corrective_actions.display_status(f.corrective_action, today())
                for f in record.findings if f.corrective_action is not None}
    return render_template("audits/view.html", audit=record, trail=trail, statuses=statuses,
                           close_form=CloseAuditForm(), pending=audit_closing.pending_actions(record))


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(audit_id: int):
    """Change an audit's dates, auditors, kind or checklist; entering the actual date marks it held."""
    record = get_or_404(Audit, audit_id)
    # A record of the reader's organisation may name a supplier only other organisations buy from: editing it
    # needs the supplier, which is not found for them (the record's page shows it without the Edit button).
    supplier = get_or_404(Supplier, record.supplier_id)
    form = AuditForm(obj=None if request.method == "POST" else record)
    _fill(form, record)
    if form.is_submitted() and _save(form, supplier, record) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".view", audit_id=record.id))
    return render_template("audits/form.html", form=form, supplier=supplier, audit=record)


@bp.route("/<int:audit_id>/checklist", methods=["GET", "POST"])
@roles_required(*EDITORS)
def results(audit_id: int):
    """Answer the audit's checklist item by item: pass, fail or not applicable; the score follows."""
    record = get_or_404(Audit, audit_id)
    if record.template is None:
        abort(404)
    form = ChecklistResultsForm(obj=None if request.method == "POST" else record)
    answers = dict(record.results or {})
    item_errors: dict = {}
    if form.is_submitted():
        answers = {str(item.id): request.form.get(f"item_{item.id}", "") for item in record.template.items}
        if submit(form, lambda: audits.check_results(record, answers),
                  lambda: audits.save_results(db.session, record, answers, current_user),
                  record=record, entity_type="audit") is not None:
            flash(_("Checklist answers saved."), "success")
            return redirect(url_for(".view", audit_id=record.id))
        item_errors = audits.check_results(record, answers)
    return render_template("audits/checklist.html", audit=record, form=form, answers=answers,
                           item_errors=item_errors, results=CHECKLIST_RESULTS)


def _fill_finding(form: FindingForm) -> None:
    form.severity.choices = [("", "—")] + [(s, SEVERITY_LABELS[s]) for s in FINDING_SEVERITIES]
    form.dimension.choices = [("", "—")] + [(d, inspection_labels.FINDING_DIMENSION_LABELS[d])
                                            for d in FINDING_DIMENSIONS]
    form.impact.choices = [("", "—")] + [(i, inspection_labels.FINDING_IMPACT_LABELS[i]) for i in FINDING_IMPACTS]


def _save_finding(form: FindingForm, record: Audit, existing: AuditFinding | None):
    files = store()
    uploads = [upload for storage in (form.photos.data or [])
               if (upload := read_upload(storage, files.max_bytes)) is not None]
    data = audits.FindingData(severity=form.severity.data or "", dimension=form.dimension.data or "",
                              impact=form.impact.data or "", description=form.description.data or "")
    return submit(form, lambda: audits.check_finding(record, data, uploads, files.max_bytes, existing)[0],
                  lambda: audits.save_finding(db.session, record, data, uploads, files, _policy(), current_user,
                                              today(), existing),
                  record=existing, entity_type="audit_finding")


@bp.route("/<int:audit_id>/findings/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def add_finding(audit_id: int):
    """Record a finding with photos or reports; a serious one opens a corrective action."""
    record = get_or_404(Audit, audit_id)
    form = FindingForm()
    _fill_finding(form)
    if form.is_submitted() and (saved := _save_finding(form, record, None)) is not None:
        if saved.corrective_action_id:
            flash(_("Finding recorded; corrective action #%(n)d opened.", n=saved.corrective_action_id), "success")
        else:
            flash(_("Finding recorded."), "success")
        return redirect(url_for(".view", audit_id=record.id, _anchor="findings"))
    return render_template("audits/finding_form.html", form=form, audit=record, finding=None,
                           policy=_policy())


@bp.route("/findings/<int:finding_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_finding(finding_id: int):
    """Correct a finding or add photos to it (raising its severity may open a corrective action)."""
    finding = get_or_404(AuditFinding, finding_id)
    form = FindingForm(obj=None if request.method == "POST" else finding)
    _fill_finding(form)
    if form.is_submitted() and _save_finding(form, finding.audit, finding) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".view", audit_id=finding.audit_id, _anchor="findings"))
    return render_template("audits/finding_form.html", form=form, audit=finding.audit, finding=finding,
                           policy=_policy())


@bp.route("/<int:audit_id>/close", methods=["POST"])
@roles_required(*EDITORS)
def close(audit_id: int):
    """Close the audit; refused while a corrective action of its findings is not verified."""
    record = get_or_404(Audit, audit_id)
    form = CloseAuditForm()
    if not form.validate():
        flash_errors(form.errors)
    else:
        errors = audit_closing.check_close(record)
        if errors:
            flash_errors(errors)
        else:
            audit_closing.close_audit(db.session, record, current_user, today())
            db.session.commit()
            flash(_("Audit closed."), "success")
    return redirect(url_for(".view", audit_id=record.id))


@bp.route("/checklists")
@roles_required(*STAFF)
def checklists_index():
    """The checklists, newest version of each."""
    return render_template("audits/checklists.html", templates=checklists.latest_versions(db.session))


@bp.route("/checklists/<int:checklist_id>")
@roles_required(*STAFF)
def checklist_view(checklist_id: int):
    """One version of a checklist, with the list of all its versions."""
    template = get_or_404(ChecklistTemplate, checklist_id)
    return render_template("audits/checklist_view.html", template=template,
                           versions=checklists.versions(db.session, template.code))


def _save_checklist(form: ChecklistForm, base: ChecklistTemplate | None):
    data = checklists.ChecklistData(code=form.code.data or "", name_zh=form.name_zh.data or "",
                                    name_en=form.name_en.data or "", items_text=form.items_text.data or "",
                                    note=form.note.data or "")
    opened = int(form.opened_version.data) if (form.opened_version.data or "").isdigit() else None
    return submit(form, lambda: checklists.check_checklist(db.session, data, base, opened),
                  lambda: checklists.save_checklist(db.session, data, current_user, base, opened))


@bp.route("/checklists/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def checklist_new():
    """Write a new checklist (version 1)."""
    form = ChecklistForm()
    if form.is_submitted() and (saved := _save_checklist(form, None)) is not None:
        flash(_("Checklist saved as version %(n)d.", n=saved.version), "success")
        return redirect(url_for(".checklist_view", checklist_id=saved.id))
    return render_template("audits/checklist_form.html", form=form, base=None)


@bp.route("/checklists/<int:checklist_id>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def checklist_edit(checklist_id: int):
    """Edit a checklist: saving stores a new version; audits held against older versions keep theirs."""
    base = get_or_404(ChecklistTemplate, checklist_id)
    form = ChecklistForm()
    if request.method == "GET":
        newest = checklists.latest(db.session, base.code)
        form.code.data, form.name_zh.data, form.name_en.data = newest.code, newest.name_zh, newest.name_en
        form.items_text.data = "\n".join(item.text for item in newest.items)
        form.opened_version.data = str(newest.version)
    if form.is_submitted() and (saved := _save_checklist(form, base)) is not None:
        flash(_("Checklist saved as version %(n)d.", n=saved.version), "success")
        return redirect(url_for(".checklist_view", checklist_id=saved.id))
    return render_template("audits/checklist_form.html", form=form, base=base)
