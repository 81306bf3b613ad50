"""The audit log: every recorded change, filtered, in words, with times in the report time zone."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from supplychain import db
from supplychain.audit_labels import ACTION_LABELS, ENTITY_LABELS, filter_options, report_zone
from supplychain.security import roles_required
from supplychain.services.daily_work import list_exports
from supplychain.views.list_exports import AUDIT_READERS, audit_filters

bp = Blueprint("audit_log", __name__, url_prefix="/audit-log")
MENU = [("audit_log.index", _l("Audit log"), AUDIT_READERS)]


@bp.route("/")
@roles_required(*AUDIT_READERS)
def index():
    """Who changed what and when, newest first, filtered by record type, action, person, supplier and days."""
    filters = audit_filters()
    found = list_exports.audit_entries(db.session, filters, report_zone(), request.args.get("page", 1, type=int) or 1)
    types, actions = list_exports.audit_facets()
    # Each meaning once: two keys with one label are one option that filters both (audit_labels.filter_options).
    types, actions = filter_options(types, ENTITY_LABELS), filter_options(actions, ACTION_LABELS)
    return render_template("audit_log/index.html", entries=found.entries, total=found.total, more=found.more,
                           page=found.page, per_page=100, filters=filters, types=types, actions=actions)
