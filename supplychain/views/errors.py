"""Friendly error pages in the user's language (never a bare 500 for user input)."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Forbidden"), _l("Your role does not allow this page.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The upload is larger than the allowed size.")),
    429: (_l("Too many attempts"), _l("Too many attempts: wait a minute and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side; nothing was saved.")),
}


def error_page(code: int, message=None):
    """The error page in the user's language, with an optional message instead of the generic one."""
    title, default = MESSAGES.get(code, (str(code), ""))
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def init_app(app) -> None:
    """Register the handlers."""
    from supplychain.views import conflicts, outages

    outages.init_app(app)
    conflicts.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return error_page(400, _l("The form expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code not in MESSAGES:
            return error
        # A message given to abort() explains this case better than the generic one.
        explained = error.description if error.description != type(error).description else None
        return error_page(error.code, explained)

    @app.errorhandler(500)
    def _server_error(_error):
        from supplychain import db

        db.session.rollback()
        return error_page(500)
