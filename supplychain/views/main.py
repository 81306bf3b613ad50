"""Home page and language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from supplychain import db, scope
from supplychain.clock import today
from supplychain.labels import lang_tag
from supplychain.services.daily_work import dashboard
from supplychain.views.auth import _safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Staff see the supply-chain dashboard; supplier users see their own company."""
    if current_user.role == "supplier":
        return redirect(url_for("portal.home"))
    config = current_app.config
    organisations = scope.organisations_in_scope(db.session)
    try:
        boundary = scope.narrow_to_boundary(db.session, request.args.get("org", type=int))
    except LookupError:
        abort(404)
    dash = dashboard.overview(db.session, today(), lang_tag(),
                              int(config.get("CERT_EXPIRY_WARNING_DAYS") or 60),
                              int(config.get("DUAL_SOURCING_MINIMUM") or 2), config["DASHBOARD_SECONDS"])
    from supplychain.views.inbox import current_inbox

    return render_template("main/home.html", dash=dash, inbox=current_inbox(), organisations=organisations,
                           boundary=boundary,
                           has_endpoint=lambda name: name in current_app.view_functions)


@bp.route("/favicon.ico")
def favicon():
    """The tab icon, where browsers look for it without being told (public, cached for a day)."""
    return current_app.send_static_file("favicon.ico"), 200, {"Cache-Control": "public, max-age=86400"}


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language; saved on the account when logged in."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("main.home"))
