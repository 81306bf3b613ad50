"""A clear 503 page when the database cannot be reached, is hung or times out (issue 14).

The page is rendered without touching the database: no current user is loaded, the language comes
from the session or the browser, and the template does not extend base.html (whose menu needs the user).
"""

from __future__ import annotations

import logging

from flask import g, render_template, request, session
from flask_babel import force_locale
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from supplychain.i18n import browser_language

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def unavailable(error):
    """The 503 page: the database is down, unreachable, hung or too slow; nothing was saved."""
    from supplychain import db
    from supplychain.extensions import login_manager

    log.error("database unavailable: %s", error)
    try:
        db.session.remove()  # the connection is broken: give it back (and let the pool drop it)
    except Exception:  # noqa: BLE001 - nothing more can be done about a dead connection here
        log.debug("could not release the database session", exc_info=True)
    g._login_user = login_manager.anonymous_user()  # so nothing later asks the database for the user
    try:
        language = session.get("locale")
    except Exception:  # noqa: BLE001 - a broken session cookie must not hide the real problem
        language = None
    if language not in ("zh", "zh_Hant", "en"):
        language = browser_language(request.accept_languages)
    with force_locale(language):
        page = render_template("errors/unavailable.html", lang=language)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def init_app(app) -> None:
    """Answer 503 for every database connection failure or timeout."""
    for error in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(error, unavailable)
