"""Bulk import of suppliers: upload → preview with every error, warning and change → confirm.

Between the preview and the confirmation the uploaded file waits in the instance folder
(import_staging/<token>.bin with a <token>.json naming its owner and how to read it: encoding,
column mapping, options). The preview can read it again with another encoding or a mapping for
the columns nobody recognised (remembered per template name). The confirmation checks the file
again, since the registry may have changed meanwhile, and saves all rows or none; a large file is
saved by a background job whose page shows the progress.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from forms.supplier_import import ConfirmImportForm, ImportForm, RecheckForm
from supplychain import db, jobs
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.import_labels import column_title, field_title
from supplychain.importing import columns as header_fields
from supplychain.importing import encodings
from supplychain.labels import lang
from supplychain.models import BackgroundJob
from supplychain.security import EDITORS, roles_required
from supplychain.services.imports import import_jobs, import_mappings, importer
from supplychain.text_safety import spreadsheet_row

bp = Blueprint("supplier_import", __name__, url_prefix="/suppliers/import")
MENU = [("supplier_import.upload", _l("Import"), EDITORS)]
MAPPING_KIND = "suppliers"

PREVIEW_ROWS = 200
# Every error is listed; past this many (a wrong file, not a few typos) the page would only get slow.
PREVIEW_ERRORS = 10_000
PREVIEW_NOTES = 1000  # warnings and notes listed on the page; a CSV holds them all (problems_report)
STAGING_HOURS = 24
BACKGROUND_ROWS = 20_000  # files with more rows are saved by a background job (IMPORT_BACKGROUND_ROWS)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
TEMPLATE_ROWS = (
    ("重庆长江精密机械有限公司", "Chongqing Changjiang Precision Machinery Co., Ltd.", "91500112MA5U7C8X0N",
     "CN", "重庆", "重庆", "渝北区金开大道 1 号", "equipment;components", "王伟", "13800000000",
     "wang@example.cn", "2021-03-15", "manufacturer", "张建华"),
    ("Schmidt Maschinenbau GmbH", "Schmidt Maschinenbau GmbH", "", "DE", "", "München", "", "equipment",
     "Anna Schmidt", "+49 89 1234567", "anna@example.de", "", "distributor", ""),
)


def _limit_mb() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"])


def _too_large_message() -> str:
    return _("The file is larger than %(n)d MB. Split it into smaller files.", n=_limit_mb())


def _staging() -> Path:
    folder = Path(current_app.instance_path) / "import_staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _sweep(folder: Path) -> None:
    """Forget uploads nobody confirmed within STAGING_HOURS."""
    limit = time.time() - STAGING_HOURS * 3600
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def stage(filename: str, data: bytes, settings: dict) -> str:
    """Keep a checked file for its confirmation; returns the token naming it."""
    folder = _staging()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    meta = {"user_id": current_user.id, "filename": filename, **settings}
    _write_private(folder / f"{token}.json", json.dumps(meta).encode())
    _write_private(folder / f"{token}.bin", data)
    return token


def _own_meta(token: str) -> dict | None:
    """The settings of a file staged by the current user; None for a bad token or another user's file."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    try:
        meta = json.loads((_staging() / f"{token}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("user_id") == current_user.id else None


def claim(token: str) -> tuple[dict, bytes] | None:
    """Take the staged file for the current user, once: a second click (or another user) gets None. A report
    of problems (problems_report) is never an upload."""
    meta = _own_meta(token)
    if meta is None or meta.get("report"):
        return None
    folder = _staging()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    claimed = folder / f"{token}.{secrets.token_hex(4)}.claimed"
    try:
        os.rename(data_path, claimed)  # atomic: only one confirmation can win
    except OSError:
        return None
    try:
        return meta, claimed.read_bytes()
    finally:
        for path in (claimed, meta_path):
            path.unlink(missing_ok=True)


def shown_lists(plan) -> dict[str, list]:
    """The errors, warnings and notes a preview lists: the first ones of a long list (problems_report has all)."""
    return {"errors": plan.errors[:PREVIEW_ERRORS], "warnings": plan.warnings[:PREVIEW_NOTES],
            "notes": plan.notes[:PREVIEW_NOTES]}


def problems_report(plan, vocabulary: str = "suppliers") -> str | None:
    """When the preview cannot list every error, warning or note: all of them in a CSV kept for the user (a
    token for report_download), by line and column as the page names them; None when the page lists all."""
    if (len(plan.errors) <= PREVIEW_ERRORS and len(plan.warnings) <= PREVIEW_NOTES
            and len(plan.notes) <= PREVIEW_NOTES):
        return None
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("Type"), _("Line"), _("Column"), _("Message")])
    for label, found in ((_("Errors"), plan.errors), (_("Warnings"), plan.warnings), (_("Notes"), plan.notes)):
        for problem in found:
            writer.writerow(spreadsheet_row([label, problem.line, column_title(problem.field, plan.header, vocabulary),
                                             str(problem.message)]))
    return stage("problems.csv", buffer.getvalue().encode("utf-8-sig"), {"report": True})


def report_url(endpoint: str, token: str | None) -> str | None:
    """Where the report of problems_report is downloaded from (None: the page lists everything)."""
    return url_for(endpoint, report_token=token) if token else None


def report_download(token: str) -> Response:
    """The CSV of every problem of a preview (problems_report), for the user who checked the file; it can be
    downloaded again until the staged files are swept."""
    meta = _own_meta(token)
    if meta is None or not meta.get("report"):
        abort(404)
    try:
        data = (_staging() / f"{token}.bin").read_bytes()
    except OSError:
        abort(404)
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=import-problems.csv"})


def _encoding_choices(auto: bool = True) -> list[tuple[str, str]]:
    first = [("", _("Detect automatically"))] if auto else []
    return first + [(code, name) for code, name in encodings.CHOICES]


def _template_choices() -> list[tuple[str, str]]:
    return [("", _("Recognise the columns automatically"))] + [
        (name, name) for name in import_mappings.names(db.session, MAPPING_KIND)]


def _upload_form(formdata=True) -> ImportForm:
    form = ImportForm() if formdata else ImportForm(formdata=None)
    form.encoding.choices = _encoding_choices()
    form.template.choices = _template_choices()
    return form


def _upload_page(form: ImportForm, status: int = 200):
    return render_template("supplier_import/upload.html", form=form, limit_mb=_limit_mb(),
                           columns=importer.COLUMNS, optional_columns=importer.OPTIONAL_COLUMNS,
                           migration_columns=importer.MIGRATION_COLUMNS,
                           is_admin=current_user.role == "admin"), status


def _options(settings: dict) -> importer.ImportOptions:
    return importer.ImportOptions(**settings.get("options", {}))


def _plan(filename: str, data: bytes, settings: dict) -> importer.ImportPlan:
    return importer.plan_file(db.session, filename, data, current_user, today(), _options(settings),
                              settings.get("encoding") or None, settings.get("mapping") or None)


def mappable_columns(header, mapping: dict) -> list[tuple[int, str, str]]:
    """The columns the preview offers a field for: nobody recognised them, or the user mapped them already
    (position, label, the field chosen)."""
    mappable = []
    if header is not None:
        for position, label in enumerate(header.labels):
            key = header_fields.header_key(label)
            if key and (header.columns[position] is None or key in mapping):
                mappable.append((position, label, mapping.get(key, "")))
    return mappable


def mapping_from_form(mapping: dict, known) -> dict:
    """The mapping with the preview's choices (fields named map-<column label>) added; only known fields."""
    mapping = dict(mapping or {})
    for key, value in request.form.items():
        if key.startswith("map-") and len(key) < 300:
            header = key[4:]
            if header_fields.header_key(header) and (value in known or value == ""):
                mapping[header_fields.header_key(header)] = value
    return mapping


def remember_template(kind: str, name: str | None, settings: dict) -> None:
    """Save the preview's mapping as the template `name` (when given) and use it for this file; a bad name is
    flashed, and the file is checked with its mapping all the same."""
    template = (name or "").strip()
    if not template:
        return
    try:
        import_mappings.save(db.session, kind, template, settings["mapping"], current_user)
        db.session.commit()
        settings["template"] = template
        flash(_("The mapping is remembered as template %(name)s.", name=template), "success")
    except ValidationFailed as failed:
        db.session.rollback()
        for messages in failed.errors.values():
            for message in messages:
                flash(str(message), "danger")


def _field_choices() -> list[tuple[str, str]]:
    return [("", _("Do not import"))] + [(name, f"{field_title(name)} ({name})")
                                          for name in header_fields.FIELDS]


def _preview(plan: importer.ImportPlan, filename: str, token: str | None, settings: dict,
             rechecked: bool = False):
    confirm_form = ConfirmImportForm(formdata=None)
    confirm_form.token.data = token
    recheck_form = RecheckForm(formdata=None)
    recheck_form.token.data = token
    recheck_form.encoding.choices = _encoding_choices()
    recheck_form.encoding.data = settings.get("encoding") or ""
    recheck_form.template.data = settings.get("template") or ""
    mappable = mappable_columns(plan.header, settings.get("mapping") or {})
    return render_template("supplier_import/preview.html", plan=plan, filename=filename, token=token,
                           confirm_form=confirm_form, recheck_form=recheck_form,
                           upload_form=_reupload_form(settings), is_admin=current_user.role == "admin",
                           shown=plan.rows[:PREVIEW_ROWS], **shown_lists(plan),
                           report_url=report_url(".problems", problems_report(plan)),
                           changed=plan.changed_updates[:PREVIEW_ROWS], rechecked=rechecked,
                           limit_mb=_limit_mb(), mappable=mappable, field_choices=_field_choices(),
                           encoding_label=encodings.label,
                           background=plan.total_rows >= background_rows())


def reupload_ids(form):
    """The preview also holds the form that reads the file again (its own "encoding" and "template"): the
    re-upload form's fields get ids of their own, their names (what the upload reads) unchanged."""
    for found in form:
        if found.type not in ("HiddenField", "CSRFTokenField"):
            found.id = found.label.field_id = f"reupload-{found.id}"
    return form


def _reupload_form(settings: dict) -> ImportForm:
    """The preview's form for the corrected file, with the choices this file was checked with."""
    form = reupload_ids(_upload_form(False))
    options = settings.get("options") or {}
    form.template.data = settings.get("template") or ""
    form.encoding.data = settings.get("encoding") or ""
    form.blank_erases.data = bool(options.get("blank_erases"))
    form.migration.data = bool(options.get("migration"))
    form.reason.data = options.get("reason") or ""
    return form


def background_rows() -> int:
    return int(current_app.config.get("IMPORT_BACKGROUND_ROWS") or BACKGROUND_ROWS)


@bp.errorhandler(413)
def _too_large(_error):
    """A file over the web server's hard limit: say so on the upload page instead of failing."""
    if not (current_user.is_authenticated and current_user.role in EDITORS):
        from supplychain.views.errors import MESSAGES

        title, message = MESSAGES[413]
        return render_template("errors/error.html", code=413, title=title, message=message), 413
    form = _upload_form(False)  # the request body is too large to be read at all
    form.file.errors = [_too_large_message()]
    return _upload_page(form, 413)


@bp.route("/", methods=["GET", "POST"])
@roles_required(*EDITORS)
def upload():
    """Upload a CSV or XLSX file; the answer is a preview with every error, nothing is saved yet."""
    form = _upload_form()
    if form.validate_on_submit():
        if form.migration.data and current_user.role != "admin":
            form.form_errors.append(_("Only an administrator can migrate an existing supply base."))
            return _upload_page(form, 403)
        if form.migration.data and not (form.reason.data or "").strip():
            form.reason.errors = [_("Give the reason for the migration (where the statuses come from).")]
            return _upload_page(form)
        limit = _limit_mb() * 1024 * 1024
        data = form.file.data.read(limit + 1)
        if len(data) > limit:
            form.file.errors = [_too_large_message()]
            return _upload_page(form)
        filename = Path((form.file.data.filename or "").replace("\\", "/")).name[:200]
        template = (form.template.data or "").strip()
        settings = {
            "encoding": form.encoding.data if form.encoding.data in encodings.CHOICE_NAMES else "",
            "template": template,
            "mapping": import_mappings.get(db.session, MAPPING_KIND, template) if template else {},
            "options": {"blank_erases": bool(form.blank_erases.data), "migration": bool(form.migration.data),
                        "reason": (form.reason.data or "").strip() if form.migration.data else ""},
        }
        rows = importer.estimated_rows(filename, data)
        if rows >= background_rows():
            return _start_check(filename, data, settings, rows)
        return _checked(filename, data, settings)
    return _upload_page(form)


def _start_check(filename: str, data: bytes, settings: dict, rows: int):
    """A large file is checked by a background job too: the request only stages it (gunicorn's timeout)."""
    token = stage(filename, data, {**settings, "rows": rows})
    params = {"path": str(staged_path(token)), "token": token, "filename": filename,
              "encoding": settings.get("encoding") or "", "mapping": settings.get("mapping") or {},
              "options": settings.get("options") or {}, "user_id": current_user.id, "today": today().isoformat(),
              "lang": lang(), "rows": rows}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.CHECK_KIND, params, current_user)
    return redirect(url_for(".job", job_id=job.id))


def _checked(filename: str, data: bytes, settings: dict):
    """The preview of a file, staged (under a new token) so it can be read again or confirmed."""
    plan = _plan(filename, data, settings)
    settings["rows"] = plan.total_rows
    # Staged with errors too when a mapping or another encoding could be what is missing; otherwise the
    # file has to be corrected and uploaded again, and nothing stays on the server.
    header = plan.header
    fixable = (plan.encoding is not None and not plan.encoding.certain) or (
        header is not None and (bool(header.unknown) or "name_zh" not in header.fields))
    token = stage(filename, data, settings) if (plan.ok or fixable) else None
    return _preview(plan, filename, token, settings)


@bp.route("/recheck", methods=["POST"])
@roles_required(*EDITORS)
def recheck():
    """Read the staged file again with another encoding or a mapping of the unrecognised columns; a mapping
    given a template name is remembered for the next file of that template."""
    form = RecheckForm()
    form.encoding.choices = _encoding_choices()
    staged = claim(form.token.data) if form.validate_on_submit() else None
    if staged is None:
        flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for(".upload"))
    meta, data = staged
    settings = {key: meta.get(key) for key in ("encoding", "template", "mapping", "options")}
    if form.encoding.data in encodings.CHOICE_NAMES or form.encoding.data == "":
        settings["encoding"] = form.encoding.data
    settings["mapping"] = mapping_from_form(settings.get("mapping") or {}, header_fields.FIELDS)
    remember_template(MAPPING_KIND, form.template.data, settings)
    return _checked(str(meta.get("filename") or ""), data, settings)


@bp.route("/confirm", methods=["POST"])
@roles_required(*EDITORS)
def confirm():
    """Check the staged file again and save every row, or nothing (a large file in a background job)."""
    form = ConfirmImportForm()
    staged = claim(form.token.data) if form.validate_on_submit() else None
    if staged is None:
        flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for(".upload"))
    meta, data = staged
    filename = str(meta.get("filename") or "")
    settings = {key: meta.get(key) for key in ("encoding", "template", "mapping", "options")}
    accept = bool(form.accept_warnings.data)
    if int(meta.get("rows") or 0) >= background_rows():
        return _start_job(filename, data, settings, accept, int(meta.get("rows") or 0))
    try:
        # Checked again: the registry may have changed since the preview. All rows or none.
        def run_import():
            return importer.import_file(db.session, filename, data, current_user, today(),
                                        options=_options(settings), encoding=settings.get("encoding") or None,
                                        mapping=settings.get("mapping") or None, accept_warnings=accept)

        try:
            plan, result = run_import()
        except (IntegrityError, StaleDataError):
            # Someone saved the same suppliers at the same moment (the unique code or name refused ours).
            # Nothing was saved; checked once more, the rows they created are now updates of theirs.
            db.session.rollback()
            plan, result = run_import()
        if result is None:
            db.session.rollback()
            if plan.ok and plan.warnings:
                flash(_("Read the warnings and tick the box to import anyway."), "warning")
                settings["rows"] = plan.total_rows
                return _preview(plan, filename, stage(filename, data, settings), settings)
            return _preview(plan, filename, None, settings, rechecked=True)
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash(_("The registry changed while importing; nothing was saved. Check the file again."), "danger")
        return redirect(url_for(".upload"))
    flash(_("Imported %(rows)d rows: %(created)d new suppliers, %(updated)d updated, "
            "%(unchanged)d unchanged.", rows=plan.total_rows, created=result.created, updated=result.updated,
            unchanged=result.unchanged), "success")
    if result.statuses:
        flash(_("%(n)d statuses brought over from the existing supply base.", n=result.statuses), "success")
    return redirect(url_for("suppliers.index"))


def job_file(data: bytes) -> Path:
    """A file for a background job to read (and remove when it is done), beside the staged uploads."""
    path = _staging() / f"job-{secrets.token_urlsafe(16)}.bin"
    _write_private(path, data)
    return path


def staged_path(token: str) -> Path:
    """Where the staged upload of a token waits (a check job reads it there)."""
    return _staging() / f"{token}.bin"


def _start_job(filename: str, data: bytes, settings: dict, accept: bool, rows: int):
    """Hand a large file to a background job and show its progress page."""
    params = {"path": str(job_file(data)), "filename": filename, "encoding": settings.get("encoding") or "",
              "mapping": settings.get("mapping") or {}, "options": settings.get("options") or {},
              "accept_warnings": accept, "user_id": current_user.id, "today": today().isoformat(),
              "lang": lang(), "rows": rows}
    job = jobs.enqueue(db.session, current_app._get_current_object(), import_jobs.KIND, params, current_user)
    return redirect(url_for(".job", job_id=job.id))


@bp.route("/jobs/<int:job_id>")
@roles_required(*EDITORS)
def job(job_id: int):
    """A background import: progress while it runs (the page refreshes itself), then its result."""
    found = db.session.get(BackgroundJob, job_id)
    if found is None or found.kind not in (import_jobs.KIND, import_jobs.CHECK_KIND) or (
            found.created_by_id != current_user.id and current_user.role != "admin"):
        abort(404)
    done, total = import_jobs.live_progress(found)
    confirm_form = None
    if found.kind == import_jobs.CHECK_KIND and found.status == "finished" and (found.result or {}).get("ok"):
        confirm_form = ConfirmImportForm(formdata=None)
        confirm_form.token.data = found.result.get("token")
    return render_template("supplier_import/job.html", job=found, done=done, total=total,
                           stale=jobs.is_stale(found), checking=found.kind == import_jobs.CHECK_KIND,
                           confirm_form=confirm_form)


@bp.route("/problems/<report_token>.csv")
@roles_required(*EDITORS)
def problems(report_token: str):
    """Every error, warning and note of a checked file, when the preview could not list them all."""
    return report_download(report_token)


@bp.route("/template.csv")
@roles_required(*EDITORS)
def template():
    """An example file with every column (UTF-8 with BOM, so Excel shows the Chinese)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(importer.COLUMNS + importer.OPTIONAL_COLUMNS)
    writer.writerows(TEMPLATE_ROWS)  # fixed example rows, not user data: "+49 …" must stay importable
    return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=suppliers-template.csv"})
