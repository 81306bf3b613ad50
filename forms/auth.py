"""Login form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    """A logged-in user changes their own password: the current one, then the new one twice."""

    current = PasswordField(_l("Current password"), validators=[Length(max=200)])
    password = PasswordField(_l("New password"), validators=[Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[Length(max=200)])
    submit = SubmitField(_l("Change password"))
