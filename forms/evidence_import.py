"""Importing past evidence in bulk: the upload and the confirmation of a checked file."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

KIND_LABELS = (("pledges", _l("Integrity pledges (with a ZIP of scans)")), ("certificates", _l("Certificates")),
               ("training", _l("Training attendance")), ("evaluations", _l("Past evaluations (history)")))
# The kind in a word, beside the name of a saved column mapping of that kind.
KIND_NAMES = {"pledges": _l("Pledges"), "certificates": _l("Certificates"), "training": _l("Training attendance"),
              "evaluations": _l("Past evaluations")}


class EvidenceImportForm(FlaskForm):
    """Upload of a CSV or XLSX file of one kind of evidence, and for pledges a ZIP of their scans."""

    kind = SelectField(_l("What the file holds"), choices=KIND_LABELS, validators=[DataRequired()])
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    scans = FileField(_l("ZIP of scans (pledges, optional)"))
    template = SelectField(_l("Column mapping"), choices=[], validate_choice=False, validators=[Optional()])
    encoding = SelectField(_l("Encoding (CSV)"), choices=[], validate_choice=False, validators=[Optional()])
    submit = SubmitField(_l("Check the file"))


class EvidenceConfirmForm(FlaskForm):
    """Confirm the import of a checked evidence file, kept on the server under a random token."""

    token = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    accept_warnings = BooleanField(_l("I have read the warnings: import anyway"))
    submit = SubmitField(_l("Import these records"))
