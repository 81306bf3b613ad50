"""Bulk import of suppliers: the upload, the re-reading with another encoding or mapping, the confirmation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class ImportForm(FlaskForm):
    """Upload of a CSV or XLSX file of suppliers, with the choices that shape how it is read."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    template = SelectField(_l("Column mapping"), choices=[], validate_choice=False, validators=[Optional()])
    encoding = SelectField(_l("Encoding (CSV)"), choices=[], validate_choice=False, validators=[Optional()])
    blank_erases = BooleanField(_l("Empty cells erase stored values"))
    migration = BooleanField(_l("Migration of an existing supply base: bring over status, status_since and "
                                "qualified_categories (admins)"))
    reason = StringField(_l("Reason for the migration (where the statuses come from)"),
                         validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Check the file"))


class RecheckForm(FlaskForm):
    """Read the uploaded file again with another encoding and/or a mapping for unrecognised columns.

    The mapping comes as fields named map-<n> (one per unrecognised column), read by the view."""

    token = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    encoding = SelectField(_l("Encoding (CSV)"), choices=[], validate_choice=False, validators=[Optional()])
    template = StringField(_l("Remember this mapping as template"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Read the file again"))


class ConfirmImportForm(FlaskForm):
    """Confirm the import of a checked file, kept on the server under a random token."""

    token = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    accept_warnings = BooleanField(_l("I have read the warnings: import anyway"))
    submit = SubmitField(_l("Import these suppliers"))
