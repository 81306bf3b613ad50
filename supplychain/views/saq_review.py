"""Procurement reviews self-assessments answer by answer; reviewed theme scores feed the scoring engine."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.saq import ReviewForm
from supplychain import db, portal_labels
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.models import SAQ_THEMES, SaqResponse
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.evidence import saq
from supplychain.views.evidence_support import get_or_404
from supplychain.views.forms_support import plain
from supplychain.views.portal import now

bp = Blueprint("saq_review", __name__, url_prefix="/saq-reviews")
bp.record_once(portal_labels.install)
# One menu entry for the portal's staff pages; they link to each other with tabs (saq_review/_tabs.html).
MENU = [("saq_review.index", _l("Supplier portal"), STAFF)]


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Self-assessments waiting for review or with the supplier, and the latest reviewed ones."""
    return render_template(
        "saq_review/index.html",
        queue=saq.review_queue(db.session),
        reviewed=saq.reviewed_list(db.session, 100),
    )


@bp.route("/<int:response_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def review(response_id: int):
    """Every answer with its evidence; procurement accepts each or asks for a clarification."""
    response = get_or_404(SaqResponse, response_id)
    form = ReviewForm()
    errors: dict[str, list] = {}
    if request.method == "POST":
        if current_user.role not in EDITORS:
            abort(403)
        if form.validate_on_submit():
            decisions = {}
            for key in request.form:
                if key.startswith("decision-"):
                    try:
                        answer_id = int(key.removeprefix("decision-"))
                    except ValueError:
                        continue
                    decisions[answer_id] = saq.Decision(
                        request.form.get(key, ""), request.form.get(f"comment-{answer_id}", "")
                    )
            try:
                saq.review(db.session, response, decisions, current_user, now(), today())
            except ValidationFailed as failed:
                db.session.rollback()
                errors = plain(failed.errors)
                response = get_or_404(SaqResponse, response_id)
            else:
                db.session.commit()
                if response.status == "reviewed":
                    flash(
                        _(
                            "Review recorded: the ESG self-assessment score is now %(score)s.",
                            score=response.total_score,
                        ),
                        "success",
                    )
                else:
                    flash(
                        _("Clarification requested: the supplier can answer those questions again."), "info"
                    )
                return redirect(url_for(".review", response_id=response.id))
    previous = saq.latest_reviewed(db.session, response.supplier_id, before_id=response.id)
    live = saq.theme_breakdown(response.questionnaire, response.answers)
    return render_template(
        "saq_review/review.html",
        response=response,
        form=form,
        errors=errors,
        previous=previous,
        answers={a.question_id: a for a in response.answers},
        themes=SAQ_THEMES,
        live=live,
        decisions=request.form if request.method == "POST" else {},
        can_review=current_user.role in EDITORS and response.status == "submitted",
    )
