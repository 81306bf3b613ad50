"""Evaluation pages: list, start (one or in bulk), score, submit, approve or return, trial outcome,
integrity screening, annual certificates and the dual-sourcing overview."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from forms.evaluations import (
    KIND_LABELS,
    BulkEvaluationForm,
    DualSourcingForm,
    EvaluationForm,
    ScoresForm,
    ScreeningForm,
    TrialForm,
    WorkflowForm,
)
from supplychain import db, scope
from supplychain.clock import today
from supplychain.errors import Conflict, ValidationFailed
from supplychain.evidence_labels import SEVERITY_LABELS
from supplychain.extensions import limiter
from supplychain.labels import pick
from supplychain.models import EVALUATION_STATUSES, Supplier, SupplyCategory
from supplychain.models.evaluation import AnnualCertificate, Evaluation
from supplychain.scoring import CERTIFICATE_LABELS, INCIDENT_CATEGORY_LABELS, PLEDGE_LABELS
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evaluation import (
    approvals,
    certificates_annual,
    evaluations,
    lifecycle,
    period_evaluations,
    schemes,
)
from supplychain.services.evaluation.periods import Period, make_period, period_label
from supplychain.services.registry import dual_sourcing
from supplychain.services.risk import screening
from supplychain.views.forms_support import attach_errors, fill_organisations

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
MENU = [
    ("evaluations.index", _l("Evaluations"), STAFF),
    ("evaluations.dual_sourcing", _l("Dual sourcing"), STAFF),
]
APPROVERS = approvals.APPROVER_ROLES
# Public, so guessing verification codes is slowed down (a code has 64 bits).
VERIFY_RATE_LIMIT = "60 per minute"
CONFLICT = _l(
    "Someone else changed this evaluation after you opened it. Nothing you entered was saved: "
    "reload the page to see their changes, then enter yours again."
)
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "final": _l("Final"),
    "cancelled": _l("Cancelled"),
}
OUTCOME_LABELS = {
    "trial": _l("Trial supply"),
    "qualified": _l("Qualified"),
    "rejected": _l("Rejected"),
    "certificate": _l("Annual certificate issued"),
    "corrective_actions": _l("Corrective actions required"),
    "suspended": _l("Suspended"),
    "exited": _l("Exited"),
}
GRADE_BADGES = {
    "excellent": "success",
    "qualified": "primary",
    "conditional": "warning",
    "unqualified": "danger",
}


def _settings() -> lifecycle.LifecycleSettings:
    config = current_app.config
    return lifecycle.LifecycleSettings(
        int(config.get("CORRECTIVE_ACTION_DAYS", 90)), config["SECRET_KEY"] or ""
    )


def _evaluation(evaluation_id: int) -> Evaluation:
    return db.session.get(Evaluation, evaluation_id) or abort(404)


def _flash_errors(errors: dict[str, list], evaluation: Evaluation | None = None) -> None:
    names = {}
    if evaluation is not None:
        names = {
            c.key: pick(c.name_zh, c.name_en)
            for c in evaluations.manual_criteria(evaluation)
        }
    for key, messages in errors.items():
        for message in messages:
            flash(f"{names[key]}: {message}" if key in names else str(message), "danger")


def _lang() -> str:
    from supplychain.labels import lang

    return lang()


def _version(form) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _level(form) -> int | None:
    raw = (form.level.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _grade_level(evaluation: Evaluation) -> str | None:
    return lifecycle.grade_level(evaluation) if evaluation.result else None


def _pair(labels: dict, code: str) -> str:
    en, zh = labels.get(code, (code, code))
    return pick(zh, en)


def _grade_name(evaluation: Evaluation) -> str:
    # From the scheme version (parsed once per process), not the evaluation's snapshot: the snapshot's scheme
    # is that version's, and decoding every row's snapshot was half the CPU of a bulk batch page of 2,000 rows.
    zh, en = schemes.band_names(evaluation.scheme_version).get(evaluation.grade, (None, None))
    return pick(zh, en) or evaluation.grade or ""


def _certificate_name(certificate: AnnualCertificate) -> str:
    zh, en = certificates_annual.KIND_NAMES.get(certificate.kind, (certificate.kind, certificate.kind))
    return pick(zh, en)


@bp.app_context_processor
def _helpers():
    return {
        "evaluation_status_label": lambda s: STATUS_LABELS.get(s, s),
        "evaluation_outcome_label": lambda s: OUTCOME_LABELS.get(s, s or ""),
        "evaluation_kind_label": lambda k: KIND_LABELS.get(k, k),
        "grade_badge": lambda e: GRADE_BADGES.get(_grade_level(e) or "", "secondary"),
        "grade_name": _grade_name,
        "certificate_name": _certificate_name,
        "period_name": lambda e: period_label(e.period_type, e.period_year, e.period_index, _lang()),
        "evidence_behind": evaluations.evidence_behind,
        "cert_label": lambda code: _pair(CERTIFICATE_LABELS, code),
        "pledge_label": lambda code: _pair(PLEDGE_LABELS, code),
        "incident_label": lambda code: _pair(INCIDENT_CATEGORY_LABELS, code),
        "severity_label": lambda code: SEVERITY_LABELS.get(code, code),
    }


#: The years the evaluation list can filter by; anything else is refused, never a 500.
YEAR_RANGE = (1900, 2999)


def list_filters() -> evaluations.EvaluationFilters:
    """The list's filters from the query string (also used by the list's XLSX/CSV export)."""
    args = request.args
    year = args.get("year", type=int)
    return evaluations.EvaluationFilters(
        status=args.get("status", "") if args.get("status", "") in EVALUATION_STATUSES else "",
        kind=args.get("kind", "") if args.get("kind", "") in KIND_LABELS else "",
        category_id=args.get("category_id", type=int),
        year=year if year is not None and YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None,
        supplier_id=args.get("supplier_id", type=int),
        awaiting_me=args.get("awaiting") == "1",
    )


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Evaluations with filters; reviewers see the ones awaiting their decision first."""
    args = request.args
    filters = list_filters()
    if args.get("year") and filters.year is None:
        flash(_("The year must be a number from %(low)d to %(high)d.", low=YEAR_RANGE[0], high=YEAR_RANGE[1]),
              "warning")
    page = evaluations.search(db.session, filters, current_user, args.get("page", 1, type=int) or 1)
    categories = list(db.session.scalars(select(SupplyCategory).order_by(SupplyCategory.code)))
    return render_template(
        "evaluations/index.html",
        page=page,
        filters=filters,
        categories=categories,
        statuses=EVALUATION_STATUSES,
        kinds=KIND_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Start an admission or periodic evaluation of one supplier."""
    form = EvaluationForm()
    supplier_id = (
        form.supplier_id.data if request.method == "POST" else request.args.get("supplier_id", type=int)
    )
    supplier = db.session.get(Supplier, supplier_id) if supplier_id else None
    categories = (
        supplier.categories
        if supplier
        else list(
            db.session.scalars(
                select(SupplyCategory).where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code)
            )
        )
    )
    form.category_id.choices = [(c.id, pick(c.name_zh, c.name_en)) for c in categories]
    fill_organisations(form.organisation_id)
    if request.method == "GET":
        form.supplier_id.data = supplier_id
        form.kind.data = request.args.get("kind") or (
            "periodic" if supplier and supplier.status in evaluations.PERIODIC_FROM else "admission"
        )
        form.period_year.data = today().year - 1 if today().month < 7 else today().year
    if form.validate_on_submit():
        data = evaluations.NewEvaluation(
            form.supplier_id.data,
            form.kind.data,
            form.category_id.data,
            form.period_type.data,
            form.period_year.data,
            form.period_index.data,
            form.organisation_id.data,
        )
        try:
            evaluation = evaluations.create_evaluation(db.session, data, current_user, today())
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            flash(_("Evaluation #%(id)d started.", id=evaluation.id), "success")
            return redirect(url_for(".edit", evaluation_id=evaluation.id))
    return render_template("evaluations/new.html", form=form, supplier=supplier)


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(*EDITORS)
def bulk():
    """Start periodic evaluations of every qualified supplier of a category for a period."""
    form = BulkEvaluationForm()
    form.category_id.choices = [
        (c.id, pick(c.name_zh, c.name_en))
        for c in db.session.scalars(
            select(SupplyCategory).where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code)
        )
    ]
    fill_organisations(form.organisation_id)
    if request.method == "GET":
        form.period_year.data = today().year - 1 if today().month < 7 else today().year
    result = None
    if form.validate_on_submit():
        try:
            result = evaluations.bulk_create(
                db.session,
                form.category_id.data,
                form.period_type.data,
                form.period_year.data,
                form.period_index.data,
                current_user,
                today(),
                form.organisation_id.data,
            )
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            flash(_("%(n)d evaluations started.", n=len(result.created)), "success")
    return render_template("evaluations/bulk.html", form=form, result=result)


@bp.route("/<int:evaluation_id>")
@roles_required(*STAFF)
def view(evaluation_id: int):
    """An evaluation: figures with one explanation per criterion, the evidence behind them, approvals."""
    evaluation = _evaluation(evaluation_id)
    preview = evaluations.preview(db.session, evaluation, today())
    workflow = WorkflowForm()
    workflow.version.data = str(evaluation.version_id)
    workflow.level.data = str(evaluation.next_level or "")
    trial = TrialForm()
    trial.version.data = str(evaluation.version_id)
    trail = (
        audit.for_entity(db.session, "evaluation", evaluation.id)
        if current_user.role in ("admin", "auditor")
        else None
    )
    from supplychain.models import CorrectiveAction

    actions = list(
        db.session.scalars(
            select(CorrectiveAction)
            .where(CorrectiveAction.evaluation_id == evaluation.id)
            .order_by(CorrectiveAction.id)
        )
    )
    certificate = db.session.scalar(
        select(AnnualCertificate).where(AnnualCertificate.evaluation_id == evaluation.id)
    )
    return render_template(
        "evaluations/view.html",
        evaluation=evaluation,
        period=period_evaluations.for_reader(db.session, evaluation),
        level_names=period_evaluations.LEVEL_NAMES,
        preview=preview,
        workflow=workflow,
        trial=trial,
        scheme=evaluation.scheme_version.definition,
        rank=evaluations.rank(db.session, evaluation),
        can_decide=current_user.role in APPROVERS and approvals.can_decide(evaluation, current_user),
        decide_problems=approvals.problems(evaluation, current_user, evaluation.next_level)
        if evaluation.status == "submitted" and current_user.role in APPROVERS
        else [],
        trail=trail,
        actions=actions,
        certificate=certificate,
        grade_level=_grade_level(evaluation),
        screening=evaluations.latest_screening(db.session, evaluation.supplier_id, preview.as_of),
    )


@bp.route("/<int:evaluation_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(evaluation_id: int):
    """Score the manual criteria of a draft, with the evidence criteria and their evidence beside them."""
    evaluation = _evaluation(evaluation_id)
    if evaluation.status != "draft":
        flash(_("Only a draft evaluation can be edited."), "warning")
        return redirect(url_for(".view", evaluation_id=evaluation.id))
    form = ScoresForm()
    errors: dict[str, list] = {}
    values = {
        c.key: (evaluation.manual_scores or {}).get(c.key, "")
        for c in evaluations.manual_criteria(evaluation)
    }
    notes = dict(evaluation.manual_notes or {})
    if request.method == "GET":
        form.version.data = str(evaluation.version_id)
    elif form.validate_on_submit():
        values = {key: request.form.get(f"score_{key}", "")[:40] for key in values}
        notes = {key: request.form.get(f"note_{key}", "")[:2000] for key in values}
        try:
            evaluations.save_scores(db.session, evaluation, values, notes, _version(form), current_user)
        except Conflict:
            db.session.rollback()
            form.form_errors.append(CONFLICT)
        except ValidationFailed as failed:
            db.session.rollback()
            errors = failed.errors
            form.form_errors.extend(errors.get("", []))
        else:
            db.session.commit()
            flash(_("Scores saved."), "success")
            return redirect(url_for(".edit", evaluation_id=evaluation.id))
    preview = evaluations.preview(db.session, evaluation, today())
    return render_template(
        "evaluations/edit.html",
        evaluation=evaluation,
        form=form,
        values=values,
        notes=notes,
        errors=errors,
        preview=preview,
        scheme=evaluation.scheme_version.definition,
    )


def _workflow(evaluation_id: int, action) -> Response:
    evaluation = _evaluation(evaluation_id)
    form = WorkflowForm()
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "danger")
        return redirect(url_for(".view", evaluation_id=evaluation.id))
    try:
        message = action(evaluation, form)
    except Conflict:
        db.session.rollback()
        flash(str(CONFLICT), "danger")
    except ValidationFailed as failed:
        db.session.rollback()
        _flash_errors(failed.errors, evaluation)
        if evaluation.status == "draft" and set(failed.errors) - {"", "comment"}:
            return redirect(url_for(".edit", evaluation_id=evaluation.id))
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".view", evaluation_id=evaluation.id))


@bp.route("/<int:evaluation_id>/submit", methods=["POST"])
@roles_required(*EDITORS)
def submit(evaluation_id: int):
    """Freeze the facts and the scores and send the evaluation to approval."""

    def action(evaluation, form):
        evaluations.submit(
            db.session,
            evaluation,
            _version(form),
            current_user,
            today(),
            current_app.config.get("APPROVAL_LEVELS", 3),
        )
        return _(
            "Submitted for approval: %(total)s, %(grade)s.", total=evaluation.total, grade=_grade_name(evaluation)
        )

    return _workflow(evaluation_id, action)


@bp.route("/<int:evaluation_id>/approve", methods=["POST"])
@roles_required(*APPROVERS)
def approve(evaluation_id: int):
    """Approve the level the evaluation awaits; the last level makes it final and applies its consequences."""

    def action(evaluation, form):
        level = _level(form)
        evaluations.decide(
            db.session,
            evaluation,
            "approved",
            level,
            form.comment.data or "",
            _version(form),
            current_user,
            today(),
            _settings(),
        )
        if evaluation.status == "final":
            return _(
                "Approved: the evaluation is final (%(outcome)s).",
                outcome=OUTCOME_LABELS.get(evaluation.outcome, evaluation.outcome),
            )
        return _("Level %(level)d approved.", level=level)

    return _workflow(evaluation_id, action)


@bp.route("/<int:evaluation_id>/reject", methods=["POST"])
@roles_required(*APPROVERS)
def reject(evaluation_id: int):
    """Return the evaluation to its evaluator with a comment."""

    def action(evaluation, form):
        evaluations.decide(
            db.session,
            evaluation,
            "rejected",
            _level(form),
            form.comment.data or "",
            _version(form),
            current_user,
            today(),
            _settings(),
        )
        return _("Returned to the evaluator.")

    return _workflow(evaluation_id, action)


@bp.route("/<int:evaluation_id>/cancel", methods=["POST"])
@roles_required(*EDITORS)
def cancel(evaluation_id: int):
    """Cancel a draft, with a reason."""

    def action(evaluation, form):
        evaluations.cancel(db.session, evaluation, _version(form), form.comment.data or "", current_user)
        return _("Evaluation cancelled.")

    return _workflow(evaluation_id, action)


@bp.route("/<int:evaluation_id>/trial", methods=["POST"])
@roles_required(*EDITORS)
def trial(evaluation_id: int):
    """Record the trial-supply outcome after an admission."""
    evaluation = _evaluation(evaluation_id)
    form = TrialForm()
    if form.validate_on_submit():
        try:
            evaluations.record_trial(
                db.session,
                evaluation,
                form.outcome.data,
                form.note.data or "",
                _version(form),
                current_user,
                today(),
            )
        except Conflict:
            db.session.rollback()
            flash(str(CONFLICT), "danger")
        except ValidationFailed as failed:
            db.session.rollback()
            _flash_errors(failed.errors)
        else:
            db.session.commit()
            flash(_("Trial outcome recorded."), "success")
    else:
        _flash_errors({k: v for k, v in form.errors.items() if isinstance(v, list)})
    return redirect(url_for(".view", evaluation_id=evaluation.id))


@bp.route("/screening/<int:supplier_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def screening_form(supplier_id: int):
    """Record an integrity screening of a supplier."""
    supplier = db.session.get(Supplier, supplier_id) or abort(404)
    form = ScreeningForm()
    if request.method == "GET":
        form.checked_on.data = today()
    if form.validate_on_submit():
        data = screening.ScreeningData(
            bool(form.on_dishonest_list.data),
            bool(form.principal_bribery_conviction.data),
            bool(form.integrity_pledge_refused.data),
            form.checked_on.data,
            form.source.data or "",
            form.note.data or "",
        )
        try:
            screening.record_screening(db.session, supplier, data, current_user, today())
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            flash(_("Integrity screening recorded."), "success")
            return redirect(url_for("suppliers.view", supplier_id=supplier.id))
    return render_template(
        "evaluations/screening.html",
        form=form,
        supplier=supplier,
        results=screening.history(db.session, supplier.id),
    )


@bp.route("/certificates/<int:certificate_id>.pdf")
@roles_required(*STAFF)
def certificate_pdf(certificate_id: int):
    """The annual Qualified / Excellent Supplier certificate as a bilingual PDF."""
    certificate = db.session.get(AnnualCertificate, certificate_id) or abort(404)
    if certificate.revoked_on is not None:
        flash(
            _("This certificate was revoked on %(day)s.", day=certificate.revoked_on.isoformat()), "warning"
        )
        return redirect(url_for("suppliers.view", supplier_id=certificate.supplier_id))
    config = current_app.config
    pdf = certificates_annual.render_pdf(
        certificate,
        config["COMPANY_NAME"],
        config.get("COMPANY_NAME_EN") or "",
        url_for(".verify_certificate", verification_code=certificate.verification_code, _external=True),
        config.get("CJK_FONT_PATH"),
    )
    filename = f"certificate-{certificate.year}-{certificate.supplier_id}.pdf"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/certificates/verify/<verification_code>")
@limiter.limit(VERIFY_RATE_LIMIT)
def verify_certificate(verification_code: str):
    """Anyone holding a certificate can check it (the code printed on it cannot be guessed)."""
    certificate = certificates_annual.by_verification_code(db.session, verification_code)
    return render_template(
        "evaluations/verify.html", certificate=certificate, today=today()
    ), 200 if certificate else 404


@bp.route("/dual-sourcing", endpoint="dual_sourcing")
@roles_required(*STAFF)
def dual_sourcing_page():
    """Qualified suppliers and admission candidates per category: single-source risks flagged."""
    form = DualSourcingForm(request.args)
    period: Period | None = None
    # Validate only what was sent: the first visit shows the current year, not "not a valid choice".
    if request.args and form.validate():
        try:
            period = make_period(
                form.period_type.data, form.period_year.data or today().year, form.period_index.data, today()
            )
        except ValidationFailed as failed:
            attach_errors(form, failed.errors)
    if period is None:
        period = Period("year", today().year, 1)
    if not request.args:
        form.period_type.data, form.period_year.data, form.period_index.data = "year", today().year, 1
    minimum = int(current_app.config.get("DUAL_SOURCING_MINIMUM", 2))
    organisations = scope.organisations_in_scope(db.session)
    try:
        boundary = scope.narrow_to_boundary(db.session, request.args.get("org", type=int))
    except LookupError:
        abort(404)
    rows = dual_sourcing.overview(db.session, period, minimum)
    return render_template(
        "evaluations/dual_sourcing.html",
        organisations=organisations,
        boundary=boundary,
        form=form,
        rows=rows,
        period=period,
        minimum=minimum,
        min_candidates=dual_sourcing.MIN_CANDIDATES,
    )
