"""The blacklist: entries in force and ended, blacklisting, lifting with a reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import BlacklistForm, LiftForm
from supplychain import clock, db
from supplychain.clock import today
from supplychain.evidence_labels import BLACKLIST_REASON_LABELS
from supplychain.models import BLACKLIST_REASONS, BlacklistEntry, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.registry import blacklist
from supplychain.views.evidence_support import get_or_404, submit

bp = Blueprint("blacklist", __name__, url_prefix="/blacklist")
MENU = [("blacklist.index", _l("Blacklist"), STAFF)]


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Entries in force (default), ended (lifted or expired) or all."""
    state = request.args.get("state", "active")
    state = state if state in ("active", "ended", "all") else "active"
    return render_template("blacklist/index.html", entries=blacklist.list_entries(db.session, today(), state),
                           state=state, today=today())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Blacklist a credit code and/or a registered supplier (?supplier_id=<id> fills it in)."""
    form = BlacklistForm()
    form.reason.choices = [("", "—")] + [(r, BLACKLIST_REASON_LABELS[r]) for r in BLACKLIST_REASONS]
    supplier = None
    if request.method == "GET":
        supplier = db.session.get(Supplier, request.args.get("supplier_id", type=int) or 0)
        if supplier is not None:
            form.supplier_id.data, form.credit_code.data = supplier.id, supplier.credit_code
            form.company_name.data = supplier.name_zh
        form.since_on.data = today()
    if form.is_submitted():
        data = blacklist.EntryData(
            credit_code=form.credit_code.data or "", supplier_id=form.supplier_id.data,
            company_name=form.company_name.data or "", reason=form.reason.data or "",
            note=form.note.data or "", decided_by=form.decided_by.data or "", since_on=form.since_on.data,
            until_on=form.until_on.data)
        from supplychain.services.daily_work import high_impact
        from supplychain.views.action_requests import second_person_needed

        second_person = second_person_needed("blacklisted")  # SECOND_APPROVAL_FOR_HIGH_IMPACT (issue 13)
        saved = submit(form, lambda: blacklist.check_entry(db.session, data, today())[0],
                       lambda: high_impact.request_blacklisting(db.session, data, current_user, clock.now(),
                                                                today()) if second_person
                       else blacklist.add_entry(db.session, data, current_user, today()))
        if saved is not None and second_person:
            flash(_("The blacklisting waits for a second person's approval."), "info")
            return redirect(url_for("action_requests.index"))
        if saved is not None:
            flash(_("Entry #%(id)d added to the blacklist.", id=saved.id), "success")
            return redirect(url_for(".view", entry_id=saved.id))
    return render_template("blacklist/form.html", form=form, supplier=supplier)


@bp.route("/<int:entry_id>")
@roles_required(*STAFF)
def view(entry_id: int):
    """One entry with its history."""
    entry = get_or_404(BlacklistEntry, entry_id)
    trail = audit.for_entity(db.session, "blacklist_entry", entry.id)
    return render_template("blacklist/view.html", entry=entry, active=entry.active_on(today()), trail=trail)


@bp.route("/<int:entry_id>/lift", methods=["GET", "POST"])
@roles_required(*EDITORS)
def lift(entry_id: int):
    """Lift an entry; the reason is required and kept in the audit log."""
    entry = get_or_404(BlacklistEntry, entry_id)
    form = LiftForm()
    if request.method == "GET":
        form.version_id.data = str(entry.version_id)
    if form.is_submitted():
        reason = form.reason.data or ""
        now = clock.now()
        saved = submit(form, lambda: blacklist.check_lift(entry, reason),
                       lambda: blacklist.lift_entry(db.session, entry, reason, current_user, now),
                       record=entry, entity_type="blacklist_entry")
        if saved is not None:
            flash(_("Entry #%(id)d lifted.", id=entry.id), "success")
            return redirect(url_for(".view", entry_id=entry.id))
    return render_template("blacklist/lift.html", form=form, entry=entry)
