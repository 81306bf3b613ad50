"""API clients and purchase-check rules (administration)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional

from supplychain.models import API_SCOPES, PURCHASE_REASONS

OUTCOME_CHOICES = [("allow", _l("allow")), ("warn", _l("warn")), ("block", _l("block"))]


class ApiClientForm(FlaskForm):
    """Create or edit an API client; the service checks the values."""

    name = StringField(_l("Name"), validators=[Length(max=100)])
    scopes = SelectMultipleField(_l("Scopes"), choices=[(s, s) for s in API_SCOPES], validate_choice=False)
    organisation = SelectField(_l("Limited to organisation"), validate_choice=False)
    rate_limit = IntegerField(_l("Calls per minute"), default=600, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF only)."""

    submit = SubmitField(_l("Confirm"))


def purchase_rule_form(labels: dict, fixed: dict):
    """A form with one allow/warn/block choice per reason (fixed reasons show their one outcome)."""

    class PurchaseRuleForm(FlaskForm):
        submit = SubmitField(_l("Save"))

    for reason in PURCHASE_REASONS:
        choices = [c for c in OUTCOME_CHOICES if reason not in fixed or c[0] == fixed[reason]]
        setattr(PurchaseRuleForm, reason, SelectField(labels[reason], choices=choices))
    return PurchaseRuleForm
