"""Supplier registry forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from forms.coercion import int_or_none
from forms.locking import VersionedForm


class ContactForm(FlaskForm):
    """One contact person (a sub-form: the parent form carries the CSRF token)."""

    class Meta:
        csrf = False

    name = StringField(_l("Contact name"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])


class SupplierForm(VersionedForm, FlaskForm):
    """Register or edit a supplier; the service checks the values (one set of rules for forms and imports)."""

    name_zh = StringField(_l("Legal name (Chinese)"), validators=[Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    credit_code = StringField(_l("Unified Social Credit Code"), validators=[Optional(), Length(max=30)])
    country = SelectField(_l("Country or region"), validate_choice=False)
    province = SelectField(_l("Province"), validate_choice=False)
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    legal_representative = StringField(_l("Legal representative"), validators=[Optional(), Length(max=100)])
    categories = SelectMultipleField(_l("Supply categories"), validate_choice=False)
    # Manufacturer, distributor, service provider or contractor (choices set by the view; the service checks).
    supplier_type = SelectField(_l("Supplier type"), validate_choice=False)
    registered_on = DateField(_l("Registered on"), validators=[Optional()])
    # Which organisation of the group this record belongs to (choices: the user's scope; set by the view).
    organisation_id = SelectField(_l("Organisation"), coerce=int_or_none, validate_choice=False)
    contacts = FieldList(FormField(ContactForm), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Save"))


class StatusForm(FlaskForm):
    """A manual lifecycle status change, which always needs a reason."""

    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Length(max=1000)])
    # The day the change takes effect (default today): year-end figures use it (issue 12, D1).
    effective_on = DateField(_l("Effective date"), validators=[Optional()])
    submit = SubmitField(_l("Change status"))


class CategoryForm(VersionedForm, FlaskForm):
    """A supply category of the admin-editable reference list."""

    code = StringField(_l("Code"), validators=[Length(min=1, max=40)])
    name_zh = StringField(_l("Chinese name"), validators=[Length(min=1, max=100)])
    name_en = StringField(_l("English name"), validators=[Length(min=1, max=100)])
    requires_trial = SelectField(_l("Trial supply before qualification"), choices=[("0", _l("No")), ("1", _l("Yes"))])
    active = SelectField(_l("Active"), choices=[("1", _l("Yes")), ("0", _l("No"))])
    risk_level = SelectField(_l("Category risk (for risk tiers)"),
                             choices=[("low", _l("low")), ("medium", _l("medium")), ("high", _l("high"))])
    submit = SubmitField(_l("Save"))


class RelationshipForm(FlaskForm):
    """Start buying from a supplier of the group master: which organisation, for which categories, since when."""

    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    categories = SelectMultipleField(_l("Supply categories"), validate_choice=False)
    since_on = DateField(_l("Since"), validators=[Optional()])
    planned_until_on = DateField(_l("Planned end of the work"), validators=[Optional()])
    submit = SubmitField(_l("Start buying from this supplier"))


class PlannedEndForm(FlaskForm):
    """When a supplier's work for an organisation (a contractor on a project site) is planned to end."""

    planned_until_on = DateField(_l("Planned end of the work"), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Save the planned end"))


class RelationshipStatusForm(FlaskForm):
    """Suspend, end or reactivate a supplier relationship, with a reason; `version` guards against stale forms."""

    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Length(max=1000)])
    version = HiddenField()
    submit = SubmitField(_l("Change"))
