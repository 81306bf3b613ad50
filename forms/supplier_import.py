"""Bulk import of suppliers: the upload and the confirmation of a checked file."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp


class ImportForm(FlaskForm):
    """Upload of a CSV or XLSX file of suppliers."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """Confirm the import of a checked file, kept on the server under a random token."""

    token = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    submit = SubmitField(_l("Import these suppliers"))
