"""Bulk import of suppliers: upload → preview with every error → confirm.

Between the preview and the confirmation the uploaded file waits in the instance folder
(import_staging/<token>.bin with a <token>.json naming its owner). The confirmation checks the
file again, since the registry may have changed meanwhile, and saves all rows or none.
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

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from forms.supplier_import import ConfirmImportForm, ImportForm
from supplychain import db
from supplychain.clock import today
from supplychain.security import EDITORS, roles_required
from supplychain.services import importer

bp = Blueprint("supplier_import", __name__, url_prefix="/suppliers/import")
MENU = [("supplier_import.upload", _l("Import"), EDITORS)]

PREVIEW_ROWS = 200
# Every error is listed; past this many (a wrong file, not a few typos) the page would only get slow.
PREVIEW_ERRORS = 10_000
STAGING_HOURS = 24
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
TEMPLATE_ROWS = (
    ("重庆长江精密机械有限公司", "Chongqing Changjiang Precision Machinery Co., Ltd.", "91500112MA5U7C8X0N",
     "CN", "重庆", "重庆", "渝北区金开大道 1 号", "equipment;components", "王伟", "13800000000",
     "wang@example.cn", "2021-03-15"),
    ("Schmidt Maschinenbau GmbH", "Schmidt Maschinenbau GmbH", "", "DE", "", "München", "", "equipment",
     "Anna Schmidt", "+49 89 1234567", "anna@example.de", ""),
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


def _stage(filename: str, data: bytes) -> str:
    """Keep a checked file for its confirmation; returns the token naming it."""
    folder = _staging()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    meta = {"user_id": current_user.id, "filename": filename}
    _write_private(folder / f"{token}.json", json.dumps(meta).encode())
    _write_private(folder / f"{token}.bin", data)
    return token


def _claim(token: str) -> tuple[str, bytes] | None:
    """Take the staged file for the current user, once: a second click (or another user) gets None."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _staging()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != current_user.id:
        return None
    claimed = folder / f"{token}.{secrets.token_hex(4)}.claimed"
    try:
        os.rename(data_path, claimed)  # atomic: only one confirmation can win
    except OSError:
        return None
    try:
        return str(meta.get("filename") or ""), claimed.read_bytes()
    finally:
        for path in (claimed, meta_path):
            path.unlink(missing_ok=True)


def _upload_page(form: ImportForm, status: int = 200):
    return render_template("supplier_import/upload.html", form=form, limit_mb=_limit_mb(),
                           columns=importer.COLUMNS, optional_columns=importer.OPTIONAL_COLUMNS), status


def _preview(plan: importer.ImportPlan, filename: str, token: str | None, rechecked: bool = False):
    confirm_form = ConfirmImportForm(formdata=None)
    confirm_form.token.data = token
    return render_template("supplier_import/preview.html", plan=plan, filename=filename, token=token,
                           confirm_form=confirm_form, upload_form=ImportForm(formdata=None),
                           shown=plan.rows[:PREVIEW_ROWS], errors=plan.errors[:PREVIEW_ERRORS],
                           rechecked=rechecked, limit_mb=_limit_mb())


@bp.errorhandler(413)
def _too_large(_error):
    """A file over the web server's hard limit: say so on the upload page instead of failing."""
    if not (current_user.is_authenticated and current_user.role in EDITORS):
        from supplychain.views.errors import MESSAGES

        title, message = MESSAGES[413]
        return render_template("errors/error.html", code=413, title=title, message=message), 413
    form = ImportForm(formdata=None)  # the request body is too large to be read at all
    form.file.errors = [_too_large_message()]
    return _upload_page(form, 413)


@bp.route("/", methods=["GET", "POST"])
@roles_required(*EDITORS)
def upload():
    """Upload a CSV or XLSX file; the answer is a preview with every error, nothing is saved yet."""
    form = ImportForm()
    if form.validate_on_submit():
        limit = _limit_mb() * 1024 * 1024
        data = form.file.data.read(limit + 1)
        if len(data) > limit:
            form.file.errors = [_too_large_message()]
            return _upload_page(form)
        filename = Path((form.file.data.filename or "").replace("\\", "/")).name[:200]
        plan, _nothing = importer.import_file(db.session, filename, data, current_user, today(), dry_run=True)
        return _preview(plan, filename, _stage(filename, data) if plan.ok else None)
    return _upload_page(form)


@bp.route("/confirm", methods=["POST"])
@roles_required(*EDITORS)
def confirm():
    """Check the staged file again and save every row, or nothing."""
    form = ConfirmImportForm()
    staged = _claim(form.token.data) if form.validate_on_submit() else None
    if staged is None:
        flash(_("This upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for(".upload"))
    filename, data = staged
    try:
        try:
            # Checked again: the registry may have changed since the preview. All rows or none.
            plan, result = importer.import_file(db.session, filename, data, current_user, today())
            if not plan.ok:
                db.session.rollback()
                return _preview(plan, filename, None, rechecked=True)
            db.session.commit()
        except (IntegrityError, StaleDataError):
            # Someone saved the same suppliers at the same moment (the unique code or name refused ours).
            # Nothing was saved; checked once more, the rows they created are now updates of theirs.
            db.session.rollback()
            plan, result = importer.import_file(db.session, filename, data, current_user, today())
            if not plan.ok:
                db.session.rollback()
                return _preview(plan, filename, None, rechecked=True)
            db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash(_("The registry changed while importing; nothing was saved. Check the file again."), "danger")
        return redirect(url_for(".upload"))
    flash(_("Imported %(rows)d rows: %(created)d new suppliers, %(updated)d updated, "
            "%(unchanged)d unchanged.", rows=plan.total_rows, created=result.created, updated=result.updated,
            unchanged=result.unchanged), "success")
    return redirect(url_for("suppliers.index"))


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
