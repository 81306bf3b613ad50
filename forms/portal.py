"""Supplier portal forms: profile, registry change request, pledge signature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from forms.locking import VersionedForm
from forms.suppliers import ContactForm


class ProfileForm(VersionedForm, FlaskForm):
    """What a supplier keeps up to date itself."""

    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    contacts = FieldList(FormField(ContactForm), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Save"))


class ChangeRequestForm(FlaskForm):
    """Legal names and credit code as they should be, and why."""

    name_zh = StringField(_l("Legal name (Chinese)"), validators=[Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    credit_code = StringField(_l("Unified Social Credit Code"), validators=[Optional(), Length(max=30)])
    reason = TextAreaField(_l("Reason for the change"), validators=[Length(max=2000)])
    licence = FileField(_l("New business licence (PDF, PNG or JPEG, optional)"))
    submit = SubmitField(_l("Send to procurement"))


class SignForm(FlaskForm):
    """An electronic signature: the text version read, typed name and title, explicit agreement."""

    template_id = HiddenField()
    signatory_name = StringField(_l("Your full name"), validators=[Length(max=100)])
    signatory_title = StringField(_l("Your title or position"), validators=[Length(max=100)])
    agree = BooleanField(_l("I have read the text above and agree to it on behalf of my company."))
    submit = SubmitField(_l("Sign"))


class DecisionForm(FlaskForm):
    """Procurement's note on approving or rejecting a change request."""

    decision_note = TextAreaField(_l("Note to the supplier"), validators=[Length(max=2000)])
