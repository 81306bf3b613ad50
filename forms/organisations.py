"""Forms for the organisations of the group (admin pages)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class OrganisationForm(FlaskForm):
    """Create or edit an organisation; a new parent moves it. The service checks the values."""

    code = StringField(_l("Code"), validators=[Length(max=40)])
    name_zh = StringField(_l("Chinese name"), validators=[Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validate_choice=False)
    parent_id = SelectField(_l("Parent organisation"), validate_choice=False)
    home_province = SelectField(_l("Home province"), validate_choice=False)
    opened_on = DateField(_l("Opened on"), validators=[Optional()])
    version_id = HiddenField()
    submit = SubmitField(_l("Save"))


class CloseOrganisationForm(FlaskForm):
    """Close an organisation: the date and why (both required by the service)."""

    closed_on = DateField(_l("Closed on"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=1000)])
    version_id = HiddenField()
    submit = SubmitField(_l("Close the organisation"))


class ReopenOrganisationForm(FlaskForm):
    """Reopen a closed organisation (a button; the reason is optional)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Reopen"))
