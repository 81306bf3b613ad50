"""Bulk work: evaluations (the batch, its scoring grid on screen or as XLSX, bulk submit and approval) and
suppliers (status with one reason, portal invitations, reminders, training attendance)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forms.bulk import BulkActionForm, BulkSuppliersForm, GridUploadForm
from supplychain import clock, db, jobs, regions
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.labels import STATUS_LABELS, lang_tag
from supplychain.models import BackgroundJob, SupplyCategory
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.daily_work import bulk_suppliers
from supplychain.services.evaluation import approvals, bulk, lifecycle
from supplychain.services.evidence import training as training_service
from supplychain.views.forms_support import attach_errors

bp = Blueprint("bulk", __name__, url_prefix="/bulk")
APPROVERS = approvals.APPROVER_ROLES


def _now() -> datetime:
    return clock.now()


def _filters() -> bulk.BatchFilters:
    args = request.args
    year = args.get("year", type=int)
    status = args.get("status", "draft")
    return bulk.BatchFilters(
        category_id=args.get("category_id", type=int),
        year=year if year and 2000 <= year <= 2100 else None,
        status=status if status in ("draft", "submitted") else "draft",
        kind=args.get("kind", "") if args.get("kind", "") in ("admission", "periodic") else "",
    )


def _filter_args(filters: bulk.BatchFilters) -> dict:
    return {k: v for k, v in (("category_id", filters.category_id), ("year", filters.year),
                              ("kind", filters.kind)) if v}


def _ticked() -> list[int]:
    ids = []
    for raw in request.form.getlist("ids"):
        if raw.isdigit():
            ids.append(int(raw))
    return list(dict.fromkeys(ids))[: bulk.MAX_BATCH]


def _lifecycle_settings() -> lifecycle.LifecycleSettings:
    config = current_app.config
    return lifecycle.LifecycleSettings(int(config.get("CORRECTIVE_ACTION_DAYS", 90)), config["SECRET_KEY"] or "")


@bp.route("/evaluations")
@roles_required(*STAFF)
def evaluations():
    """A batch of evaluations (category, year, kind): drafts to score and submit, or submitted ones to approve."""
    filters = _filters()
    categories = list(db.session.scalars(select(SupplyCategory).order_by(SupplyCategory.code)))
    if filters.status == "submitted":
        rows = bulk.decidable(db.session, current_user, filters) if current_user.role in APPROVERS else []
    else:
        rows = bulk.batch(db.session, filters)
    return render_template("bulk/evaluations.html", filters=filters, rows=rows, categories=categories,
                           form=BulkActionForm(), upload=GridUploadForm(), args=_filter_args(filters))


@bp.route("/evaluations/grid", methods=["GET", "POST"])
@roles_required(*EDITORS)
def grid():
    """The scoring grid of the batch's drafts: one row per evaluation, one column per manual criterion."""
    filters = _filters()
    filters.status = "draft"
    the_grid = bulk.grid(bulk.batch(db.session, filters), request.args.get("scheme_version_id", type=int))
    form = BulkActionForm()
    errors: dict = {}
    values: dict = {}
    if request.method == "POST" and form.validate_on_submit():
        raw = {(row.evaluation.id, c.key): request.form.get(bulk.cell_name(row.evaluation.id, c.key))
               for row in the_grid.rows for c in the_grid.columns}
        versions = {row.evaluation.id: request.form.get(f"version-{row.evaluation.id}", type=int)
                    for row in the_grid.rows}
        try:
            changed = bulk.save_grid(db.session, the_grid, raw, versions, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.errors
            values = {bulk.cell_name(eid, key): value for (eid, key), value in raw.items()}
            flash(_("Nothing was saved. Correct the %(n)d cells marked below.", n=len(errors)), "danger")
        else:
            db.session.commit()
            flash(_("Scores saved: %(n)d evaluations changed.", n=changed), "success")
            return redirect(url_for(".grid", **_filter_args(filters),
                                    scheme_version_id=the_grid.scheme_version_id))
    return render_template("bulk/grid.html", grid=the_grid, form=form, errors=errors, values=values,
                           filters=filters, args=_filter_args(filters), upload=GridUploadForm())


@bp.route("/evaluations/grid.xlsx")
@roles_required(*EDITORS)
def grid_xlsx():
    """The batch's scoring grid as XLSX, to fill in Excel and upload."""
    filters = _filters()
    filters.status = "draft"
    the_grid = bulk.grid(bulk.batch(db.session, filters), request.args.get("scheme_version_id", type=int))
    if not the_grid.rows:
        abort(404)
    content = bulk.grid_xlsx(the_grid, lang_tag())
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=scoring-grid.xlsx"})


@bp.route("/evaluations/grid/upload", methods=["POST"])
@roles_required(*EDITORS)
def grid_upload():
    """Fill the grid's scores from an uploaded XLSX: every bad cell reported, nothing saved until all are right."""
    filters = _filters()
    filters.status = "draft"
    the_grid = bulk.grid(bulk.batch(db.session, filters), request.args.get("scheme_version_id", type=int))
    form = GridUploadForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        content = upload.read(int(current_app.config.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024) if upload else b""
        try:
            if not content:
                raise ValidationFailed({"file": [_("Choose the XLSX file of the scoring grid.")]})
            raw = bulk.read_grid_xlsx(the_grid, content)
            changed = bulk.save_grid(db.session, the_grid, raw, {}, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, {"file": [m for ms in failed.errors.values() for m in ms]})
            return render_template("bulk/grid.html", grid=the_grid, form=BulkActionForm(), errors={}, values={},
                                   filters=filters, args=_filter_args(filters), upload=form), 200
        db.session.commit()
        flash(_("Scores saved from the file: %(n)d evaluations changed.", n=changed), "success")
    return redirect(url_for(".grid", **_filter_args(filters), scheme_version_id=the_grid.scheme_version_id))


def _as_job(kind: str, ids: list[int], comment: str = ""):
    """Start a bulk job over these evaluations and show its progress page."""
    job = jobs.enqueue(db.session, current_app._get_current_object(), kind, bulk.job_params(ids, today(), comment),
                       current_user)
    return redirect(url_for(".job", bulk_job_id=job.id))


@bp.route("/evaluations/submit", methods=["POST"])
@roles_required(*EDITORS)
def submit():
    """Submit the ticked drafts for approval; each one is submitted whole or listed with its reasons. A large
    batch runs as a background job."""
    form = BulkActionForm()
    ids = _ticked()
    if not form.validate_on_submit() or not ids:
        flash(_("Tick the evaluations to submit."), "warning")
        return redirect(url_for(".evaluations", **_filter_args(_filters())))
    if len(ids) > bulk.SYNC_LIMIT:
        return _as_job(bulk.SUBMIT_KIND, ids)
    result = bulk.submit_many(db.session, ids, current_user, today(), current_app.config.get("APPROVAL_LEVELS", 3))
    db.session.commit()
    return render_template("bulk/result.html", action="submit", done=len(result.done),
                           failures=result.failures, back=url_for(".evaluations", **_filter_args(_filters())))


@bp.route("/evaluations/approve", methods=["POST"])
@roles_required(*APPROVERS)
def approve():
    """Approve the ticked evaluations with one comment; a large batch runs as a background job."""
    form = BulkActionForm()
    ids = _ticked()
    back = url_for(".evaluations", status="submitted", **_filter_args(_filters()))
    if not form.validate_on_submit() or not ids:
        flash(_("Tick the evaluations to approve."), "warning")
        return redirect(back)
    comment = (form.comment.data or "").strip()
    if errors := bulk.check_comment(comment):
        flash(str(errors["comment"][0]), "danger")
        return redirect(back)
    if len(ids) > bulk.SYNC_LIMIT:
        return _as_job(bulk.APPROVE_KIND, ids, comment)
    result = bulk.approve_many(db.session, ids, current_user, comment, today(), _lifecycle_settings())
    db.session.commit()
    return render_template("bulk/result.html", action="approve", done=len(result.done),
                           failures=result.failures, back=back)


@bp.route("/jobs/<int:bulk_job_id>")
@roles_required(*STAFF)
def job(bulk_job_id: int):
    """The progress of a bulk submission or approval job (the page reloads itself while it runs), then its
    result with every evaluation not done and why."""
    row = db.session.get(BackgroundJob, bulk_job_id)
    if row is None or row.kind not in bulk.ACTIONS or (
            row.created_by_id != current_user.id and current_user.role != "admin"):
        abort(404)
    action = "submit" if row.kind == bulk.SUBMIT_KIND else "approve"
    heading = (_("Bulk submission #%(id)d", id=row.id) if action == "submit"
               else _("Bulk approval #%(id)d", id=row.id))
    return render_template("bulk/job.html", job=row, stale=jobs.is_stale(row), action=action, heading=heading)


# --- suppliers -----------------------------------------------------------------------------------------------

def _supplier_filters():
    from supplychain.services.registry import suppliers as supplier_service

    args = request.args
    return supplier_service.SupplierFilters(
        q=(args.get("q") or "")[:100], region=args.get("region", ""), province=args.get("province", ""),
        category=args.get("category", ""), status=args.get("status", ""), local=args.get("local") == "1")


def _suppliers_form() -> BulkSuppliersForm:
    from supplychain.models import STATUSES

    form = BulkSuppliersForm()
    form.status.choices = [("", "—")] + [(s, STATUS_LABELS.get(s, s)) for s in STATUSES]
    sessions = training_service.list_sessions(db.session)[:100]
    form.session_id.choices = [("", "—")] + [(str(t.id), f"{t.held_on.isoformat()} {t.title}") for t in sessions]
    return form


@bp.route("/suppliers")
@roles_required(*EDITORS)
def suppliers():
    """The filtered supplier list with ticks: change status, invite, remind or record attendance for all."""
    from supplychain.evidence_labels import PLEDGE_KIND_LABELS

    filters = _supplier_filters()
    missing = request.args.get("missing", "")
    missing = missing if missing in PLEDGE_KIND_LABELS or missing == "any" else ""
    if missing:
        rows = bulk_suppliers.missing_pledge(db.session, today(), None if missing == "any" else missing)
    else:
        rows = bulk_suppliers.listing(db.session, filters)
    return render_template("bulk/suppliers.html", rows=rows, filters=filters, form=_suppliers_form(),
                           missing=missing, pledge_kinds=PLEDGE_KIND_LABELS,
                           regions=regions.REGIONS, limit=bulk_suppliers.MAX_SUPPLIERS,
                           second_approval=bool(current_app.config.get("SECOND_APPROVAL_FOR_HIGH_IMPACT")))


def _chosen():
    return bulk_suppliers.by_ids(db.session, _ticked())


def _supplier_result(action: str, outcome, links: dict | None = None):
    return render_template("bulk/supplier_result.html", action=action, outcome=outcome,
                           links=links or {}, back=url_for(".suppliers", **request.args))


def _refused(form, failed: ValidationFailed):
    db.session.rollback()
    for messages in failed.errors.values():
        for message in messages:
            flash(str(message), "danger")
    return redirect(url_for(".suppliers", **request.args))


@bp.route("/suppliers/status", methods=["POST"])
@roles_required(*EDITORS)
def supplier_status():
    """One new status and one reason for every ticked supplier (high-impact ones may wait for a second person)."""
    form = _suppliers_form()
    if not form.validate_on_submit():
        return _refused(form, ValidationFailed(form.errors))
    try:
        outcome = bulk_suppliers.change_status_many(
            db.session, _chosen(), form.status.data or "", form.reason.data or "", current_user,
            bool(current_app.config.get("SECOND_APPROVAL_FOR_HIGH_IMPACT")), _now())
    except ValidationFailed as failed:
        return _refused(form, failed)
    db.session.commit()
    return _supplier_result("status", outcome)


@bp.route("/suppliers/invite", methods=["POST"])
@roles_required(*EDITORS)
def supplier_invite():
    """Invite the first contact of every ticked supplier to the portal (e-mailed when SMTP is set)."""
    from supplychain.services.evidence.certifications import smtp_sender
    from supplychain.services.portal import invitations as invitation_service
    from supplychain.views.invitations import link_for

    form = _suppliers_form()
    if not form.validate_on_submit():
        return _refused(form, ValidationFailed(form.errors))
    try:
        outcome, made = bulk_suppliers.invite_many(db.session, _chosen(), current_user, _now())
    except ValidationFailed as failed:
        return _refused(form, failed)
    db.session.commit()
    deliver = smtp_sender(current_app.config)
    links = {}
    for invitation in made:
        if deliver is not None:
            invitation_service.send(invitation, link_for(invitation), current_app.config, deliver, _now())
        else:
            links[invitation.supplier_id] = link_for(invitation)
    db.session.commit()
    return _supplier_result("invite", outcome, links)


@bp.route("/suppliers/remind", methods=["POST"])
@roles_required(*EDITORS)
def supplier_remind():
    """Remind every ticked supplier in the portal and by e-mail (once per text and day)."""
    from supplychain.services.daily_work import notifications as notification_service

    form = _suppliers_form()
    if not form.validate_on_submit():
        return _refused(form, ValidationFailed(form.errors))
    try:
        outcome = bulk_suppliers.remind_many(db.session, _chosen(), form.subject.data or "", current_user, _now())
    except ValidationFailed as failed:
        return _refused(form, failed)
    db.session.commit()
    deliver = notification_service.smtp_sender(current_app.config)
    if deliver is not None:
        notification_service.send_email(db.session, current_app.config, deliver, _now(), "email")
        db.session.commit()
    return _supplier_result("remind", outcome)


@bp.route("/suppliers/attendance", methods=["POST"])
@roles_required(*EDITORS)
def supplier_attendance():
    """Every ticked supplier attended one training session (nothing recorded if any problem)."""
    form = _suppliers_form()
    if not form.validate_on_submit():
        return _refused(form, ValidationFailed(form.errors))
    raw = form.session_id.data or ""
    try:
        outcome = bulk_suppliers.attend_many(db.session, _chosen(), int(raw) if raw.isdigit() else None,
                                             form.head_count.data, current_user, today())
    except ValidationFailed as failed:
        return _refused(form, failed)
    db.session.commit()
    return _supplier_result("attendance", outcome)
