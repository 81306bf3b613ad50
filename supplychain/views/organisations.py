"""The organisations of the group: the tree, create, edit (move), close and reopen. Administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.organisations import CloseOrganisationForm, OrganisationForm, ReopenOrganisationForm
from supplychain import db, regions, scope
from supplychain.clock import today
from supplychain.errors import Conflict, ValidationFailed
from supplychain.labels import ORGANISATION_KIND_LABELS, lang, lang_tag
from supplychain.models import ORGANISATION_KINDS, Organisation
from supplychain.security import roles_required
from supplychain.services.core import audit
from supplychain.services.registry import organisations as service
from supplychain.views import conflicts
from supplychain.views.forms_support import flash_errors, saving

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
MENU = [("organisations.index", _l("Organisations"), ("admin",))]


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not scope.current(db.session).allows(organisation.id):
        abort(404)  # an admin of a subsidiary manages only their own subtree
    return organisation


def _version(form) -> int | None:
    raw = (form.version_id.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _fill_choices(form: OrganisationForm, organisation: Organisation | None) -> None:
    english = lang() == "en"
    form.kind.choices = [(kind, str(ORGANISATION_KIND_LABELS[kind])) for kind in ORGANISATION_KINDS]
    form.home_province.choices = [("", "—")] + [
        (p.code, regions.province_name(p, lang_tag())) for p in regions.provinces()]
    nodes = {node.organisation.id: node.depth for node in service.tree(db.session)}
    choices = [("", _("— none (the root: the group itself) —"))] if service.root(db.session) in (None, organisation) \
        else []
    for parent in service.parent_choices(db.session, organisation):
        name = (parent.name_en or parent.name_zh) if english else parent.name_zh
        choices.append((str(parent.id), f"{'  ' * nodes.get(parent.id, 0)}{parent.code} · {name}"))
    form.parent_id.choices = choices


def _data(form: OrganisationForm) -> service.OrganisationData:
    raw = (form.parent_id.data or "").strip()
    return service.OrganisationData(
        code=form.code.data or "", name_zh=form.name_zh.data or "", name_en=form.name_en.data or "",
        kind=form.kind.data or "", parent_id=int(raw) if raw.isdigit() else None,
        home_province=form.home_province.data or "", opened_on=form.opened_on.data,
    )


@bp.route("/")
@roles_required("admin")
def index():
    """The tree of organisations with kind, home province and open or closed."""
    return render_template("organisations/index.html", nodes=service.tree(db.session),
                           kind_labels=ORGANISATION_KIND_LABELS, reopen_form=ReopenOrganisationForm())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    """Add an organisation under a parent."""
    form = OrganisationForm()
    _fill_choices(form, None)
    if request.method == "GET":
        parent = request.args.get("parent", "")
        form.parent_id.data = parent if parent.isdigit() else (str(service.root(db.session).id)
                                                              if service.root(db.session) else "")
        form.kind.data = "subsidiary"
    if form.validate_on_submit():
        with saving(form) as outcome:
            organisation = service.create_organisation(db.session, _data(form), current_user)
        if outcome.saved:
            flash(_("Organisation %(code)s created.", code=organisation.code), "success")
            return redirect(url_for(".index"))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(organisation_id: int):
    """Edit an organisation; choosing another parent moves it with everything below it."""
    organisation = _organisation(organisation_id)
    form = OrganisationForm(obj=None if request.method == "POST" else organisation)
    _fill_choices(form, organisation)
    if request.method == "GET":
        form.parent_id.data = str(organisation.parent_id or "")
        form.home_province.data = organisation.home_province or ""
        form.version_id.data = str(organisation.version_id)
    if form.validate_on_submit():
        saved_values = {"parent_id": lambda: organisation.parent_id or ""}
        with saving(form, conflict_errors=(Conflict,),
                    on_conflict=lambda: conflicts.show(form, organisation, "organisation", saved_values)) as outcome:
            service.update_organisation(db.session, organisation, _data(form), _version(form), current_user)
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".index"))
    return render_template("organisations/form.html", form=form, organisation=organisation,
                           trail=audit.for_entity(db.session, "organisation", organisation.id))


@bp.route("/<int:organisation_id>/close", methods=["GET", "POST"])
@roles_required("admin")
def close(organisation_id: int):
    """Confirm and close an organisation, with the date and the reason."""
    organisation = _organisation(organisation_id)
    form = CloseOrganisationForm()
    if request.method == "GET":
        form.closed_on.data = today()
        form.version_id.data = str(organisation.version_id)
    if form.validate_on_submit():
        with saving(form, conflict_errors=(Conflict,),
                    on_conflict=lambda: conflicts.show(form, organisation, "organisation")) as outcome:
            service.close_organisation(db.session, organisation, form.closed_on.data, form.reason.data or "",
                                       current_user, today(), expected_version=_version(form))
        if outcome.saved:
            flash(_("%(name)s is closed.", name=organisation.display_name), "success")
            return redirect(url_for(".index"))
    return render_template("organisations/close.html", form=form, organisation=organisation,
                           active_relationships=service.active_relationship_count(db.session, organisation),
                           open_children=service.open_children(db.session, organisation))


@bp.route("/<int:organisation_id>/reopen", methods=["POST"])
@roles_required("admin")
def reopen(organisation_id: int):
    """Reopen a closed organisation."""
    organisation = _organisation(organisation_id)
    form = ReopenOrganisationForm()
    if not form.validate_on_submit():  # the CSRF token is checked before the view; only the reason is left
        for message in form.reason.errors:
            flash(f"{form.reason.label.text}: {message}", "danger")
        return redirect(url_for(".index"))
    try:
        service.reopen_organisation(db.session, organisation, current_user, form.reason.data or "")
    except ValidationFailed as failed:
        db.session.rollback()
        flash_errors(failed.errors)
    else:
        db.session.commit()
        flash(_("%(name)s is open again.", name=organisation.display_name), "success")
    return redirect(url_for(".index"))
