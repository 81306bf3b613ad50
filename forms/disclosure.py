"""Forms of the disclosure editor: entered figures, the policy register and narratives (issue 12).

Forms only describe input; `services/disclosure/entries.py` checks the rules, and both sets of errors
are shown together.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from forms.coercion import int_or_none
from forms.evidence import ReasonForm
from forms.locking import VersionedForm

KIND_LABELS = (("baseline", _l("Baseline (a year before the system)")),
               ("restatement", _l("Restatement of a computed figure")), ("target", _l("Target")))


class FigureForm(VersionedForm, FlaskForm):
    """A baseline, restatement or target of one figure and year (an edit changes the value, source and reason)."""

    year = StringField(_l("Year"), validators=[Length(max=10)], render_kw={"inputmode": "numeric"})
    code = SelectField(_l("Figure"), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=KIND_LABELS, validate_choice=False)
    value = StringField(_l("Value"), validators=[Length(max=30)], render_kw={"inputmode": "decimal"})
    source = TextAreaField(_l("Source (for a baseline: where the figure was published)"),
                           validators=[Length(max=2000)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Save"))


class WithdrawForm(VersionedForm, ReasonForm):
    """Withdraw an entered figure: a reason, and the entry as it was when the page was opened."""


class PolicyForm(VersionedForm, FlaskForm):
    """A supply-chain policy of the register and its document."""

    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=300)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=300)])
    number = StringField(_l("Document number"), validators=[Length(max=100)])
    effective_on = DateField(_l("Effective from"), validators=[Optional()])
    # Repealed or superseded: the last day in force, and the policy replacing it (choices set by the view).
    ended_on = DateField(_l("In force until"), validators=[Optional()])
    superseded_by_id = SelectField(_l("Superseded by"), coerce=int_or_none, validate_choice=False)
    # The issuing organisation (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Issuing organisation"), coerce=int_or_none, validate_choice=False)
    file = FileField(_l("Document (PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Save"))


class NarrativeForm(VersionedForm, FlaskForm):
    """The editor's text of one section, year and language, replacing the drafted one."""

    text = TextAreaField(_l("Narrative"), validators=[Length(max=20000)])
    submit = SubmitField(_l("Save"))


class RevertForm(VersionedForm, FlaskForm):
    """Drop the editor's text so the drafted narrative is printed again."""

    submit = SubmitField(_l("Use the drafted text again"))


class PublishForm(FlaskForm):
    """Keep a year's figures as published (the CSRF token is the whole form)."""

    submit = SubmitField(_l("Mark as published"))
