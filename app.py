"""Application factory: `flask --app app run`, gunicorn "app:create_app()"."""

from __future__ import annotations

import os

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user

import config as settings
from supplychain import db
from supplychain.extensions import babel, bootstrap, csrf, limiter, login_manager
from supplychain.i18n import browser_language
from supplychain.security import add_security_headers

LANGUAGES = ("zh", "zh_Hant", "en")


def select_locale() -> str:
    """The user's setting, then the session's choice, then the browser's preference; Chinese by default."""
    languages = LANGUAGES
    if not has_request_context():  # CLI and jobs: SUPPLYCHAIN_LANG decides, Chinese by default
        return os.environ.get("SUPPLYCHAIN_LANG") if os.environ.get("SUPPLYCHAIN_LANG") in languages else "zh"
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return browser_language(request.accept_languages)


def home_province_code(value) -> str:
    """HOME_PROVINCE as a GB/T 2260 code ("广东省", "CN-GD" → "440000"); a value naming no province stops the
    app with RuntimeError instead of silently counting no local supplier."""
    from supplychain.regions import resolve_province_code

    try:
        return resolve_province_code(str(value or ""))
    except ValueError as exc:
        raise RuntimeError(f"HOME_PROVINCE: {exc}") from None


def create_app(config: dict | None = None, env: str | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests), `env` picks development/testing/production."""
    app = Flask("supplychain", instance_path=os.environ.get("INSTANCE_PATH") or None)
    app.config.update(settings.load(env, config))
    app.config["MAX_CONTENT_LENGTH"] = (int(app.config["MAX_UPLOAD_MB"]) + 1) * 1024 * 1024
    app.config["HOME_PROVINCE"] = home_province_code(app.config.get("HOME_PROVINCE"))
    if not app.config.get("RATELIMIT_STORAGE_URI_SET") and app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    from supplychain.outages import redis_options

    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", redis_options(app.config))

    from supplychain.i18n import compile_translations

    try:
        compile_translations()
    except OSError:  # a read-only install ships its compiled catalogue
        app.logger.warning("could not compile translations")
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        from supplychain.models import User

        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or str(user.session_version) != version:
            return None
        from supplychain.services.core.users import portal_locked

        if portal_locked(user):  # the supplier exited or was blacklisted since this session began
            return None
        return user

    from supplychain import hardening

    hardening.init_url_converters(app)
    hardening.init_app(app)

    from supplychain.views import register_blueprints

    register_blueprints(app)

    from supplychain import api

    api.init_app(app)  # the REST API under /api/v1/ (after the HTML error handlers, which it extends)

    from supplychain.cli import register_cli

    register_cli(app)

    from supplychain import template_helpers

    template_helpers.init_app(app)
    app.after_request(add_security_headers)

    @app.before_request
    def _remember_locale():
        g.locale = select_locale()

    @app.before_request
    def _activate_organisation_scope():
        # Staff see their organisation's subtree; supplier users are limited to their supplier by the portal.
        from flask_login import current_user

        from supplychain import scope

        if current_user.is_authenticated and current_user.is_staff:
            scope.activate(db.session, scope.for_organisation(db.session, current_user.organisation))

    return app
