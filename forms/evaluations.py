"""Evaluation forms: start one or many, score manual criteria, approve or return, trial outcome, screening."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forms.coercion import int_or_none
from forms.picker import PICK_BY_ID

KIND_LABELS = {"admission": _l("Admission review"), "periodic": _l("Periodic evaluation")}
PERIOD_TYPE_CHOICES = [("year", _l("Year")), ("half", _l("Half-year")), ("quarter", _l("Quarter"))]
PERIOD_INDEX_CHOICES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]


class EvaluationForm(FlaskForm):
    """Start an evaluation of one supplier; the service checks status, category and period."""

    supplier_id = IntegerField(_l("Supplier ID"), validators=[InputRequired(), NumberRange(min=1)],
                               render_kw=PICK_BY_ID)
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    category_id = SelectField(_l("Supply category"), coerce=int, validate_choice=False)
    period_type = SelectField(_l("Period"), choices=PERIOD_TYPE_CHOICES)
    period_year = IntegerField(_l("Year"), validators=[Optional()])
    period_index = SelectField(_l("Half-year or quarter"), choices=PERIOD_INDEX_CHOICES, coerce=int)
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Start the evaluation"))


class BulkEvaluationForm(FlaskForm):
    """Start periodic evaluations for every qualified supplier of a category."""

    category_id = SelectField(_l("Supply category"), coerce=int, validate_choice=False)
    period_type = SelectField(_l("Period"), choices=PERIOD_TYPE_CHOICES)
    period_year = IntegerField(_l("Year"), validators=[InputRequired()])
    period_index = SelectField(_l("Half-year or quarter"), choices=PERIOD_INDEX_CHOICES, coerce=int)
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Start the evaluations"))


class ScoresForm(FlaskForm):
    """The manual scores are named score_<criterion key> and note_<criterion key>; the page builds them
    from the scheme, so this form carries the lock version and the buttons."""

    version = HiddenField()
    save = SubmitField(_l("Save draft"))


class WorkflowForm(FlaskForm):
    """Submit, cancel, approve or return: the lock version, the level decided and a comment."""

    version = HiddenField()
    level = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Length(max=1000)])


class TrialForm(FlaskForm):
    """The outcome of the trial supply after an admission."""

    version = HiddenField()
    outcome = SelectField(
        _l("Trial outcome"),
        choices=[
            ("passed", _l("Passed: qualify the supplier")),
            ("failed", _l("Failed: reject the supplier")),
        ],
    )
    note = TextAreaField(_l("What was supplied and how it performed"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Record the trial outcome"))


class ScreeningForm(FlaskForm):
    """An integrity screening: the national dishonest list, the principal's bribery record, pledge refusal."""

    checked_on = DateField(_l("Checked on"), validators=[Optional()])
    on_dishonest_list = BooleanField(_l("On the national list of seriously dishonest enterprises"))
    principal_bribery_conviction = BooleanField(_l("The principal has a bribery conviction"))
    integrity_pledge_refused = BooleanField(_l("Refused to sign the integrity pledge"))
    source = StringField(_l("Where it was checked"), validators=[Length(max=200)])
    note = TextAreaField(_l("Findings"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Record the screening"))


class DualSourcingForm(FlaskForm):
    """The period of the dual-sourcing page (read-only filter, sent by GET)."""

    class Meta:
        csrf = False

    period_type = SelectField(_l("Period"), choices=PERIOD_TYPE_CHOICES)
    period_year = IntegerField(_l("Year"), validators=[Optional()])
    period_index = SelectField(_l("Half-year or quarter"), choices=PERIOD_INDEX_CHOICES, coerce=int)
