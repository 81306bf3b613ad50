"""Administration of the integration: API clients (token shown once, rotate, revoke) and purchase-check rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.integration import ApiClientForm, ConfirmForm, purchase_rule_form
from supplychain import db, scope
from supplychain.errors import ValidationFailed
from supplychain.models import PURCHASE_REASONS, SupplyCategory
from supplychain.security import roles_required
from supplychain.services.core import audit
from supplychain.services.integration import api_clients, purchase_checks
from supplychain.services.registry import categories
from supplychain.views.forms_support import attach_errors, saving

bp = Blueprint("integration", __name__, url_prefix="/admin")
MENU = [("integration.client_list", _l("API clients"), ("admin",)),
        ("integration.rule_list", _l("Purchase rules"), ("admin",))]


@bp.app_template_global()
def purchase_checks_for(supplier_id: int) -> list:
    """The supplier's latest purchase checks that the user's organisation scope may see (supplier page)."""
    return purchase_checks.for_supplier(db.session, supplier_id)


@bp.app_template_global()
def purchase_reason_message(reason: dict) -> str:
    """A logged reason in the reader's language."""
    return purchase_checks.reason_message(reason)


def _client_form(**kwargs) -> ApiClientForm:
    form = ApiClientForm(**kwargs)
    form.organisation.choices = [("", _("The whole group"))] + [
        (org.code, org.display_name) for org in scope.organisations_in_scope(db.session)]
    return form


def _data(form: ApiClientForm) -> api_clients.ClientData:
    return api_clients.ClientData(name=form.name.data or "", scopes=list(form.scopes.data or []),
                                  organisation_code=form.organisation.data or "", rate_limit=form.rate_limit.data)


@bp.route("/api-clients")
@roles_required("admin")
def client_list():
    """Every API client with its scopes, organisation and state."""
    return render_template("integration/clients.html", clients=api_clients.list_clients(db.session))


@bp.route("/api-clients/new", methods=["GET", "POST"])
@roles_required("admin")
def client_create():
    """Create a client; its token is shown on the answer page, once."""
    form = _client_form()
    if form.validate_on_submit():
        try:
            client, token = api_clients.create_client(db.session, _data(form), current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            return render_template("integration/token.html", client=client, token=token)
    return render_template("integration/client_form.html", form=form, client=None)


def _client(client_id: int):
    return api_clients.get_client(db.session, client_id) or abort(404)


@bp.route("/api-clients/<int:client_id>", methods=["GET", "POST"])
@roles_required("admin")
def client_edit(client_id: int):
    """Edit a client's name, scopes, organisation and rate limit; its latest calls and history."""
    client = _client(client_id)
    form = _client_form()
    if form.validate_on_submit():
        with saving(form) as outcome:
            api_clients.update_client(db.session, client, _data(form), current_user)
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".client_edit", client_id=client.id))
    elif not form.is_submitted():
        form.name.data = client.name
        form.scopes.data = client.scope_list
        form.organisation.data = client.organisation.code if client.organisation else ""
        form.rate_limit.data = client.rate_limit
    return render_template("integration/client_form.html", form=form, client=client, confirm=ConfirmForm(),
                           calls=api_clients.recent_calls(db.session, client.id),
                           trail=audit.for_entity(db.session, "api_client", client.id))


@bp.route("/api-clients/<int:client_id>/rotate", methods=["POST"])
@roles_required("admin")
def client_rotate(client_id: int):
    """Issue a new token (the old one stops working); shown once."""
    client = _client(client_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = api_clients.rotate(db.session, client, current_user)
    db.session.commit()
    return render_template("integration/token.html", client=client, token=token)


@bp.route("/api-clients/<int:client_id>/revoke", methods=["POST"])
@roles_required("admin")
def client_revoke(client_id: int):
    """Stop the client's token from working."""
    client = _client(client_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    api_clients.revoke(db.session, client, current_user)
    db.session.commit()
    flash(_("The token of %(name)s no longer works.", name=client.name), "success")
    return redirect(url_for(".client_edit", client_id=client.id))


@bp.route("/purchase-rules")
@roles_required("admin")
def rule_list():
    """What each reason does to a purchase check, per category."""
    rows = [(c, purchase_checks.rules_for(db.session, c.id)) for c in categories.list_categories(db.session)]
    return render_template("integration/rules.html", rows=rows, reasons=PURCHASE_REASONS,
                           labels=purchase_checks.REASON_LABELS, outcomes=purchase_checks.OUTCOME_LABELS)


@bp.route("/purchase-rules/<int:category_id>", methods=["GET", "POST"])
@roles_required("admin")
def rule_edit(category_id: int):
    """Set allow, warn or block for every reason of one category."""
    category = db.session.get(SupplyCategory, category_id) or abort(404)
    form = purchase_rule_form(purchase_checks.REASON_LABELS, purchase_checks.FIXED_RULES)()
    if form.validate_on_submit():
        outcomes = {reason: getattr(form, reason).data for reason in PURCHASE_REASONS}
        try:
            changed = purchase_checks.set_rules(db.session, category, outcomes, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for(".rule_list"))
    elif not form.is_submitted():
        for reason, outcome in purchase_checks.rules_for(db.session, category.id).items():
            getattr(form, reason).data = outcome
    return render_template("integration/rule_form.html", form=form, category=category,
                           trail=audit.for_entity(db.session, "purchase_rules", category.id))
