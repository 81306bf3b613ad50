"""External screening pages (issue 11 part 4): record a result with its screenshot, a supplier's results,
import a file of results, and the re-screening due list ordered by risk tier."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.screening import ScreeningImportForm, ScreeningResultForm
from supplychain import db, screening_lists
from supplychain.clock import today
from supplychain.importing import encodings
from supplychain.labels import pick
from supplychain.models import Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.risk import screening, screening_import
from supplychain.views.evidence_support import get_or_404, read_upload, store, submit

bp = Blueprint("screening", __name__, url_prefix="/screening")
MENU = [("screening.due", _l("Re-screening due"), STAFF),
        ("screening.import_results", _l("Import screening results"), EDITORS)]
MAX_SHOWN = 500


def list_label(code: str) -> str:
    """A list's name in the page's language (its code when unknown)."""
    entry = screening_lists.BY_CODE.get(code)
    return pick(entry.label_zh, entry.label_en) if entry else code


def source_label(code: str) -> str:
    """Where a list is usually checked, in the page's language ("" when not said)."""
    entry = screening_lists.BY_CODE.get(code)
    return pick(entry.source, entry.source_en) if entry else ""


def result_label(code: str, result: str) -> str:
    """A result's name in the page's language."""
    entry = screening_lists.BY_CODE.get(code)
    if entry is None:
        return result
    en, zh = screening_lists.result_labels(entry, result)
    return pick(zh, en)


@bp.record_once
def _install(state) -> None:
    state.app.jinja_env.globals.update(screening_list_label=list_label, screening_result_label=result_label,
                                       screening_source_label=source_label,
                                       screening_is_red=screening_lists.is_red)


def _fill(form: ScreeningResultForm) -> None:
    form.list_code.choices = [("", "—")] + [(entry.code, list_label(entry.code)) for entry in screening_lists.LISTS]
    results = dict.fromkeys(r for entry in screening_lists.LISTS if entry.feeds == "list" for r in entry.results)
    labels = screening_lists.RESULT_LABELS
    form.result.choices = [("", "—")] + [(r, pick(labels[r][1], labels[r][0])) for r in results]


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def record(supplier_id: int):
    """Record one check of the supplier against one list, with the screenshot or PDF of what was found."""
    supplier = get_or_404(Supplier, supplier_id)
    form = ScreeningResultForm()
    _fill(form)
    if request.method == "GET":
        form.checked_on.data = today()
        if request.args.get("list") in screening_lists.BY_CODE:
            form.list_code.data = request.args["list"]
    if form.is_submitted():
        files = store()
        upload = read_upload(form.evidence.data, files.max_bytes)
        data = screening.ResultData(form.list_code.data or "", form.checked_on.data, form.result.data or "",
                                    form.source_reference.data or "", form.note.data or "")
        saved = submit(form, lambda: screening.check_upload(data, upload, files.max_bytes, today())[0],
                       lambda: screening.record_result(db.session, supplier, data, upload, files, current_user,
                                                       today()))
        if saved is not None:
            flash(_("Screening result recorded."), "success")
            return redirect(url_for("suppliers.view", supplier_id=supplier.id, _anchor="screening"))
    return render_template("screening/record.html", form=form, supplier=supplier, lists=screening_lists.LISTS,
                           results=screening.history(db.session, supplier.id))


@bp.route("/suppliers/<int:supplier_id>")
@roles_required(*STAFF)
def history(supplier_id: int):
    """Every screening result of the supplier, latest first."""
    supplier = get_or_404(Supplier, supplier_id)
    return render_template("screening/history.html", supplier=supplier,
                           results=screening.history(db.session, supplier.id))


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_results():
    """Upload a CSV or XLSX file of screening results: every row checked, every problem shown, all or nothing.

    Within the user's scope: a subsidiary's buyer imports results only for the suppliers it buys from."""
    form = ScreeningImportForm()
    form.encoding.choices = [("", _("Detect automatically"))] + list(encodings.CHOICES)
    if not form.validate_on_submit():
        return render_template("screening/import.html", form=form, plan=None, lists=screening_lists.LISTS)
    limit = store().max_bytes
    upload = read_upload(form.file.data, limit)
    if upload is None or len(upload.data) > limit:
        form.file.errors = [_("The file is larger than %(n)d MB. Split it into smaller files.",
                              n=limit // (1024 * 1024))]
        return render_template("screening/import.html", form=form, plan=None, lists=screening_lists.LISTS)
    filename = Path((upload.filename or "").replace("\\", "/")).name[:200]
    encoding = form.encoding.data if form.encoding.data in encodings.CHOICE_NAMES else None
    plan, saved = screening_import.import_file(db.session, filename, upload.data, current_user, today(),
                                               dry_run=bool(form.dry_run.data), encoding=encoding)
    if saved is None:
        db.session.rollback()
    else:
        db.session.commit()
    return render_template("screening/import.html", form=form, plan=plan, saved=saved, filename=filename,
                           errors=plan.errors[:MAX_SHOWN], lists=screening_lists.LISTS)


@bp.route("/due")
@roles_required(*STAFF)
def due():
    """Suppliers due for re-screening: by risk tier, never-screened first within a tier, then by due date."""
    rows = screening.rescreening_due(db.session, today())
    return render_template("screening/due.html", rows=rows[:MAX_SHOWN], total=len(rows), today=today())
