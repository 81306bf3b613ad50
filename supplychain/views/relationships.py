"""The group master and supplier relationships: find a supplier another organisation admitted and start buying."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from forms.suppliers import PlannedEndForm, RelationshipForm, RelationshipStatusForm
from supplychain import db, scope
from supplychain.clock import today
from supplychain.errors import Conflict, ValidationFailed
from supplychain.labels import lang
from supplychain.models import RELATIONSHIP_STATUSES, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.registry import categories as category_service
from supplychain.services.registry import qualifications
from supplychain.services.registry import relationships as service
from supplychain.views.forms_support import attach_errors, flash_errors

bp = Blueprint("relationships", __name__, url_prefix="/group-suppliers")
MENU = [("relationships.search", _l("Group master"), STAFF)]
RELATIONSHIP_STATUS_LABELS = {"active": _l("active"), "suspended": _l("suspended"), "ended": _l("ended")}


def relationship_form(supplier) -> RelationshipForm:
    """The form to open a relationship, with the organisations of the user's scope and the categories."""
    form = RelationshipForm()
    form.organisation_id.choices = [(org.id, org.display_name) for org in scope.organisations_in_scope(db.session)
                                    if org.is_open]
    language = lang()
    form.categories.choices = [(c.code, c.name_en if language == "en" else c.name_zh)
                               for c in category_service.list_categories(db.session) if c.active]
    if request.method == "GET":
        form.organisation_id.data = current_user.organisation_id
        form.categories.data = [c.code for c in supplier.categories] if supplier is not None else []
    return form


def status_form(relationship) -> RelationshipStatusForm:
    """The form to suspend, end or reactivate one relationship."""
    form = RelationshipStatusForm(prefix=f"r{relationship.id}")
    form.status.choices = [(s, RELATIONSHIP_STATUS_LABELS[s]) for s in RELATIONSHIP_STATUSES]
    if request.method == "GET":
        form.status.data = relationship.status
        form.version.data = relationship.version_id
    return form


@bp.route("/")
@roles_required(*STAFF)
def search():
    """Search the whole group's supplier master by name or credit code (only what the group shares)."""
    query = request.args.get("q", "")[:100]
    return render_template("relationships/search.html", query=query,
                           entries=service.search_master(db.session, query))


@bp.route("/<int:supplier_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def card(supplier_id: int):
    """A supplier of the group master: name, credit code, status, qualification; editors may start buying."""
    entries = service.master_entries(db.session, [supplier_id])
    if not entries:
        abort(404)
    supplier = db.session.scalar(scope.unscoped(select(Supplier).where(Supplier.id == supplier_id)))
    form = relationship_form(supplier)
    if request.method == "POST":
        if current_user.role not in EDITORS:
            abort(403)
        if form.validate_on_submit():
            data = service.RelationshipData(form.organisation_id.data, supplier_id, list(form.categories.data or []),
                                            form.since_on.data, planned_until_on=form.planned_until_on.data)
            try:
                service.open_relationship(db.session, data, current_user, today())
            except ValidationFailed as failed:
                db.session.rollback()
                attach_errors(form, failed.errors)
            else:
                db.session.commit()
                flash(_("Relationship started: the supplier is now in your list."), "success")
                return redirect(url_for("suppliers.view", supplier_id=supplier_id))
    return render_template("relationships/card.html", entry=entries[0], form=form,
                           qualifications=qualifications.for_supplier(db.session, supplier_id))


def _save(save, done: str) -> None:
    """Run `save()` and commit, saying `done`; or roll back and say what stopped it (a race, the service's rules);
    a `save()` that returns False changed nothing, and says so."""
    try:
        changed = save()
    except Conflict:
        db.session.rollback()
        flash(_("Someone else changed this relationship meanwhile: nothing was saved. Check it and try again."),
              "danger")
    except ValidationFailed as failed:
        db.session.rollback()
        flash_errors(failed.errors)
    else:
        db.session.commit()
        if changed is False:
            flash(_("Nothing changed."), "info")
        else:
            flash(done, "success")


@bp.route("/relationships/<int:relationship_id>/status", methods=["POST"])
@roles_required(*EDITORS)
def change_status(relationship_id: int):
    """Suspend, end or reactivate a relationship of the user's scope, with a reason."""
    relationship = service.get_relationship(db.session, relationship_id) or abort(404)
    form = status_form(relationship)
    if form.validate_on_submit():
        _save(lambda: service.change_relationship(db.session, relationship, form.status.data, form.reason.data or "",
                                                  form.version.data, current_user, today()),
              _("Relationship updated."))
    return redirect(url_for("suppliers.view", supplier_id=relationship.supplier_id))


def planned_end_form(relationship) -> PlannedEndForm:
    """The form to set when one relationship's work is planned to end."""
    form = PlannedEndForm(prefix=f"p{relationship.id}")
    if request.method == "GET":
        form.planned_until_on.data = relationship.planned_until_on
        form.version.data = relationship.version_id
    return form


@bp.route("/relationships/<int:relationship_id>/planned-end", methods=["POST"])
@roles_required(*EDITORS)
def planned_end(relationship_id: int):
    """Set or clear when the work of a relationship of the user's scope is planned to end (not before its start)."""
    relationship = service.get_relationship(db.session, relationship_id) or abort(404)
    form = planned_end_form(relationship)
    if not form.validate_on_submit():
        flash_errors(form.errors)
    else:
        _save(lambda: service.set_planned_end(db.session, relationship, form.planned_until_on.data,
                                              form.version.data, current_user),
              _("Planned end saved."))
    return redirect(url_for("contractors.sites", supplier_id=relationship.supplier_id))
