"""ESG training of suppliers: sessions, attendance, yearly figures."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import AttendanceForm, ReasonForm, SessionForm, SupplierAttendanceForm
from supplychain import db
from supplychain.clock import today
from supplychain.evidence_labels import MODE_LABELS, TOPIC_LABELS
from supplychain.models import TRAINING_MODES, TRAINING_TOPICS, Supplier, TrainingAttendance, TrainingSession
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evidence import training
from supplychain.views.evidence_support import get_or_404, run_and_flash, submit
from supplychain.views.forms_support import fill_organisations

bp = Blueprint("trainings", __name__, url_prefix="/trainings")
MENU = [("trainings.index", _l("Training"), STAFF)]


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Sessions of a year with the year's figures: ESG sessions, people, share of active suppliers trained."""
    year = request.args.get("year", type=int) or today().year
    if not 1990 <= year <= 2200:
        year = today().year
    sessions = training.list_sessions(db.session, year)
    return render_template("trainings/index.html", year=year, sessions=sessions,
                           figures=training.year_figures(db.session, year))


def _fill(form: SessionForm, existing=None) -> None:
    fill_organisations(form.organisation_id, existing.organisation_id if existing else None)
    form.topic.choices = [("", "—")] + [(t, TOPIC_LABELS[t]) for t in TRAINING_TOPICS]
    form.mode.choices = [(m, MODE_LABELS[m]) for m in TRAINING_MODES]


def _save(form: SessionForm, existing: TrainingSession | None):
    data = training.SessionData(organisation_id=form.organisation_id.data,
        title=form.title.data or "", topic=form.topic.data or "", held_on=form.held_on.data,
        hours=form.hours.data, mode=form.mode.data or "", organiser=form.organiser.data or "")
    return submit(form, lambda: training.check_session(data, existing, today()),
                  lambda: training.save_session(db.session, data, current_user, today(), existing),
                  record=existing, entity_type="training_session")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Record a training session."""
    form = SessionForm()
    _fill(form)
    if request.method == "GET":  # a project's "record a site induction" link presets the organisation and topic
        if request.args.get("topic") in TRAINING_TOPICS:
            form.topic.data = request.args["topic"]
        preset = request.args.get("organisation_id", type=int)
        if preset in {choice for choice, _label in form.organisation_id.choices}:
            form.organisation_id.data = preset
    if form.is_submitted() and (saved := _save(form, None)) is not None:
        flash(_("Training session saved."), "success")
        return redirect(url_for(".view", training_id=saved.id))
    return render_template("trainings/form.html", form=form, training=None)


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(training_id: int):
    """Edit a training session."""
    existing = get_or_404(TrainingSession, training_id)
    form = SessionForm(obj=None if request.method == "POST" else existing)
    _fill(form, existing)
    if form.is_submitted() and _save(form, existing) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".view", training_id=existing.id))
    return render_template("trainings/form.html", form=form, training=existing)


def _render_view(session_row: TrainingSession, form: AttendanceForm):
    trail = audit.for_entity(db.session, "training_session", session_row.id)
    return render_template("trainings/view.html", training=session_row, form=form, trail=trail)


@bp.route("/<int:training_id>")
@roles_required(*STAFF)
def view(training_id: int):
    """A session with its attending suppliers."""
    return _render_view(get_or_404(TrainingSession, training_id), AttendanceForm())


@bp.route("/<int:training_id>/attendances", methods=["POST"])
@roles_required(*EDITORS)
def add_attendance(training_id: int):
    """Add a supplier's attendance from the session page (a session that does not exist is a 404)."""
    session_row = get_or_404(TrainingSession, training_id)
    form = AttendanceForm()
    supplier = training.find_supplier(db.session, form.supplier.data or "")
    data = training.AttendanceData(
        supplier_id=supplier.id if supplier else None, head_count=form.head_count.data,
        names=form.names.data or "", completed=bool(form.completed.data))
    saved = submit(
        form, lambda: training.check_attendance(db.session, session_row.id, data, today()),
        lambda: training.record_attendance(db.session, session_row.id, data, current_user, today()))
    if saved is not None:
        flash(_("Attendance of %(name)s recorded.", name=supplier.name_zh), "success")
        return redirect(url_for(".view", training_id=session_row.id))
    return _render_view(session_row, form)


@bp.route("/suppliers/<int:supplier_id>/attendance", methods=["GET", "POST"])
@roles_required(*EDITORS)
def supplier_attendance(supplier_id: int):
    """Record from the supplier's page that it attended a session (chosen from the list)."""
    supplier = get_or_404(Supplier, supplier_id)
    form = SupplierAttendanceForm()
    form.session_id.choices = [("", "—")] + [
        (str(s.id), f"{s.held_on.isoformat()} · {s.title}") for s in training.list_sessions(db.session)[:300]]
    if form.is_submitted():
        data = training.AttendanceData(supplier_id=supplier.id, head_count=form.head_count.data,
                                       names=form.names.data or "", completed=bool(form.completed.data))
        session_id = form.session_id.data
        saved = submit(
            form, lambda: training.check_attendance(db.session, session_id, data, today()),
            lambda: training.record_attendance(db.session, session_id, data, current_user, today()))
        if saved is not None:
            flash(_("Attendance recorded."), "success")
            return redirect(url_for("suppliers.view", supplier_id=supplier.id, _anchor="training"))
    return render_template("trainings/supplier_attendance.html", form=form, supplier=supplier)


@bp.route("/attendances/<int:attendance_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def remove_attendance(attendance_id: int):
    """Remove an attendance recorded by mistake."""
    attendance = get_or_404(TrainingAttendance, attendance_id)
    training_id = attendance.session_id
    form = ReasonForm()
    if run_and_flash(form, lambda: training.remove_attendance(db.session, attendance, current_user,
                                                              form.reason.data or "")):
        flash(_("Attendance removed."), "success")
    return redirect(url_for(".view", training_id=training_id))
