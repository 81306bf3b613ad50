"""The scheme editor: dimensions with their criteria, grade bands and red lines, all as text inputs.

Numbers stay text here so a bad weight reaches the scheme validation and is reported on its
field with the other problems. Blank rows are ignored and "remove" drops a row, so rows are
added and removed without scripts.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from forms.locking import VersionedForm

CRITERION_KIND_LABELS = {
    "manual": _l("Manual score (0-100 against the rubric)"),
    "certificate_valid": _l("Valid certificate of a type"),
    "licences_valid": _l("Required licences of the categories valid"),
    "pledge_signed": _l("Pledge of a kind signed"),
    "training_hours": _l("Training hours in the last months"),
    "no_major_incident": _l("No major incident in the last years"),
    "saq_theme": _l("Self-assessment theme score"),
    "on_time_delivery_rate": _l("On-time delivery rate from purchase receipts"),
    "acceptance_rate": _l("Acceptance rate from purchase receipts"),
    "no_open_major_finding": _l("No major audit finding left open"),
    "last_audit_score": _l("Checklist score of the last audit"),
}
RED_LINE_KIND_LABELS = {
    "dishonest_list": _l("On the national list of seriously dishonest enterprises"),
    "principal_bribery": _l("Bribery conviction of the principal"),
    "blacklisted": _l("Blacklisted"),
    "missing_licence": _l("Missing a required licence"),
    "pledge_refused": _l("Refused to sign a pledge"),
    "critical_incident": _l("Critical incident in the last years"),
}
BAND_ACTION_LABELS = {
    "excellent_certificate": _l("Excellent Supplier certificate"),
    "qualified_certificate": _l("Qualified Supplier certificate"),
    "corrective_action": _l("Corrective actions"),
    "suspend": _l("Suspend (exit on a second time)"),
    "priority_admission": _l("Admit with priority"),
    "admission": _l("Admit"),
    "conditional_admission": _l("Admit with conditions"),
    "reject": _l("Reject"),
}
INCIDENT_CATEGORY_CHOICES = [
    ("environmental", _l("Environmental")),
    ("labour", _l("Labour")),
    ("safety", _l("Safety")),
    ("ethics", _l("Ethics")),
    ("quality", _l("Quality")),
]


def _text(label, size: int = 200):
    return StringField(label, validators=[Length(max=size)])


class CriterionForm(Form):
    """One criterion; only the parameters its kind takes are kept."""

    key = _text(_l("Key"), 64)
    name_zh = _text(_l("Chinese name"))
    name_en = _text(_l("English name"))
    kind = SelectField(_l("Kind"), choices=list(CRITERION_KIND_LABELS.items()), validate_choice=False)
    weight = _text(_l("Weight in the dimension (%)"), 20)
    rubric_zh = TextAreaField(_l("Rubric (Chinese)"), validators=[Length(max=4000)])
    rubric_en = TextAreaField(_l("Rubric (English)"), validators=[Length(max=4000)])
    cert_type = SelectField(_l("Certificate type"), validate_choice=False)
    pledge_kind = SelectField(_l("Pledge kind"), validate_choice=False)
    hours = _text(_l("Hours"), 20)
    months = _text(_l("Months"), 20)
    years = _text(_l("Years"), 20)
    categories = SelectMultipleField(
        _l("Incident categories"), choices=INCIDENT_CATEGORY_CHOICES, validate_choice=False
    )
    theme = _text(_l("Questionnaire theme"), 64)
    require_verified = BooleanField(_l("Only verified certificates count"), default=True)
    full_at = _text(_l("Rate for 100 points (%)"), 20)
    zero_at = _text(_l("Rate for 0 points (%)"), 20)
    min_lines = _text(_l("Fewest receipt lines"), 20)
    manual_fallback = BooleanField(_l("Without receipts, the evaluator scores against the rubric"), default=True)
    remove = BooleanField(_l("Remove"))


class DimensionForm(Form):
    """A weighted dimension with its criteria."""

    key = _text(_l("Key"), 64)
    name_zh = _text(_l("Chinese name"))
    name_en = _text(_l("English name"))
    weight = _text(_l("Weight (%)"), 20)
    criteria = FieldList(FormField(CriterionForm), min_entries=0, max_entries=40)
    remove = BooleanField(_l("Remove"))


class BandForm(Form):
    """A grade band [minimum, maximum)."""

    key = _text(_l("Key"), 64)
    name_zh = _text(_l("Chinese name"))
    name_en = _text(_l("English name"))
    min_score = _text(_l("From"), 20)
    max_score = _text(_l("Below"), 20)
    colour = _text(_l("Colour"), 7)
    action = SelectField(_l("Action"), choices=list(BAND_ACTION_LABELS.items()), validate_choice=False)
    remove = BooleanField(_l("Remove"))


class RedLineForm(Form):
    """A knock-out rule."""

    key = _text(_l("Key"), 64)
    name_zh = _text(_l("Chinese name"))
    name_en = _text(_l("English name"))
    kind = SelectField(_l("Kind"), choices=list(RED_LINE_KIND_LABELS.items()), validate_choice=False)
    social = BooleanField(_l("Social, environmental or ethical"))
    pledge_kind = SelectField(_l("Pledge kind"), validate_choice=False)
    require_signed = BooleanField(_l("Not signing counts as refusing"))
    require_verified = BooleanField(_l("Only verified licences count"), default=True)
    years = _text(_l("Years"), 20)
    categories = SelectMultipleField(
        _l("Incident categories"), choices=INCIDENT_CATEGORY_CHOICES, validate_choice=False
    )
    remove = BooleanField(_l("Remove"))


class SchemeForm(VersionedForm, FlaskForm):
    """A whole scheme; saving it stores a new version."""

    name_zh = _text(_l("Chinese name"))
    name_en = _text(_l("English name"))
    dimensions = FieldList(FormField(DimensionForm), min_entries=0, max_entries=30)
    bands = FieldList(FormField(BandForm), min_entries=0, max_entries=12)
    red_lines = FieldList(FormField(RedLineForm), min_entries=0, max_entries=20)
    note = TextAreaField(_l("What changed and why"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Save as a new version"))
