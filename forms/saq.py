"""Self-assessment questionnaire forms: questions edited by admins, the answer and review forms' buttons.

The answers and the review decisions are one field per question, built from the questionnaire
at request time; their forms here carry the CSRF token, the buttons and the response they belong to.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional


class OptionForm(FlaskForm):
    """One option of a choice question (a sub-form: the parent form carries the CSRF token)."""

    class Meta:
        csrf = False

    value = StringField(_l("Key"), validators=[Optional(), Length(max=40)])
    label_zh = StringField(_l("Label (Chinese)"), validators=[Optional(), Length(max=300)])
    label_en = StringField(_l("Label (English)"), validators=[Optional(), Length(max=300)])
    points = FloatField(_l("Points"), validators=[Optional()])
    evidence_required = BooleanField(_l("Needs evidence"))


class BandForm(FlaskForm):
    """One band of a number question."""

    class Meta:
        csrf = False

    minimum = FloatField(_l("From"), validators=[Optional()])
    points = FloatField(_l("Points"), validators=[Optional()])


class QuestionForm(FlaskForm):
    """A question of a draft questionnaire version."""

    code = StringField(_l("Code"), validators=[Length(max=20)])
    theme = SelectField(_l("Section"), validate_choice=False)
    qtype = SelectField(_l("Question type"), validate_choice=False)
    position = IntegerField(_l("Position"), validators=[Optional()])
    text_zh = TextAreaField(_l("Question (Chinese)"), validators=[Length(max=2000)])
    text_en = TextAreaField(_l("Question (English)"), validators=[Length(max=2000)])
    help_zh = TextAreaField(_l("Help (Chinese)"), validators=[Optional(), Length(max=2000)])
    help_en = TextAreaField(_l("Help (English)"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("An answer is required"), default=True)
    points = FloatField(_l("Points for an accepted answer (text and file questions)"),
                        validators=[Optional()])
    unit = StringField(_l("Unit (number questions)"), validators=[Optional(), Length(max=30)])
    evidence_required = BooleanField(_l("An answer needs evidence (number and text questions)"))
    options = FieldList(FormField(OptionForm), min_entries=8, max_entries=8)
    bands = FieldList(FormField(BandForm), min_entries=6, max_entries=6)
    submit = SubmitField(_l("Save"))


class HeaderForm(FlaskForm):
    """Titles and introduction of a draft version."""

    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    intro_zh = TextAreaField(_l("Introduction (Chinese)"), validators=[Optional(), Length(max=5000)])
    intro_en = TextAreaField(_l("Introduction (English)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class AnswersForm(FlaskForm):
    """The supplier's answers: one field per question is read from the request."""

    response_id = HiddenField()
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit to procurement"))


class ReviewForm(FlaskForm):
    """Procurement's decisions: one choice and comment per pending answer are read from the request.

    Nothing is pre-set, and the reviewer confirms having looked at every answer (issue 13, D5)."""

    confirm = BooleanField(_l("I have looked at every answer and its evidence."), validators=[
        DataRequired(_l("Tick to confirm that you looked at every answer and its evidence."))])
    submit = SubmitField(_l("Record the review"))
