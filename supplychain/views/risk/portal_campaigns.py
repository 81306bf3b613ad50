"""The supplier's side of questionnaire campaigns (/portal/campaigns/): start the questionnaire it was sent.

Like the rest of the portal: supplier users only, on their own supplier; another supplier's invitation is 404.
The invitations themselves are listed on the portal's self-assessment page.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, url_for
from flask_login import current_user

from forms.invitations import ConfirmForm
from supplychain import db
from supplychain.errors import ValidationFailed
from supplychain.services.risk import campaigns
from supplychain.views.forms_support import flash_errors
from supplychain.views.portal import supplier_required

bp = Blueprint("portal_campaigns", __name__, url_prefix="/portal/campaigns")


@bp.route("/<int:recipient_id>/start", methods=["POST"])
@supplier_required
def start(recipient_id: int):
    """Open the campaign's questionnaire (or continue the one in progress on the same version)."""
    recipient = campaigns.invitation_of(db.session, g.supplier.id, recipient_id)
    if recipient is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("portal.saq_index"))
    try:
        campaigns.start_response(db.session, g.supplier, recipient, current_user)
    except ValidationFailed as failed:
        db.session.rollback()
        flash_errors(failed.errors)
        return redirect(url_for("portal.saq_index"))
    db.session.commit()
    return redirect(url_for("portal.saq_answer"))
