"""Invitations to the supplier portal: procurement's form, a supplier administrator's form, accepting one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import Length, Optional


class InvitationForm(FlaskForm):
    """Procurement invites a contact of a supplier."""

    supplier = StringField(_l("Supplier (credit code, number or exact name)"), validators=[Length(max=200)],
                           render_kw={"data-supplier-picker": "reference"})
    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    grants_admin = BooleanField(_l("May invite colleagues (the supplier's portal administrator)"),
                                default=True)
    submit = SubmitField(_l("Invite"))


class ColleagueForm(FlaskForm):
    """A supplier's portal administrator invites a colleague."""

    email = StringField(_l("E-mail"), validators=[Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    grants_admin = BooleanField(_l("May invite colleagues too"))
    submit = SubmitField(_l("Invite"))


class AcceptForm(FlaskForm):
    """The invited contact chooses a password."""

    name = StringField(_l("Your name"), validators=[Optional(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[Length(max=200)])
    confirm = PasswordField(_l("Password again"), validators=[Length(max=200)])
    submit = SubmitField(_l("Create my account"))


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (withdraw, start, publish…)."""

    submit = SubmitField(_l("Confirm"))
