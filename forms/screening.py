"""External screening forms (issue 11 part 4): one result of one list with its screenshot or PDF; a file of results."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class ScreeningResultForm(FlaskForm):
    """A check of one list: which list, when, the result, where, and the screenshot or PDF of the page."""

    list_code = SelectField(_l("List or check"), validate_choice=False)
    checked_on = DateField(_l("Checked on"), validators=[Optional()])
    result = SelectField(_l("Result"), validate_choice=False)
    source_reference = StringField(_l("Source reference"), validators=[Length(max=300)])
    note = TextAreaField(_l("Findings"), validators=[Length(max=2000)])
    evidence = FileField(_l("Screenshot or PDF (PNG, JPEG or PDF)"))
    submit = SubmitField(_l("Record the result"))


class ScreeningImportForm(FlaskForm):
    """A CSV or XLSX file of screening results: every row checked, all saved or none."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    encoding = SelectField(_l("Encoding (CSV)"), choices=[], validate_choice=False, validators=[Optional()])
    dry_run = BooleanField(_l("Only check the file (save nothing)"))
    submit = SubmitField(_l("Import the results"))
