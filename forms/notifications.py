"""Notification settings and the mark-as-read buttons."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField

EMAIL_MODE_LABELS = {
    "immediate": _l("E-mail each notice as it happens"),
    "digest": _l("One e-mail a day with the day's notices (daily digest)"),
    "off": _l("No e-mail: only here in the app"),
}


class NotificationSettingsForm(FlaskForm):
    """How the user wants to be told by e-mail."""

    email_mode = RadioField(_l("E-mail"), choices=list(EMAIL_MODE_LABELS.items()), validate_choice=True)
    submit = SubmitField(_l("Save"))


class MarkReadForm(FlaskForm):
    """A button: mark notifications as read (CSRF only)."""

    submit = SubmitField(_l("Mark all as read"))
