"""Administration of which pledges and certificates each supply category requires."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import RequirementsForm
from supplychain import db
from supplychain.errors import ValidationFailed
from supplychain.evidence_labels import CERT_TYPE_LABELS, PLEDGE_KIND_LABELS
from supplychain.models import CERT_TYPES, PLEDGE_KINDS
from supplychain.security import roles_required
from supplychain.services.evidence import requirements
from supplychain.services.registry import categories
from supplychain.views.forms_support import flash_errors

bp = Blueprint("requirements", __name__, url_prefix="/admin/requirements")
MENU = [("requirements.index", _l("Evidence requirements"), ("admin",))]


@bp.route("/", methods=["GET", "POST"])
@roles_required("admin")
def index():
    """A matrix of categories against pledge kinds and certificate types; each ticked box is a requirement."""
    form = RequirementsForm()
    all_categories = categories.list_categories(db.session)
    if form.validate_on_submit():
        changed = 0
        try:
            for category in all_categories:
                pledge_kinds = request.form.getlist(f"pledge-{category.id}")
                cert_types = request.form.getlist(f"certificate-{category.id}")
                changed += requirements.set_requirements(db.session, category, pledge_kinds, cert_types,
                                                         current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            flash_errors(failed.errors)
        else:
            db.session.commit()
            flash(_("Requirements saved for %(n)d categories.", n=changed), "success")
            return redirect(url_for(".index"))
    return render_template("requirements/index.html", form=form, categories=all_categories,
                           mapping=requirements.requirement_map(db.session), pledge_kinds=PLEDGE_KINDS,
                           cert_types=CERT_TYPES, pledge_labels=PLEDGE_KIND_LABELS,
                           cert_labels=CERT_TYPE_LABELS)
