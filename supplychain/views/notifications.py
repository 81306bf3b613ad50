"""Notifications in the app: my notifications, reading them, my e-mail setting, and the delivery log."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forms.notifications import EMAIL_MODE_LABELS, MarkReadForm, NotificationSettingsForm
from supplychain import clock, db
from supplychain.errors import ValidationFailed
from supplychain.models import Notification
from supplychain.security import roles_required
from supplychain.services.daily_work import notifications
from supplychain.views.forms_support import attach_errors

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
CHANNEL_LABELS = {"in_app": _l("In the app"), "email": _l("E-mail"), "digest": _l("Daily digest")}


def _now() -> datetime:
    return clock.now()


@bp.app_context_processor
def _unread():
    """`unread_notifications()` for the top bar: counted only when a page asks for it."""

    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.count_unread(db.session, current_user)

    return {"unread_notifications": unread}


@bp.route("/")
@login_required
def index():
    """My notifications, unread first."""
    rows = notifications.for_user(db.session, current_user)
    return render_template("notifications/index.html", rows=rows, form=MarkReadForm(),
                           mode=notifications.email_mode(db.session, current_user),
                           mode_labels=EMAIL_MODE_LABELS, channel_labels=CHANNEL_LABELS)


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    """Mark every unread notification as read."""
    form = MarkReadForm()
    if form.validate_on_submit():
        count = notifications.mark_read(db.session, current_user, _now())
        db.session.commit()
        flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    """Mark one of my notifications as read and go to the record it is about."""
    form = MarkReadForm()
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    if form.validate_on_submit():
        notifications.mark_read(db.session, current_user, _now(), notification_id)
        db.session.commit()
    target = row.link if row.link and row.link.startswith("/") and not row.link.startswith("//") else None
    if current_user.role == "supplier" and target and target.startswith("/suppliers/"):
        target = url_for("portal.home")  # the portal shows the supplier its own records
    return redirect(target or url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Choose e-mail at once, a daily digest, or no e-mail."""
    form = NotificationSettingsForm()
    if not form.is_submitted():
        form.email_mode.data = notifications.email_mode(db.session, current_user)
    if form.validate_on_submit():
        try:
            notifications.set_email_mode(db.session, current_user, form.email_mode.data, current_user)
        except ValidationFailed as failure:
            attach_errors(form, failure.errors)
        else:
            db.session.commit()
            flash(_("Your notification setting is saved."), "success")
            return redirect(url_for(".index"))
    return render_template("notifications/settings.html", form=form)


@bp.route("/log")
@roles_required("admin", "auditor")
def log():
    """Who was told what, when and how: every delivery, newest first."""
    rows = notifications.delivery_log(db.session)
    return render_template("notifications/log.html", rows=rows, channel_labels=CHANNEL_LABELS)
