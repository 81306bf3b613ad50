"""Home page and language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from supplychain import db
from supplychain.services import suppliers as supplier_service
from supplychain.views.auth import _safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Staff see the registry overview; supplier users see their own company."""
    if current_user.role == "supplier":
        return render_template("main/supplier_home.html", supplier=current_user.supplier)
    filters = supplier_service.SupplierFilters()
    home_province = current_app.config["HOME_PROVINCE"]
    counts = supplier_service.region_counts(db.session, filters, home_province)
    local = supplier_service.local_count(db.session, filters, home_province)
    return render_template("main/home.html", counts=counts, total=sum(counts.values()), local=local)


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
