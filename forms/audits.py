"""Forms of audits and inspections: the audit, its checklist answers, a finding, a checklist template."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from forms.coercion import int_or_none
from forms.locking import VersionedForm


class AuditForm(VersionedForm, FlaskForm):
    """An audit or inspection: planned, then held."""

    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    planned_on = DateField(_l("Planned date"), validators=[Optional()])
    actual_on = DateField(_l("Held on"), validators=[Optional()])
    auditors = StringField(_l("Auditors"), validators=[Length(max=300)])
    template_id = SelectField(_l("Checklist"), coerce=int_or_none, validate_choice=False)
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Save"))


class ChecklistResultsForm(VersionedForm, FlaskForm):
    """The checklist answers; one radio group per item is read from the request by the view."""

    submit = SubmitField(_l("Save the answers"))


class FindingForm(VersionedForm, FlaskForm):
    """A finding with its photos or reports."""

    severity = SelectField(_l("Severity"), validate_choice=False)
    dimension = SelectField(_l("Environmental or social"), validate_choice=False)
    impact = SelectField(_l("Impact"), validate_choice=False)
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    photos = MultipleFileField(_l("Photos or reports (PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Save"))


class CloseAuditForm(FlaskForm):
    """Closing an audit (a button)."""

    submit = SubmitField(_l("Close the audit"))


class ChecklistForm(FlaskForm):
    """A checklist template; saving stores a new version."""

    code = StringField(_l("Code"), validators=[Length(max=40)])
    name_zh = StringField(_l("Chinese name"), validators=[Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Length(max=200)])
    items_text = TextAreaField(_l("Items, one per line"), validators=[Length(max=100_000)])
    note = TextAreaField(_l("What changed and why"), validators=[Length(max=1000)])
    opened_version = HiddenField()
    submit = SubmitField(_l("Save as a new version"))
