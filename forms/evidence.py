"""Forms of the due-diligence evidence: pledges, certificates, training, incidents, actions, blacklist.

Forms only describe input; the services check the rules, and both sets of errors are shown together.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from forms.coercion import int_or_none
from forms.locking import VersionedForm
from forms.picker import PICK_BY_ID


class NumberField(FloatField):
    """A decimal number whose error says what to type, not WTForms' "Not a valid float value"."""

    def process_formdata(self, valuelist):
        """Read the number; a comma as decimal mark is accepted (1,5 = 1.5)."""
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace("，", ".").replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a number, for example 2 or 1.5.")) from None


class TemplateForm(VersionedForm, FlaskForm):
    """A version of a pledge text in both languages."""

    kind = SelectField(_l("Pledge kind"), validate_choice=False)
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    text_zh = TextAreaField(_l("Text (Chinese)"), validators=[Length(max=20000)])
    text_en = TextAreaField(_l("Text (English)"), validators=[Length(max=20000)])
    effective_on = DateField(_l("Effective from"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class PledgeForm(FlaskForm):
    """A signed paper pledge and its scan."""

    template_id = SelectField(_l("Pledge and template version"), coerce=int_or_none, validate_choice=False)
    signatory_name = StringField(_l("Signed by"), validators=[Length(max=100)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=100)])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    valid_until = DateField(_l("Valid until (optional)"), validators=[Optional()])
    scan = FileField(_l("Scan (PDF, PNG or JPEG)"))
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Save"))


class ReasonForm(FlaskForm):
    """A removal or lifting, which always needs a reason."""

    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Confirm"))


class LiftForm(VersionedForm, ReasonForm):
    """Lifting a blacklist entry: a reason, and the entry as it was when the page was opened."""


class CertificateForm(VersionedForm, FlaskForm):
    """A certificate or licence and its scan."""

    cert_type = SelectField(_l("Type"), validate_choice=False)
    other_name = StringField(_l("Name (for other certificates)"), validators=[Optional(), Length(max=200)])
    number = StringField(_l("Certificate number"), validators=[Length(max=100)])
    issuer = StringField(_l("Certification body or authority"), validators=[Length(max=200)])
    scope = TextAreaField(_l("Scope"), validators=[Optional(), Length(max=2000)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()])
    expires_on = DateField(_l("Expires on"), validators=[Optional()])
    scan = FileField(_l("Scan (PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Save"))


class VerificationForm(FlaskForm):
    """Who checked a certificate, when and how (who is the logged-in user)."""

    method = SelectField(_l("How it was checked"), validate_choice=False)
    verified_on = DateField(_l("Checked on"), validators=[Optional()])
    submit = SubmitField(_l("Record the check"))


class SessionForm(VersionedForm, FlaskForm):
    """A training session."""

    title = StringField(_l("Title"), validators=[Length(max=200)])
    topic = SelectField(_l("Topic"), validate_choice=False)
    held_on = DateField(_l("Date"), validators=[Optional()])
    hours = NumberField(_l("Hours"), validators=[Optional()])
    mode = SelectField(_l("Format"), validate_choice=False)
    organiser = StringField(_l("Organiser"), validators=[Optional(), Length(max=200)])
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Save"))


class AttendanceForm(FlaskForm):
    """A supplier's attendance, entered on the session page (supplier by credit code, number or name)."""

    supplier = StringField(_l("Supplier (credit code, number or exact name)"), validators=[Length(max=200)],
                           render_kw={"data-supplier-picker": "reference"})
    head_count = IntegerField(_l("People"), default=1, validators=[Optional()])
    names = TextAreaField(_l("Names (optional, one per line)"), validators=[Optional(), Length(max=4000)])
    completed = BooleanField(_l("Completed"), default=True)
    submit = SubmitField(_l("Add attendance"))


class SupplierAttendanceForm(FlaskForm):
    """An attendance entered from the supplier's page (the session chosen from the list)."""

    session_id = SelectField(_l("Training session"), coerce=int_or_none, validate_choice=False)
    head_count = IntegerField(_l("People"), default=1, validators=[Optional()])
    names = TextAreaField(_l("Names (optional, one per line)"), validators=[Optional(), Length(max=4000)])
    completed = BooleanField(_l("Completed"), default=True)
    submit = SubmitField(_l("Save"))


class IncidentForm(VersionedForm, FlaskForm):
    """An incident at a supplier."""

    category = SelectField(_l("Category"), validate_choice=False)
    severity = SelectField(_l("Severity"), validate_choice=False)
    occurred_on = DateField(_l("Occurred on"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    source = StringField(_l("Source (audit, complaint, authority, media…)"),
                         validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), validate_choice=False)
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    submit = SubmitField(_l("Save"))


class ActionForm(VersionedForm, FlaskForm):
    """A corrective action."""

    incident_id = SelectField(_l("Incident"), coerce=int_or_none, validate_choice=False)
    action = TextAreaField(_l("Action required"), validators=[Length(max=5000)])
    owner = StringField(_l("Owner"), validators=[Length(max=100)])
    due_on = DateField(_l("Deadline"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class SubmissionForm(FlaskForm):
    """The supplier's report that the action is done, with evidence."""

    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=5000)])
    evidence = FileField(_l("Evidence (PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Submit for verification"))


class ActionVerificationForm(FlaskForm):
    """Accepting a submission, or sending it back."""

    decision = SelectField(_l("Decision"), choices=[("accept", _l("Verified: the action is effective")),
                                                    ("reject", _l("Sent back: not sufficient"))])
    verification_note = TextAreaField(_l("Verification note"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Record the verification"))


class BlacklistForm(FlaskForm):
    """A blacklisting decision."""

    credit_code = StringField(_l("Unified Social Credit Code"), validators=[Optional(), Length(max=30)])
    supplier_id = IntegerField(_l("Supplier number (optional)"), validators=[Optional()],
                               render_kw=PICK_BY_ID)
    company_name = StringField(_l("Company name"), validators=[Optional(), Length(max=200)])
    reason = SelectField(_l("Reason"), validate_choice=False)
    note = TextAreaField(_l("Details"), validators=[Optional(), Length(max=5000)])
    decided_by = StringField(_l("Decided by"), validators=[Length(max=200)])
    since_on = DateField(_l("Since"), validators=[Optional()])
    until_on = DateField(_l("Until (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Add to the blacklist"))


class RequirementsForm(FlaskForm):
    """The requirement matrix; its checkboxes are read from the request (one per category and item)."""

    submit = SubmitField(_l("Save"))
