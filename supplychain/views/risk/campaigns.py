"""Questionnaire campaigns (/campaigns/): create one for a selection, follow its rates, remind, close."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.campaigns import CampaignEditForm, CampaignForm, CloseCampaignForm, RemindForm
from reports import table_export
from supplychain import db, jobs, regions, scope
from supplychain.clock import now, today
from supplychain.errors import Conflict, ValidationFailed
from supplychain.labels import pick, region_label
from supplychain.models import RISK_TIERS, Campaign
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.registry import categories
from supplychain.services.risk import campaign_reminders, campaign_selection, campaigns
from supplychain.services.risk.reasons import TIER_LABELS
from supplychain.views.evidence_support import read_upload, submit
from supplychain.views.forms_support import attach_errors, fill_organisations, flash_errors

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
MENU = [("campaigns.index", _l("Questionnaire campaigns"), STAFF)]
PAGE_LIMIT = 500  # non-responders and reminders shown on the page; the CSV has every non-responder

CONSEQUENCE_LABELS = {
    "none": _l("Nothing (list them only)"), "corrective_action": _l("Open a corrective action"),
    "conditional": _l("Set the status to Conditional"), "suspended": _l("Suspend the supplier"),
}
CAMPAIGN_STATUS_LABELS = {"sending": _l("Sending invitations"), "open": _l("Open for answers"),
                          "closed": _l("Campaign closed")}
CHANNEL_LABELS = {"in_app": _l("Portal and e-mail"), "email": _l("E-mail to contacts"),
                  "none": _l("Nobody to tell")}


def _labels() -> dict:
    return {"tier_labels": TIER_LABELS, "consequence_labels": CONSEQUENCE_LABELS,
            "status_labels": CAMPAIGN_STATUS_LABELS, "channel_labels": CHANNEL_LABELS}


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)  # the session's scope hides other organisations' campaigns
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The campaigns of the user's organisations with their rates, newest first."""
    found = campaigns.list_campaigns(db.session)
    return render_template("risk/campaigns/index.html", campaigns=found,
                           rates=campaigns.rates(db.session, [c.id for c in found]), **_labels())


def _fill(form: CampaignForm) -> None:
    form.questionnaire_id.choices = [(q.id, f"{pick(q.title_zh, q.title_en)} v{q.version}")
                                     for q in campaigns.published_questionnaires(db.session)]
    fill_organisations(form.organisation_id)
    anyone = [("", _("Any"))]
    form.tier.choices = anyone + [(tier, TIER_LABELS[tier]) for tier in RISK_TIERS]
    form.category_id.choices = [(None, _("Any"))] + [(c.id, pick(c.name_zh, c.name_en))
                                                     for c in categories.list_categories(db.session)]
    form.buyer_id.choices = [(None, _("Any"))] + [(o.id, o.display_name)
                                                  for o in scope.organisations_in_scope(db.session)]
    form.region.choices = anyone + [(r.key, region_label(r.key)) for r in regions.REGIONS]
    form.overdue_consequence.choices = list(CONSEQUENCE_LABELS.items())


def _selection(form: CampaignForm) -> tuple[campaign_selection.Selection, list]:
    """The selection of the form and the problems of its uploaded list (read, then checked against the scope)."""
    selection = campaign_selection.Selection(
        tier=form.tier.data or "", category_id=form.category_id.data, organisation_id=form.buyer_id.data,
        region=form.region.data or "")
    max_bytes = int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
    upload = read_upload(form.file.data, max_bytes)
    if upload is None:
        return selection, []
    if len(upload.data) > max_bytes:
        return selection, [_l("The file is larger than %(n)d MB.", n=max_bytes // (1024 * 1024))]
    rows, problems = campaign_selection.read_list(upload.filename, upload.data)
    selection.list_filename = Path(upload.filename.replace("\\", "/")).name[:200]
    if problems:
        selection.list_codes = []
        return selection, problems
    selection.list_codes, problems = campaign_selection.check_list(db.session, rows)
    return selection, problems


def _data(form: CampaignForm) -> campaigns.CampaignData:
    return campaigns.CampaignData(
        title=form.title.data or "", description=form.description.data or "",
        questionnaire_id=form.questionnaire_id.data, due_on=form.due_on.data,
        organisation_id=form.organisation_id.data, remind_before_days=form.remind_before_days.data,
        remind_after_days=form.remind_after_days.data, overdue_consequence=form.overdue_consequence.data or "none")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Choose the questionnaire, the due date and the recipients; count them first, then create and invite."""
    form = CampaignForm()
    _fill(form)
    if form.is_submitted() and not form.validate():
        attach_errors(form, {})
        return render_template("risk/campaigns/new.html", form=form, preview=None)
    if not form.is_submitted():
        # ?tier=high (the dashboard's high-risk suppliers): that tier, and the questionnaire version it gets.
        tier = request.args.get("tier", "")
        form.tier.data = tier if tier in RISK_TIERS else ""
        form.questionnaire_id.data = campaigns.default_questionnaire_id(db.session, form.tier.data)
        return render_template("risk/campaigns/new.html", form=form, preview=None)
    selection, list_problems = _selection(form)
    if form.preview.data:
        chosen = campaign_selection.choose(db.session, selection)
        attach_errors(form, {**chosen.errors, **({"file": list_problems} if list_problems else {})})
        preview = {"count": len(chosen.supplier_ids),
                   "names": campaign_selection.preview_names(db.session, chosen.supplier_ids)}
        return render_template("risk/campaigns/new.html", form=form, preview=preview)
    try:
        campaign = campaigns.create(db.session, _data(form), selection, list_problems, current_user, today())
    except ValidationFailed as failed:
        db.session.rollback()
        attach_errors(form, failed.errors)
        return render_template("risk/campaigns/new.html", form=form, preview=None)
    db.session.commit()
    job = jobs.enqueue(db.session, current_app._get_current_object(), campaigns.KIND,
                       {"campaign_id": campaign.id}, current_user)
    campaigns.attach_job(db.session, campaign, job)
    flash(_("The campaign is saved; the invitations are being sent."), "success")
    return redirect(url_for(".view", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>")
@roles_required(*STAFF)
def view(campaign_id: int):
    """Rates, the invitation job's progress, the non-responders and the reminders sent."""
    campaign = _campaign_or_404(campaign_id)
    rates = campaigns.rates(db.session, [campaign.id])[campaign.id]
    return render_template(
        "risk/campaigns/view.html", campaign=campaign, rates=rates, waiting_count=rates.recipients - rates.submitted,
        waiting=campaigns.non_responders(db.session, campaign, PAGE_LIMIT), limit=PAGE_LIMIT,
        reminders=campaigns.reminders_of(db.session, campaign, PAGE_LIMIT),
        job=campaign.job, stale=bool(campaign.job and jobs.is_stale(campaign.job)),
        close_form=CloseCampaignForm(version_id=campaign.version_id), remind_form=RemindForm(),
        category=campaign.selection.get("category_id") and categories_by_id().get(campaign.selection["category_id"]),
        **_labels())


def categories_by_id() -> dict:
    """Supply categories by id (to name a campaign's selection)."""
    return {c.id: c for c in categories.list_categories(db.session)}


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(campaign_id: int):
    """Change an open campaign's title, description or due date; a new due date reschedules the reminders."""
    campaign = _campaign_or_404(campaign_id)
    form = CampaignEditForm(obj=None if request.method == "POST" else campaign)
    if form.is_submitted():
        data = campaigns.CampaignEdit(title=form.title.data or "", description=form.description.data or "",
                                      due_on=form.due_on.data)
        moved = submit(form, lambda: campaigns.check_edit(campaign, data, today()),
                       lambda: campaigns.edit(db.session, campaign, data, form.version_id.data, current_user,
                                              today(), now()),
                       record=campaign, entity_type="campaign")
        if moved is not None:
            flash(_("Changes saved.") + (" " + _("The reminders follow the new due date.") + " "
                                         + _("The suppliers that have not submitted are told of the new due date.")
                                         if moved else ""),
                  "success")
            return redirect(url_for(".view", campaign_id=campaign.id))
    return render_template("risk/campaigns/edit.html", form=form, campaign=campaign)


@bp.route("/<int:campaign_id>/non-responders.csv")
@roles_required(*STAFF)
def non_responders_csv(campaign_id: int):
    """The non-responders as CSV (UTF-8 with BOM, opens in Excel)."""
    campaign = _campaign_or_404(campaign_id)
    header = [_("Supplier"), _("Credit code"), _("Supplier risk tier"), _("Self-assessment"), _("Invited at"),
              _("Reminders"), _("Last reminder"), _("Consequence")]
    rows = [(row.supplier.name_zh, row.supplier.credit_code or "", row.tier or "", row.response_status or "",
             row.recipient.invited_at, row.reminders, row.last_reminded_at, row.recipient.consequence or "")
            for row in campaigns.non_responders(db.session, campaign)]
    body = table_export.csv_bytes(header, rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=campaign-{campaign.id}-non-responders.csv"})


@bp.route("/<int:campaign_id>/remind", methods=["POST"])
@roles_required(*EDITORS)
def remind(campaign_id: int):
    """Remind every recipient that has not submitted, now (recorded with the user's name)."""
    campaign = _campaign_or_404(campaign_id)
    form = RemindForm()
    if form.validate_on_submit():
        try:
            sent = campaign_reminders.remind_now(db.session, campaign, current_user, today(), now())
        except ValidationFailed as failed:
            db.session.rollback()
            flash_errors(failed.errors)
        else:
            db.session.commit()
            flash(_("%(n)d suppliers reminded.", n=sent), "success")
    return redirect(url_for(".view", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/close", methods=["POST"])
@roles_required(*EDITORS)
def close(campaign_id: int):
    """Close the campaign: no more reminders or consequences."""
    campaign = _campaign_or_404(campaign_id)
    form = CloseCampaignForm()
    if not form.validate_on_submit() or not form.version_id.data:
        flash(_("The page was out of date; nothing was changed."), "warning")
        return redirect(url_for(".view", campaign_id=campaign_id))
    try:
        campaigns.close(db.session, campaign, form.version_id.data, current_user, now())
    except Conflict:
        db.session.rollback()
        flash(_("Someone changed this campaign meanwhile; nothing was changed. Look again and retry."), "warning")
    except ValidationFailed as failed:
        db.session.rollback()
        flash_errors(failed.errors)
    else:
        db.session.commit()
        flash(_("The campaign is closed."), "success")
    return redirect(url_for(".view", campaign_id=campaign_id))
