"""Portal invitations: procurement invites supplier contacts; an invited contact chooses a password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from forms.invitations import AcceptForm, ConfirmForm, InvitationForm
from supplychain import db, portal_labels
from supplychain.errors import ValidationFailed
from supplychain.extensions import limiter
from supplychain.models import Invitation, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.evidence import training
from supplychain.services.portal import invitations
from supplychain.views.evidence_support import get_or_404
from supplychain.views.forms_support import attach_errors
from supplychain.views.portal import now, withdraw

bp = Blueprint("invitations", __name__, url_prefix="/invitations")
bp.record_once(portal_labels.install)


def link_for(invitation: Invitation) -> str:
    """The full invitation link to pass on."""
    token = invitations.token_for(invitation, current_app.config["SECRET_KEY"])
    return url_for("invitations.accept", token=token, _external=True)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Every invitation, newest first, with its status."""
    supplier_id = request.args.get("supplier_id", type=int)
    return render_template(
        "invitations/index.html",
        moment=now(),
        supplier_id=supplier_id,
        invitations=invitations.list_invitations(db.session, supplier_id),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Invite a supplier contact; without an e-mail server the link is shown to pass on."""
    form = InvitationForm()
    if request.method == "GET":
        supplier = db.session.get(Supplier, request.args.get("supplier_id", type=int) or 0)
        if supplier is not None:
            form.supplier.data = supplier.credit_code or str(supplier.id)
            if supplier.contacts and supplier.contacts[0].email:
                form.email.data, form.name.data = supplier.contacts[0].email, supplier.contacts[0].name
    if form.validate_on_submit():
        supplier = training.find_supplier(db.session, form.supplier.data or "")
        data = invitations.InvitationData(
            form.email.data or "", form.name.data or "", bool(form.grants_admin.data)
        )
        try:
            if supplier is None:
                raise ValidationFailed(
                    {"supplier": [_l("No supplier with this credit code, number or name.")]}
                )
            invitation = invitations.create_invitation(db.session, supplier, data, current_user, now())
            from supplychain.services.evidence.certifications import smtp_sender

            deliver = smtp_sender(current_app.config)
            if deliver is not None:
                invitations.send(invitation, link_for(invitation), current_app.config, deliver, now())
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            flash(_("Invitation created for %(email)s.", email=invitation.email), "success")
            return redirect(url_for(".view", invitation_id=invitation.id))
    return render_template("invitations/form.html", form=form)


@bp.route("/<int:invitation_id>")
@roles_required(*STAFF)
def view(invitation_id: int):
    """One invitation; while it is pending and was not e-mailed, procurement sees the link to pass on."""
    invitation = get_or_404(Invitation, invitation_id)
    moment = now()
    status = invitation.status_at(moment)
    show_link = status == "pending" and invitation.emailed_at is None and current_user.role in EDITORS
    return render_template(
        "invitations/view.html",
        invitation=invitation,
        status=status,
        link=link_for(invitation) if show_link else None,
        form=ConfirmForm(),
    )


@bp.route("/<int:invitation_id>/revoke", methods=["POST"])
@roles_required(*EDITORS)
def revoke(invitation_id: int):
    """Withdraw a pending invitation."""
    invitation = get_or_404(Invitation, invitation_id)
    withdraw(invitation)
    return redirect(url_for(".view", invitation_id=invitation.id))


def _accept_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/accept/<token>", methods=["GET", "POST"])
@limiter.limit(_accept_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def accept(token: str):
    """The invited contact chooses a password and becomes a user of that one supplier."""
    if current_user.is_authenticated:
        return render_template(
            "invitations/accept.html", form=None, invitation=None, problem=None, logged_in=True
        ), 200
    invitation, problem = invitations.check_token(db.session, token, current_app.config["SECRET_KEY"], now())
    if problem:
        status = 404 if problem == "altered" else 410
        return render_template(
            "invitations/accept.html",
            form=None,
            invitation=None,
            logged_in=False,
            problem=invitations.TOKEN_PROBLEMS[problem],
        ), status
    form = AcceptForm()
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit():
        try:
            user = invitations.accept(
                db.session,
                token,
                current_app.config["SECRET_KEY"],
                form.name.data or "",
                form.password.data or "",
                form.confirm.data or "",
                now(),
                session.get("locale"),
            )
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, failed.errors)
        else:
            db.session.commit()
            locale = session.get("locale")
            session.clear()
            login_user(user)
            if locale:
                session["locale"] = locale
            flash(
                _("Welcome! Your account for %(name)s is ready.", name=invitation.supplier.name_zh), "success"
            )
            return redirect(url_for("portal.home"))
    return render_template(
        "invitations/accept.html", form=form, invitation=invitation, problem=None, logged_in=False
    )
