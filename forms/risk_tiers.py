"""Inherent risk tier settings (issue 11, part 1): weights and thresholds, region risk, what each tier asks for.

Numbers are taken as text: the service checks them all at once and says what is expected.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

from forms.coercion import int_or_none
from forms.locking import VersionedForm

LEVEL_CHOICES = [("high", _l("high")), ("medium", _l("medium")), ("low", _l("low"))]


def _points(label):
    return StringField(label, validators=[Length(max=5)])


class ScoringForm(VersionedForm, FlaskForm):
    """Points per factor (adding up to 100) and the scores from which a supplier is high or medium risk."""

    weight_category = _points(_l("Category risk"))
    weight_region = _points(_l("Country or region risk"))
    weight_spend_share = _points(_l("Share of spend"))
    weight_single_source = _points(_l("Single source"))
    weight_incidents = _points(_l("Incident history"))
    weight_expired_licences = _points(_l("Expired licences"))
    high_from = _points(_l("High risk from (points)"))
    medium_from = _points(_l("Medium risk from (points)"))
    submit = SubmitField(_l("Save and recompute the tiers"))


class RegionRiskForm(VersionedForm, FlaskForm):
    """The risk level of a reporting region or of one country."""

    area = StringField(_l("Region or country code"), validators=[Length(max=12)])
    level = SelectField(_l("Risk level"), choices=LEVEL_CHOICES)
    submit = SubmitField(_l("Save and recompute the tiers"))


class TierSettingForm(VersionedForm, FlaskForm):
    """What a tier asks for: the questionnaire version, and how often suppliers are audited and re-screened."""

    questionnaire_id = SelectField(_l("Questionnaire version"), coerce=int_or_none, validate_choice=False)
    audit_interval_months = StringField(_l("Audit interval (months)"), validators=[Length(max=5)])
    rescreen_interval_months = StringField(_l("Re-screening interval (months)"), validators=[Length(max=5)])
    submit = SubmitField(_l("Save"))


class RecomputeForm(FlaskForm):
    """Recompute every supplier's tier now."""

    submit = SubmitField(_l("Recompute all tiers now"))
