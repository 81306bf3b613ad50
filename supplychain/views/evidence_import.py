"""Importing past evidence in bulk (issue 15): upload → preview with every problem → confirm, all or nothing.

A file of IMPORT_BACKGROUND_ROWS rows or more (as for suppliers) is checked and saved by background jobs
(services/imports/import_jobs.py): the request only stages it, and the job's page shows the progress, then the preview
or the result."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forms.evidence_import import KIND_LABELS, KIND_NAMES, EvidenceConfirmForm, EvidenceImportForm
from forms.supplier_import import RecheckForm
from supplychain import db, jobs
from supplychain.clock import today
from supplychain.import_labels import field_title
from supplychain.importing import columns as header_fields
from supplychain.importing import encodings
from supplychain.labels import lang
from supplychain.models import BackgroundJob, Organisation, PledgeTemplate, Supplier, TrainingSession
from supplychain.security import EDITORS, roles_required
from supplychain.services.core import attachments
from supplychain.services.imports import evidence_import, import_jobs, import_mappings, importer
from supplychain.views.supplier_import import (
    PREVIEW_ROWS,
    background_rows,
    claim,
    job_file,
    mappable_columns,
    mapping_from_form,
    problems_report,
    remember_template,
    report_download,
    report_url,
    reupload_ids,
    shown_lists,
    stage,
    staged_path,
)

bp = Blueprint("evidence_import", __name__, url_prefix="/evidence/import")


def _store() -> attachments.Store:
    return attachments.Store.from_settings(current_app.config, current_app.instance_path)


def _form(formdata=True) -> EvidenceImportForm:
    """The upload form. A saved column mapping belongs to one kind of file: each is offered with its kind
    (data-kind; static/js/import-templates.js shows only the chosen kind's), and refused for another kind."""
    form = EvidenceImportForm() if formdata else EvidenceImportForm(formdata=None)
    form.encoding.choices = [("", _("Detect automatically"))] + list(encodings.CHOICES)
    form.template.choices = [("", _("Recognise the columns automatically"))] + [
        (name, f"{name} · {KIND_NAMES[kind]}", {"data-kind": kind})
        for kind in evidence_import.KINDS for name in import_mappings.names(db.session, kind)]
    return form


def _template_problem(kind: str, template: str) -> str:
    """Why a saved column mapping cannot read a file of this kind: it maps files of other kinds, or none."""
    kinds = [KIND_NAMES[other] for other in evidence_import.KINDS
             if other != kind and import_mappings.get(db.session, other, template)]
    if kinds:
        return _("The column mapping %(name)s is for files of %(kinds)s, not of %(kind)s. Choose a mapping of "
                 "this kind, or let the columns be recognised automatically.", name=template,
                 kinds=("、" if lang() == "zh" else ", ").join(str(k) for k in kinds), kind=KIND_NAMES[kind])
    return _("No saved column mapping is called %(name)s.", name=template)


def _read(field, limit: int) -> bytes | None:
    if field.data is None or not getattr(field.data, "filename", ""):
        return None
    return field.data.read(limit + 1)


def _field_choices(kind: str) -> list[tuple[str, str]]:
    """The fields a column of this kind of file can be imported as, by their labels (as for suppliers)."""
    return [("", _("Do not import"))] + [(name, f"{field_title(name, kind)} ({name})")
                                          for name in header_fields.VOCABULARIES[kind]]


def _looked_up(model, ids) -> dict:
    ids = {found for found in ids if found is not None}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def _shown(plan) -> tuple[list[dict], dict]:
    """The first records to be saved, and what they point to (suppliers, pledge texts, organisations, training
    sessions by id), so the preview shows the values as they will be stored."""
    records = plan.records[:PREVIEW_ROWS]
    refs = {"suppliers": _looked_up(Supplier, (r.get("supplier_id") for r in records)),
            "templates": _looked_up(PledgeTemplate, (r.get("template_id") for r in records)),
            "organisations": _looked_up(Organisation, (r.get("organisation_id") for r in records)),
            "sessions": _looked_up(TrainingSession, (r.get("session_id") for r in records))}
    return records, refs


def _reupload_form(kind: str, settings: dict) -> EvidenceImportForm:
    """The preview's form for the corrected file, with the choices this file was checked with."""
    form = reupload_ids(_form(formdata=False))
    form.kind.data = kind
    form.template.data = settings.get("template") or ""
    form.encoding.data = settings.get("encoding") or ""
    return form


def _preview(plan, kind: str, filename: str, token: str | None, settings: dict):
    confirm = EvidenceConfirmForm(formdata=None)
    confirm.token.data = token
    recheck = RecheckForm(formdata=None)
    recheck.token.data = token
    recheck.encoding.choices = [("", _("Detect automatically"))] + list(encodings.CHOICES)
    recheck.encoding.data = settings.get("encoding") or ""
    recheck.template.data = settings.get("template") or ""
    records, refs = _shown(plan)
    return render_template("evidence_import/preview.html", plan=plan, kind=kind, kind_label=dict(KIND_LABELS)[kind],
                           filename=filename, token=token, confirm_form=confirm, recheck_form=recheck,
                           confirmable=bool(token and plan.ok and plan.count),
                           mappable=mappable_columns(plan.header, settings.get("mapping") or {}),
                           field_choices=_field_choices(kind), **shown_lists(plan),
                           report_url=report_url(".problems", problems_report(plan, kind)),
                           records=records, refs=refs, upload_form=_reupload_form(kind, settings))


def _checked(kind: str, filename: str, data: bytes, scans: bytes | None, settings: dict):
    """The preview of a file, staged (with its scans) so it can be read again with a mapping or another encoding,
    or confirmed."""
    plan = evidence_import.plan_file(db.session, kind, filename, data, today(), settings.get("encoding") or None,
                                     settings.get("mapping") or None, scans_zip=scans,
                                     max_scan_bytes=_store().max_bytes, actor=current_user)
    # Staged with errors too when a mapping or another encoding could be what is missing (as for suppliers);
    # otherwise the file has to be corrected and uploaded again, and nothing stays on the server.
    header = plan.header
    fixable = (plan.encoding is not None and not plan.encoding.certain) or (header is not None and (
        bool(header.unknown) or not set(evidence_import.REQUIRED[kind]) <= header.fields
        or not {"credit_code", "supplier"} & header.fields))
    token = None
    if plan.ok or fixable:
        scans_token = stage("scans.zip", scans, {}) if scans else ""
        token = stage(filename, data, {**settings, "kind": kind, "scans_token": scans_token})
    return _preview(plan, kind, filename, token, settings)


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
        template = (form.template.data or "").strip()
        mapping = import_mappings.get(db.session, kind, template) if template else {}
        if template and not mapping:
            form.template.errors = [_template_problem(kind, template)]
            return render_template("evidence_import/upload.html", form=form)
        settings = {"encoding": form.encoding.data if form.encoding.data in encodings.CHOICE_NAMES else "",
                    "template": template, "mapping": mapping}
        scans = scans if kind == "pledges" else None
        rows = importer.estimated_rows(filename, data)
        if rows >= background_rows():
            return _start_check(kind, filename, data, scans, settings, rows)
        return _checked(kind, filename, data, scans, settings)
    return render_template("evidence_import/upload.html", form=form)


def _claim_with_scans(token: str) -> tuple[dict, bytes, bytes | None] | None:
    """The staged file, its settings and its scans; None when either has expired or was used."""
    staged = claim(token)
    if staged is None or staged[0].get("kind") not in evidence_import.KINDS:
        return None
    meta, data = staged
    scans = claim(meta["scans_token"]) if meta.get("scans_token") else None
    if meta.get("scans_token") and scans is None:
        return None
    return meta, data, scans[1] if scans else None


def _expired():
    flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
    return redirect(url_for(".upload"))


@bp.route("/recheck", methods=["POST"])
@roles_required(*EDITORS)
def recheck():
    """Read the staged file again with another encoding and/or a field for the columns nobody recognised; the
    mapping is remembered under a template name when one is given."""
    form = RecheckForm()
    form.encoding.choices = [("", _("Detect automatically"))] + list(encodings.CHOICES)
    staged = _claim_with_scans(form.token.data) if form.validate_on_submit() else None
    if staged is None:
        return _expired()
    meta, data, scans = staged
    kind = meta["kind"]
    settings = {"encoding": form.encoding.data if form.encoding.data in encodings.CHOICE_NAMES else "",
                "template": meta.get("template") or "",
                "mapping": mapping_from_form(meta.get("mapping") or {}, header_fields.VOCABULARIES[kind])}
    remember_template(kind, form.template.data, settings)
    return _checked(kind, str(meta.get("filename") or ""), data, scans, settings)


@bp.route("/confirm", methods=["POST"])
@roles_required(*EDITORS)
def confirm():
    """Check the staged file again and save every record, or nothing."""
    form = EvidenceConfirmForm()
    staged = _claim_with_scans(form.token.data) if form.validate_on_submit() else None
    if staged is None:
        return _expired()
    meta, data, scans = staged
    kind, filename = meta["kind"], str(meta.get("filename") or "")
    if int(meta.get("rows") or 0) >= background_rows():
        return _start_job(meta, data, scans, bool(form.accept_warnings.data))
    plan, saved = evidence_import.import_file(db.session, kind, filename, data, current_user, today(),
                                              encoding=meta.get("encoding") or None,
                                              mapping=meta.get("mapping") or None,
                                              scans_zip=scans, store=_store(),
                                              accept_warnings=bool(form.accept_warnings.data))
    if saved is None:
        db.session.rollback()
        return _preview(plan, kind, filename, None, meta)
    db.session.commit()
    flash(_("Imported %(n)d records from %(rows)d rows.", n=saved, rows=plan.total_rows), "success")
    return redirect(url_for(".upload"))


def _job_params(kind: str, filename: str, settings: dict, rows: int) -> dict:
    return {"kind": kind, "filename": filename, "encoding": settings.get("encoding") or "",
            "mapping": settings.get("mapping") or {}, "user_id": current_user.id, "today": today().isoformat(),
            "lang": lang(), "rows": rows}


def _start_check(kind: str, filename: str, data: bytes, scans: bytes | None, settings: dict, rows: int):
    """A large file is checked by a background job: the request stages it (and its scans) and shows the job.
    The mapping step is not offered for such files: a saved template is chosen on the upload."""
    scans_token = stage("scans.zip", scans, {}) if scans else ""
    token = stage(filename, data, {**settings, "kind": kind, "scans_token": scans_token, "rows": rows})
    params = _job_params(kind, filename, settings, rows) | {
        "path": str(staged_path(token)), "token": token,
        "scans_path": str(staged_path(scans_token)) if scans_token else ""}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.EVIDENCE_CHECK_KIND, params,
                       current_user)
    return redirect(url_for(".job", evidence_job_id=job.id))


def _start_job(meta: dict, data: bytes, scans: bytes | None, accept_warnings: bool):
    """Hand a large confirmed file to a background job (checked again, then all records or none saved)."""
    params = _job_params(meta["kind"], str(meta.get("filename") or ""), meta, int(meta.get("rows") or 0)) | {
        "path": str(job_file(data)), "scans_path": str(job_file(scans)) if scans else "",
        "accept_warnings": accept_warnings}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.EVIDENCE_KIND, params, current_user)
    return redirect(url_for(".job", evidence_job_id=job.id))


@bp.route("/problems/<report_token>.csv")
@roles_required(*EDITORS)
def problems(report_token: str):
    """Every error, warning and note of a checked file, when the preview could not list them all."""
    return report_download(report_token)


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
