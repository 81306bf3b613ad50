"""Importing past evidence in bulk (issue 15): upload → preview with every problem → confirm, all or nothing."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.evidence_import import KIND_LABELS, EvidenceConfirmForm, EvidenceImportForm
from supplychain import db
from supplychain.clock import today
from supplychain.importing import encodings
from supplychain.security import EDITORS, roles_required
from supplychain.services import attachments, evidence_import
from supplychain.views.supplier_import import PREVIEW_ERRORS, claim, stage

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
