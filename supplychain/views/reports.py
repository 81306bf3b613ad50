"""Scorecard PDFs and periodic scorecard exports (background jobs with progress, download, retry)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.reports import ExportForm, RetryForm
from supplychain import db, jobs, regions
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.labels import lang_tag, pick
from supplychain.models.evaluation import Evaluation
from supplychain.security import STAFF, roles_required
from supplychain.services.evaluation import exports, scorecards
from supplychain.views.forms_support import attach_errors

bp = Blueprint("reports", __name__, url_prefix="/reports")
MENU = [("reports.index", _l("Scorecard exports"), STAFF)]


def _fill_choices(form: ExportForm, page: exports.ExportPage) -> None:
    form.category.choices = [("", _("All categories"))] + [
        (c.code, pick(c.name_zh, c.name_en)) for c in page.categories
    ]
    form.region.choices = [("", _("All regions"))] + [
        (r.key, regions.region_name(r.key, lang_tag())) for r in regions.REGIONS
    ]
    form.grade.choices = [("", _("All grades"))] + [(key, pick(zh, en)) for key, zh, en in page.grades]


# Starting or re-running an export writes a job and files: not for auditors, whose role is read-only
# (they open and download the exports others started, and the disclosure files).
EXPORTERS = ("admin", "procurement", "reviewer")


def _settings() -> scorecards.ScorecardSettings:
    return scorecards.settings_from(current_app.config, request.url_root)


@bp.route("/", methods=["GET", "POST"])
@roles_required(*STAFF)
def index():
    """The export form and the latest exports."""
    if request.method == "POST" and current_user.role not in EXPORTERS:
        abort(403)
    page = exports.page(db.session)
    form = ExportForm()
    _fill_choices(form, page)
    if request.method == "GET" and not form.period.data:
        form.period.data = str(today().year - 1)
    if form.validate_on_submit():
        raw = {
            name: getattr(form, name).data or ""
            for name in ("period", "category", "region", "grade", "language")
        }
        try:
            filters = exports.parse_filters(db.session, raw, today())
            job = jobs.enqueue(db.session, current_app._get_current_object(), exports.KIND,
                               exports.job_params(filters, request.url_root), current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            if job.status == "failed":
                flash(_("The export could not be queued: %(error)s", error=job.error), "danger")
            return redirect(url_for(".job", export_id=job.id))
    return render_template(
        "reports/index.html",
        form=form,
        page=page,
        can_export=current_user.role in EXPORTERS,
        can_retry=lambda job: current_user.role in EXPORTERS and jobs.can_retry(job),
        stale=jobs.is_stale,
        filters=exports.filters_summary,
    )


def _job_or_404(export_id: int):
    job = exports.get_job(db.session, export_id)
    if job is None:
        abort(404)
    return job


@bp.route("/exports/<int:export_id>")
@roles_required(*STAFF)
def job(export_id: int):
    """One export: progress (n of N, the page refreshes itself while it runs), result, failures, download."""
    job = _job_or_404(export_id)
    folder = exports.export_folder(current_app.config, current_app.instance_path)
    return render_template(
        "reports/job.html",
        job=job,
        ready=exports.output_file(job, folder) is not None,
        retry_form=RetryForm(),
        can_retry=current_user.role in EXPORTERS and jobs.can_retry(job),
        stale=jobs.is_stale(job),
        filters=exports.filters_summary(job.params or {}),
    )


@bp.route("/exports/<int:export_id>/download")
@roles_required(*STAFF)
def download(export_id: int):
    """The export's ZIP."""
    job = _job_or_404(export_id)
    path = exports.output_file(job, exports.export_folder(current_app.config, current_app.instance_path))
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=path.name)


@bp.route("/exports/<int:export_id>/retry", methods=["POST"])
@roles_required(*EXPORTERS)
def retry(export_id: int):
    """Run a failed export again."""
    job = _job_or_404(export_id)
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    if not jobs.can_retry(job):
        flash(_("Only a failed export, or one with failed suppliers, can be run again."), "warning")
    else:
        jobs.retry(db.session, current_app._get_current_object(), job)
        flash(_("The export runs again."), "success")
    return redirect(url_for(".job", export_id=job.id))


@bp.route("/scorecards/<int:final_evaluation_id>.pdf")
@roles_required(*STAFF, "supplier")
def scorecard_pdf(final_evaluation_id: int):
    """One final evaluation's scorecard (?lang=zh, en or both); a supplier sees only its own."""
    language = request.args.get("lang", "both")
    if language not in scorecards.LANGUAGE_CHOICES:
        abort(400)
    evaluation = db.session.get(Evaluation, final_evaluation_id)
    if evaluation is None or (
        current_user.role == "supplier" and evaluation.supplier_id != current_user.supplier_id
    ):
        abort(404)
    try:
        file = scorecards.scorecard_pdf(db.session, final_evaluation_id, language, _settings())
    except scorecards.ScorecardUnavailable:
        abort(404)
    db.session.commit()
    response = Response(file.pdf, mimetype="application/pdf")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{file.filename}"'
    return response
