"""Bulk work: one comment for many approvals, one reason for many status changes, the grid upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class BulkActionForm(FlaskForm):
    """A bulk action on the ticked evaluations (the ticks are read from the request)."""

    comment = TextAreaField(_l("One comment for all of them (optional)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Go"))


class GridUploadForm(FlaskForm):
    """The scoring grid filled in Excel."""

    file = FileField(_l("Scoring grid (XLSX)"))
    submit = SubmitField(_l("Upload the scores"))


class BulkStatusForm(FlaskForm):
    """A new lifecycle status for the ticked suppliers, with one reason."""

    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason (recorded on every supplier)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Change the status"))


class BulkAttendanceForm(FlaskForm):
    """The ticked suppliers attended one training session."""

    session_id = SelectField(_l("Training session"), coerce=int, validate_choice=False)
    head_count = IntegerField(_l("Head count per supplier"), default=1,
                              validators=[InputRequired(), NumberRange(min=1, max=500)])
    submit = SubmitField(_l("Record the attendance"))


class BulkReminderForm(FlaskForm):
    """A reminder to the ticked suppliers (portal users and contacts)."""

    subject = StringField(_l("What to remind them of"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Send the reminder"))
