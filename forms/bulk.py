"""Bulk work: one comment for many approvals, one reason for many status changes, the grid upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class BulkActionForm(FlaskForm):
    """A bulk action on the ticked evaluations (the ticks are read from the request)."""

    comment = TextAreaField(_l("One comment for all of them (optional)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Go"))


class GridUploadForm(FlaskForm):
    """The scoring grid filled in Excel."""

    file = FileField(_l("Scoring grid (XLSX)"))
    submit = SubmitField(_l("Upload the scores"))


class BulkSuppliersForm(FlaskForm):
    """Actions on the ticked suppliers; each button uses only its own fields (the service checks them)."""

    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason (recorded on every supplier)"), validators=[Length(max=2000)])
    session_id = SelectField(_l("Training session"), validate_choice=False)
    head_count = IntegerField(_l("Head count per supplier"), default=1, validators=[Optional()])
    subject = StringField(_l("What to remind them of"), validators=[Optional(), Length(max=300)])


class ActionDecisionForm(FlaskForm):
    """A second person approves or rejects a high-impact request."""

    decision_note = TextAreaField(_l("Note (required to reject)"), validators=[Length(max=2000)])
