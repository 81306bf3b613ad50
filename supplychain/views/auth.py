"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import LoginForm, PasswordChangeForm
from supplychain import db
from supplychain.errors import ValidationFailed
from supplychain.extensions import limiter
from supplychain.services.core import users
from supplychain.views.forms_support import attach_errors

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """Failed logins are also counted per account (the e-mail typed), whatever the address."""
    return "login-account:" + users.normalize_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    return response.status_code != 302


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    """Log in with e-mail and password; failures are rate-limited per address and per account, and audited."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = users.log_in(db.session, form.email.data, form.password.data, request.remote_addr)
        user = outcome.user
        db.session.commit()
        if outcome.refusal == "locked":
            form.form_errors.append(_("Your company is no longer in the supply chain (exited or blacklisted): "
                                      "the supplier portal is closed to its users."))
        elif user is None:
            form.form_errors.append(_("Wrong e-mail or password, or the account is deactivated."))
        else:
            session.clear()  # a fresh session on login: no fixation
            login_user(user, remember=form.remember.data)
            if user.locale:
                session["locale"] = user.locale
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST with CSRF, so a link elsewhere cannot log anyone out).

    The session ends on the server too: the account's session version changes, so a copy of the old
    session cookie or of the remember-me cookie no longer logs in (on any device)."""
    if current_user.is_authenticated:
        users.end_sessions(db.session, current_user, current_user, address=request.remote_addr)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Every logged-in user changes their own password; other sessions of the account end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(db.session, current_user, form.current.data, form.password.data,
                                      form.confirm.data, request.remote_addr)
        except ValidationFailed as failed:
            db.session.rollback()
            attach_errors(form, {key: [str(m) for m in messages] for key, messages in failed.errors.items()})
        else:
            db.session.commit()
            remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remember)  # this browser stays logged in
            flash(_("Your password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form, min_length=users.MIN_PASSWORD_LENGTH)
