"""The public verification page of scorecards: a code (typed, or from the QR code) confirms the figures."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from supplychain import db
from supplychain.extensions import limiter
from supplychain.services.evaluation import period_evaluations, scorecards

bp = Blueprint("verify", __name__, url_prefix="/verify")
# Public, so guessing codes is slowed down (a code has 50 bits; this makes guessing hopeless).
RATE_LIMIT = "60 per minute"


@bp.route("/")
@limiter.limit(RATE_LIMIT)
def form():
    """Type the code printed on a scorecard (?code=… goes straight to its page)."""
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for(".code", scorecard_code=code[:40]))
    return render_template("verify/form.html")


@bp.route("/<scorecard_code>")
@limiter.limit(RATE_LIMIT)
def code(scorecard_code: str):
    """Whether the code verifies, and the figures the scorecard must show."""
    answer = scorecards.verify(db.session, scorecard_code[:40])
    return render_template("verify/result.html", answer=answer, level_names=period_evaluations.LEVEL_NAMES)
