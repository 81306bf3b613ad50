"""Inherent risk tier settings (issue 11, part 1): weights and thresholds, region risk, what each tier asks for.

Administrators only. A change to weights, thresholds or a level recomputes every tier: at once for a
small supply base, in a background job for a large one.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.risk_tiers import RecomputeForm, RegionRiskForm, ScoringForm, TierSettingForm
from supplychain import db, jobs
from supplychain.clock import today
from supplychain.labels import lang
from supplychain.models import RISK_FACTORS, RISK_TIERS, RegionRisk, RiskTierSetting
from supplychain.security import roles_required
from supplychain.services.core import audit
from supplychain.services.risk import recompute, recompute_job, settings
from supplychain.views.evidence_support import submit

bp = Blueprint("risk_tiers", __name__, url_prefix="/risk")
MENU = [("risk_tiers.index", _l("Risk tiers"), ("admin",))]
ADMIN = ("admin",)


def _recompute_everything() -> None:
    """After a setting changed: recompute now for a small supply base, else in a background job."""
    if recompute_job.supplier_count(db.session) <= recompute_job.SYNC_LIMIT:
        computed = recompute.recompute_all(db.session, today(), current_user)
        db.session.commit()
        flash(_("Risk tiers recomputed for %(n)d suppliers.", n=computed), "success")
        return
    job = jobs.enqueue(db.session, current_app._get_current_object(), recompute_job.KIND,
                       {"today": today().isoformat()}, current_user)
    flash(_("The risk tiers are being recomputed in the background (job %(id)d).", id=job.id), "info")


def _saved(recompute: bool):
    """After a saved setting: say so, recompute the tiers when the setting changes them, back to the overview."""
    flash(_("Changes saved."), "success")
    if recompute:
        _recompute_everything()
    return redirect(url_for(".index"))


@bp.route("/")
@roles_required(*ADMIN)
def index():
    """Weights and thresholds, region risk and tier settings on one page."""
    return render_template("risk_tiers/index.html", scoring=settings.current_scoring(db.session),
                           factors=RISK_FACTORS, areas=settings.region_risks(db.session),
                           tiers=settings.tier_settings(db.session), recompute_form=RecomputeForm(),
                           trail=audit.for_entity(db.session, "risk_scoring", 1, limit=20))


@bp.route("/scoring", methods=["GET", "POST"])
@roles_required(*ADMIN)
def scoring():
    """Edit the factor weights (adding up to 100) and the tier thresholds."""
    row = settings.scoring_row(db.session)
    form = ScoringForm(obj=None if request.method == "POST" else row)
    data = settings.ScoringData({factor: getattr(form, f"weight_{factor}").data for factor in RISK_FACTORS},
                                form.high_from.data, form.medium_from.data)
    if form.is_submitted() and submit(form, dict, lambda: settings.save_scoring(db.session, data, current_user),
                                      record=row, entity_type="risk_scoring") is not None:
        return _saved(recompute=True)
    return render_template("risk_tiers/scoring.html", form=form)


@bp.route("/regions/new", methods=["GET", "POST"], defaults={"risk_area": None})
@bp.route("/regions/<risk_area>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def region_edit(risk_area: str | None):
    """Set the risk level of a reporting region, or of one country (new)."""
    row = None
    if risk_area is not None:
        key = settings.normalise_area(risk_area)
        if not key:
            abort(404)
        row = db.session.get(RegionRisk, key)
    form = RegionRiskForm(obj=None if request.method == "POST" else row)
    if request.method == "GET" and row is None and risk_area is not None:
        form.area.data, form.level.data = settings.normalise_area(risk_area), "low"
    area = row.area if row is not None else (settings.normalise_area(risk_area) if risk_area else form.area.data)
    if form.is_submitted() and submit(
            form, dict, lambda: settings.save_region_risk(db.session, area or "", form.level.data, current_user, row),
            record=row) is not None:
        return _saved(recompute=True)
    return render_template("risk_tiers/region_form.html", form=form, row=row, risk_area=risk_area)


@bp.route("/tiers/<risk_tier>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def tier_edit(risk_tier: str):
    """Set a tier's questionnaire version, audit interval and re-screening interval."""
    if risk_tier not in RISK_TIERS:
        abort(404)
    row = db.session.get(RiskTierSetting, risk_tier)
    form = TierSettingForm(obj=None if request.method == "POST" else row)
    form.questionnaire_id.choices = [("", "—")] + [
        (q.id, f"{q.code} v{q.version} · {q.title_en if lang() == 'en' else q.title_zh}")
        for q in settings.questionnaires(db.session)]
    data = settings.TierSettingData(form.questionnaire_id.data, form.audit_interval_months.data,
                                    form.rescreen_interval_months.data)
    if form.is_submitted() and submit(
            form, dict, lambda: settings.save_tier_setting(db.session, risk_tier, data, current_user, row),
            record=row) is not None:
        return _saved(recompute=False)
    return render_template("risk_tiers/tier_form.html", form=form, risk_tier=risk_tier)


@bp.route("/recompute", methods=["POST"])
@roles_required(*ADMIN)
def recompute_now():
    """Recompute every supplier's tier now (as `flask risk recompute` does)."""
    if RecomputeForm().validate_on_submit():
        _recompute_everything()
    else:
        flash(_("The page had expired, so nothing was recomputed. Try again."), "danger")
    return redirect(url_for(".index"))
