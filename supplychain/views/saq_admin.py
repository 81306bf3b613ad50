"""Admins edit the self-assessment questionnaire: versions, questions, points, evidence rules, publishing."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.invitations import ConfirmForm
from forms.saq import HeaderForm, QuestionForm
from supplychain import db, portal_labels
from supplychain.errors import ValidationFailed
from supplychain.models import QUESTION_TYPES, SAQ_THEMES, Questionnaire, SaqQuestion
from supplychain.portal_labels import QUESTION_TYPE_LABELS, THEME_LABELS
from supplychain.security import roles_required
from supplychain.services.evidence import saq
from supplychain.views.evidence_support import get_or_404
from supplychain.views.forms_support import attach_errors, saving
from supplychain.views.portal import now

bp = Blueprint("saq_admin", __name__, url_prefix="/admin/saq")
bp.record_once(portal_labels.install)


def _flash_errors(errors: dict) -> None:
    for messages in errors.values():
        for message in messages:
            flash(str(message), "danger")


@bp.route("/")
@roles_required("admin")
def index():
    """Every questionnaire version."""
    return render_template(
        "saq_admin/index.html", questionnaires=saq.list_questionnaires(db.session), form=ConfirmForm()
    )


@bp.route("/load-default", methods=["POST"])
@roles_required("admin")
def load_default():
    """Load the shipped questionnaire (Chinese and English) when none exists yet."""
    form = ConfirmForm()
    if form.validate_on_submit():
        loaded = saq.load_default(db.session, now(), current_user)
        db.session.commit()
        if loaded is None:
            flash(_("The default questionnaire is already loaded."), "info")
        else:
            flash(_("Default questionnaire loaded and published."), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:questionnaire_id>")
@roles_required("admin")
def view(questionnaire_id: int):
    """A version with its questions, their points and evidence rules."""
    questionnaire = get_or_404(Questionnaire, questionnaire_id)
    return render_template(
        "saq_admin/view.html",
        questionnaire=questionnaire,
        themes=SAQ_THEMES,
        form=ConfirmForm(),
        problems=saq.publish_problems(questionnaire),
        theme_points={row.theme: row.maximum for row in saq.theme_breakdown(questionnaire, [])},
    )


@bp.route("/<int:questionnaire_id>/new-version", methods=["POST"])
@roles_required("admin")
def new_version(questionnaire_id: int):
    """Copy a version into a new draft to edit."""
    questionnaire = get_or_404(Questionnaire, questionnaire_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            draft = saq.new_version(db.session, questionnaire, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            _flash_errors(failed.errors)
            return redirect(url_for(".view", questionnaire_id=questionnaire.id))
        db.session.commit()
        flash(_("Version %(n)d created as a draft.", n=draft.version), "success")
        return redirect(url_for(".view", questionnaire_id=draft.id))
    return redirect(url_for(".view", questionnaire_id=questionnaire.id))


@bp.route("/<int:questionnaire_id>/publish", methods=["POST"])
@roles_required("admin")
def publish(questionnaire_id: int):
    """Publish a draft: suppliers starting a self-assessment answer it from now on."""
    questionnaire = get_or_404(Questionnaire, questionnaire_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            saq.publish(db.session, questionnaire, current_user, now())
        except ValidationFailed as failed:
            db.session.rollback()
            _flash_errors(failed.errors)
        else:
            db.session.commit()
            flash(_("Version %(n)d is published.", n=questionnaire.version), "success")
    return redirect(url_for(".view", questionnaire_id=questionnaire.id))


@bp.route("/<int:questionnaire_id>/header", methods=["GET", "POST"])
@roles_required("admin")
def header(questionnaire_id: int):
    """Titles and introduction of a draft."""
    questionnaire = get_or_404(Questionnaire, questionnaire_id)
    form = HeaderForm(obj=None if request.method == "POST" else questionnaire)
    if form.validate_on_submit():
        data = saq.HeaderData(
            form.title_zh.data or "",
            form.title_en.data or "",
            form.intro_zh.data or "",
            form.intro_en.data or "",
        )
        with saving(form) as outcome:
            saq.save_header(db.session, questionnaire, data, current_user)
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".view", questionnaire_id=questionnaire.id))
    return render_template("saq_admin/header.html", form=form, questionnaire=questionnaire)


def _choices(form: QuestionForm) -> None:
    form.theme.choices = [(t, THEME_LABELS[t]) for t in SAQ_THEMES]
    form.qtype.choices = [(t, QUESTION_TYPE_LABELS[t]) for t in QUESTION_TYPES]


def _data_from(form: QuestionForm) -> saq.QuestionData:
    return saq.QuestionData(
        code=form.code.data or "",
        theme=form.theme.data or "",
        qtype=form.qtype.data or "",
        text_zh=form.text_zh.data or "",
        text_en=form.text_en.data or "",
        help_zh=form.help_zh.data or "",
        help_en=form.help_en.data or "",
        required=bool(form.required.data),
        points=form.points.data,
        unit=form.unit.data or "",
        evidence_required=bool(form.evidence_required.data),
        position=form.position.data,
        options=[
            saq.OptionData(
                o.form.value.data or "",
                o.form.label_zh.data or "",
                o.form.label_en.data or "",
                o.form.points.data,
                bool(o.form.evidence_required.data),
            )
            for o in form.options
        ],
        bands=[(b.form.minimum.data, b.form.points.data) for b in form.bands],
    )


def _fill(form: QuestionForm, question: SaqQuestion) -> None:
    for name in (
        "code",
        "theme",
        "qtype",
        "position",
        "text_zh",
        "text_en",
        "help_zh",
        "help_en",
        "required",
        "points",
        "unit",
        "evidence_required",
    ):
        getattr(form, name).data = getattr(question, name)
    for entry, option in zip(form.options, question.options, strict=False):
        entry.form.value.data, entry.form.label_zh.data = option.value, option.label_zh
        entry.form.label_en.data, entry.form.points.data = option.label_en, option.points
        entry.form.evidence_required.data = option.evidence_required
    for entry, (minimum, points) in zip(form.bands, question.number_bands or (), strict=False):
        entry.form.minimum.data, entry.form.points.data = minimum, points


def _edit(questionnaire: Questionnaire, question: SaqQuestion | None):
    form = QuestionForm()
    _choices(form)
    if request.method == "GET" and question is not None:
        _fill(form, question)
    if form.validate_on_submit():
        try:
            saved = saq.save_question(db.session, questionnaire, _data_from(form), current_user, question)
        except ValidationFailed as failed:
            db.session.rollback()
            # Option and band problems are about the table as a whole: they go above the form.
            attach_errors(form, {(f"_{k}" if k in ("options", "bands") else k): v for k, v in failed.errors.items()})
        else:
            db.session.commit()
            flash(_("Question %(code)s saved.", code=saved.code), "success")
            return redirect(url_for(".view", questionnaire_id=questionnaire.id))
    return render_template(
        "saq_admin/question.html", form=form, questionnaire=questionnaire, question=question
    )


@bp.route("/<int:questionnaire_id>/questions/new", methods=["GET", "POST"])
@roles_required("admin")
def question_new(questionnaire_id: int):
    """Add a question to a draft."""
    return _edit(get_or_404(Questionnaire, questionnaire_id), None)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required("admin")
def question_edit(question_id: int):
    """Change a question of a draft (published versions show it read-only)."""
    question = get_or_404(SaqQuestion, question_id)
    return _edit(question.questionnaire, question)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@roles_required("admin")
def question_delete(question_id: int):
    """Remove a question from a draft."""
    question = get_or_404(SaqQuestion, question_id)
    questionnaire = question.questionnaire
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            saq.delete_question(db.session, question, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            _flash_errors(failed.errors)
        else:
            db.session.commit()
            flash(_("Question removed."), "success")
    return redirect(url_for(".view", questionnaire_id=questionnaire.id))
