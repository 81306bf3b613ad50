"""Forms of questionnaire campaigns: the campaign with its selection, closing it, reminding now."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from forms.coercion import int_or_none
from forms.locking import VersionedForm


class CampaignForm(FlaskForm):
    """A questionnaire version sent to a selection of suppliers by a due date (choices filled by the view)."""

    title = StringField(_l("Title"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    questionnaire_id = SelectField(_l("Questionnaire version"), coerce=int_or_none, validate_choice=False)
    due_on = DateField(_l("Due date"), validators=[Optional()])
    organisation_id = SelectField(_l("Sending organisation"), coerce=int_or_none, validate_choice=False)
    tier = SelectField(_l("Supplier risk tier"), validate_choice=False)
    category_id = SelectField(_l("Supply category"), coerce=int_or_none, validate_choice=False)
    buyer_id = SelectField(_l("Suppliers of the organisation"), coerce=int_or_none, validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    file = FileField(_l("Or a list of credit codes (CSV or XLSX)"))
    remind_before_days = IntegerField(_l("Remind this many days before the due date"), default=7,
                                      validators=[Optional(), NumberRange(min=0, max=365)])
    remind_after_days = IntegerField(_l("Then remind every this many days after it"), default=7,
                                     validators=[Optional(), NumberRange(min=0, max=365)])
    overdue_consequence = SelectField(_l("Overdue HIGH-tier suppliers"), validate_choice=False)
    preview = SubmitField(_l("Count the recipients"))
    submit = SubmitField(_l("Create the campaign and send the invitations"))


class CampaignEditForm(VersionedForm, FlaskForm):
    """What may change on an open campaign: its wording and its due date."""

    title = StringField(_l("Title"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    submit = SubmitField(_l("Save the campaign"))


class CloseCampaignForm(VersionedForm, FlaskForm):
    """Close a campaign: no more reminders or consequences."""

    submit = SubmitField(_l("Close the campaign"))


class RemindForm(FlaskForm):
    """Remind every recipient that has not submitted, now."""

    submit = SubmitField(_l("Remind the non-responders now"))
