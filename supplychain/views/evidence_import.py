"""Importing past evidence in bulk (issue 15): upload → preview with every problem → confirm, all or nothing.

A file of IMPORT_BACKGROUND_ROWS rows or more (as for suppliers) is checked and saved by background jobs
(services/import_jobs.py): the request only stages it, and the job's page shows the progress, then the preview
or the result."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.evidence_import import KIND_LABELS, EvidenceConfirmForm, EvidenceImportForm
from supplychain import db, jobs
from supplychain.clock import today
from supplychain.importing import encodings
from supplychain.labels import lang
from supplychain.models import BackgroundJob
from supplychain.security import EDITORS, roles_required
from supplychain.services import attachments, evidence_import, import_jobs, importer
from supplychain.views.supplier_import import PREVIEW_ERRORS, background_rows, claim, job_file, stage, staged_path

bp = Blueprint("evidence_import", __name__, url_prefix="/evidence/import")


def _store() -> attachments.Store:
    return attachments.Store.from_settings(current_app.config, current_app.instance_path)


def _form(formdata=True) -> EvidenceImportForm:
    form = EvidenceImportForm() if formdata else EvidenceImportForm(formdata=None)
    form.encoding.choices = [("", _("Detect automatically"))] + list(encodings.CHOICES)
    return form


def _read(field, limit: int) -> bytes | None:
    if field.data is None or not getattr(field.data, "filename", ""):
        return None
    return field.data.read(limit + 1)


def _preview(plan, kind: str, filename: str, token: str | None):
    confirm = EvidenceConfirmForm(formdata=None)
    confirm.token.data = token
    return render_template("evidence_import/preview.html", plan=plan, kind=kind, kind_label=dict(KIND_LABELS)[kind],
                           filename=filename, token=token, confirm_form=confirm,
                           errors=plan.errors[:PREVIEW_ERRORS])


@bp.route("/", methods=["GET", "POST"])
@roles_required(*EDITORS)
def upload():
    """Upload a file of pledges, certificates, training attendance or past evaluations; a preview, nothing saved."""
    form = _form()
    if form.validate_on_submit():
        limit = _store().max_bytes
        data = _read(form.file, limit)
        scans = _read(form.scans, limit)
        if data is None or len(data) > limit or (scans is not None and len(scans) > limit):
            form.file.errors = [_("The file is larger than %(n)d MB. Split it into smaller files.",
                                  n=limit // (1024 * 1024))]
            return render_template("evidence_import/upload.html", form=form)
        filename = Path((form.file.data.filename or "").replace("\\", "/")).name[:200]
        kind = form.kind.data
        encoding = form.encoding.data if form.encoding.data in encodings.CHOICE_NAMES else ""
        rows = importer.estimated_rows(filename, data)
        if rows >= background_rows():
            return _start_check(kind, filename, data, scans if kind == "pledges" else None, encoding, rows)
        plan = evidence_import.plan_file(db.session, kind, filename, data, today(), encoding or None,
                                         scans_zip=scans if kind == "pledges" else None, max_scan_bytes=limit,
                                         actor=current_user)
        token = None
        if plan.ok and plan.count:
            scans_token = stage("scans.zip", scans, {}) if (scans and kind == "pledges") else ""
            token = stage(filename, data, {"kind": kind, "encoding": encoding, "scans_token": scans_token})
        return _preview(plan, kind, filename, token)
    return render_template("evidence_import/upload.html", form=form)


@bp.route("/confirm", methods=["POST"])
@roles_required(*EDITORS)
def confirm():
    """Check the staged file again and save every record, or nothing."""
    form = EvidenceConfirmForm()
    staged = claim(form.token.data) if form.validate_on_submit() else None
    if staged is None or staged[0].get("kind") not in evidence_import.KINDS:
        flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for(".upload"))
    meta, data = staged
    scans = claim(meta["scans_token"]) if meta.get("scans_token") else None
    if meta.get("scans_token") and scans is None:
        flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for(".upload"))
    kind, filename = meta["kind"], str(meta.get("filename") or "")
    if int(meta.get("rows") or 0) >= background_rows():
        return _start_job(meta, data, scans[1] if scans else None, bool(form.accept_warnings.data))
    plan, saved = evidence_import.import_file(db.session, kind, filename, data, current_user, today(),
                                              encoding=meta.get("encoding") or None,
                                              scans_zip=scans[1] if scans else None, store=_store(),
                                              accept_warnings=bool(form.accept_warnings.data))
    if saved is None:
        db.session.rollback()
        return _preview(plan, kind, filename, None)
    db.session.commit()
    flash(_("Imported %(n)d records from %(rows)d rows.", n=saved, rows=plan.total_rows), "success")
    return redirect(url_for(".upload"))


def _job_params(kind: str, filename: str, encoding: str, rows: int) -> dict:
    return {"kind": kind, "filename": filename, "encoding": encoding, "user_id": current_user.id,
            "today": today().isoformat(), "lang": lang(), "rows": rows}


def _start_check(kind: str, filename: str, data: bytes, scans: bytes | None, encoding: str, rows: int):
    """A large file is checked by a background job: the request stages it (and its scans) and shows the job."""
    scans_token = stage("scans.zip", scans, {}) if scans else ""
    token = stage(filename, data, {"kind": kind, "encoding": encoding, "scans_token": scans_token, "rows": rows})
    params = _job_params(kind, filename, encoding, rows) | {
        "path": str(staged_path(token)), "token": token,
        "scans_path": str(staged_path(scans_token)) if scans_token else ""}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.EVIDENCE_CHECK_KIND, params,
                       current_user)
    return redirect(url_for(".job", evidence_job_id=job.id))


def _start_job(meta: dict, data: bytes, scans: bytes | None, accept_warnings: bool):
    """Hand a large confirmed file to a background job (checked again, then all records or none saved)."""
    params = _job_params(meta["kind"], str(meta.get("filename") or ""), meta.get("encoding") or "",
                         int(meta.get("rows") or 0)) | {
        "path": str(job_file(data)), "scans_path": str(job_file(scans)) if scans else "",
        "accept_warnings": accept_warnings}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.EVIDENCE_KIND, params, current_user)
    return redirect(url_for(".job", evidence_job_id=job.id))


@bp.route("/jobs/<int:evidence_job_id>")
@roles_required(*EDITORS)
def job(evidence_job_id: int):
    """A background evidence import: progress while it runs (the page refreshes itself), then the preview (with
    the confirmation) or the result."""
    found = db.session.get(BackgroundJob, evidence_job_id)
    if found is None or found.kind not in (import_jobs.EVIDENCE_KIND, import_jobs.EVIDENCE_CHECK_KIND) or (
            found.created_by_id != current_user.id and current_user.role != "admin"):
        abort(404)
    done, total = import_jobs.live_progress(found)
    checking = found.kind == import_jobs.EVIDENCE_CHECK_KIND
    confirm_form = None
    if checking and found.status == "finished" and (found.result or {}).get("token"):
        confirm_form = EvidenceConfirmForm(formdata=None)
        confirm_form.token.data = found.result["token"]
    kind = (found.params or {}).get("kind")
    return render_template("evidence_import/job.html", job=found, done=done, total=total, checking=checking,
                           stale=jobs.is_stale(found), confirm_form=confirm_form,
                           kind_label=dict(KIND_LABELS).get(kind, kind))
