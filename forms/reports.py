"""Report forms: the periodic scorecard export and the retry of a job (the service checks the values)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

LANGUAGE_LABELS = (("both", _l("Chinese and English")), ("zh", _l("Chinese")), ("en", _l("English")))


class ExportForm(FlaskForm):
    """Which scorecards to export: a period and optional category, region and grade filters."""

    period = StringField(
        _l("Period"),
        validators=[Length(max=20)],
        description=_l("A year (2024), a half-year (2024-H1) or a quarter (2024-Q3)."),
    )
    category = SelectField(_l("Supply category"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    grade = SelectField(_l("Grade"), validate_choice=False)
    language = SelectField(
        _l("Language of the scorecards"), choices=LANGUAGE_LABELS, default="both", validate_choice=False
    )
    submit = SubmitField(_l("Export scorecards"))


class RetryForm(FlaskForm):
    """Run a failed job again (the CSRF token is the whole form)."""

    submit = SubmitField(_l("Retry"))
