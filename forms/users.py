"""Admin forms for accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from forms.locking import VersionedForm
from forms.picker import PICK_BY_ID

ROLE_LABELS = {
    "admin": _l("Administrator"), "procurement": _l("Procurement"), "reviewer": _l("Reviewer"),
    "auditor": _l("Auditor (read-only)"), "supplier": _l("Supplier portal user"),
}


class UserForm(VersionedForm, FlaskForm):
    """Create or edit an account; the password is optional when editing."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    supplier_id = IntegerField(_l("Supplier ID (supplier users only)"), validators=[Optional()],
                               render_kw=PICK_BY_ID)
    # Choices are the organisations in the admin's scope, set by the view; empty for supplier users.
    organisation_id = SelectField(_l("Organisation (staff only)"), coerce=int, validate_choice=False, choices=[])
    locale = SelectField(_l("Language"), choices=[
        ("", _l("Browser default")), ("zh", "简体中文"), ("zh_Hant", "繁體中文"), ("en", "English")])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save"))
