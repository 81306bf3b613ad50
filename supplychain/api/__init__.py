"""The REST API under /api/v1/: a second face on the same services (flask-smorest, marshmallow schemas).

Adding a resource: write ``supplychain/api/<resource>.py`` with a ``blp = Blueprint(...)`` whose views
use ``protected(blp, "<scope>")`` (from ``.auth``), add the module to ``RESOURCES`` below, and give its routes an
access expectation in ``tests/web/access/api.py``. Everything else (token, scope, organisation,
rate limit, call log, CSRF exemption, error shape, OpenAPI document) comes from here.
"""

from __future__ import annotations

from flask import Flask, request
from flask_smorest import Api
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from supplychain.errors import ValidationFailed
from supplychain.extensions import csrf, limiter

from . import call_log, errors
from .auth import protected, rate_limit_key, rate_limit_value

__all__ = ["PREFIX", "init_app", "protected"]

PREFIX = "/api/v1"
MAX_BODY_BYTES = 1024 * 1024


class SupplyChainApi(Api):
    """flask-smorest's Api without its app-wide error handler: HTML pages keep theirs, the API has its own."""

    def _register_error_handlers(self):
        """Error handlers are registered per API blueprint in init_app."""


def _resources() -> list:
    from . import changes, purchase_checks, purchasing, suppliers

    return [suppliers, changes, purchase_checks, purchasing]


RESOURCES = _resources


def _before():
    request.max_content_length = MAX_BODY_BYTES
    call_log.start()


def _after(response):
    # Every call is logged, with or without a valid token; a call that wrote has logged itself already.
    call_log.finish(response.status_code)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _json_for_api_paths(app: Flask) -> None:
    """Errors raised before routing (an unknown /api/ address) get the JSON shape too; the rest keep HTML."""
    previous = app.error_handler_spec[None][None].get(HTTPException)

    def handler(error: HTTPException):
        if request.path.startswith(PREFIX + "/") or request.path == PREFIX:
            return errors.handle_http(error)
        return previous(error) if previous else error

    app.register_error_handler(HTTPException, handler)


def init_app(app: Flask) -> None:
    """Register the API blueprints, the OpenAPI document and the reference page on the app."""
    # Calls without a valid token only ever get 401; the test suite makes many of them within a minute.
    app.config.setdefault("API_ANONYMOUS_RATE_LIMIT", "5000/minute" if app.testing else "120/minute")
    app.config.setdefault("API_TITLE", "Supply-chain ESG API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Supplier master, changes feed and purchase checks for procurement platforms. "
                                "Send `Authorization: Bearer <token>`; errors share one shape; "
                                "`Accept-Language: zh` or `en` picks the language of messages."},
        "servers": [{"url": "/"}],
    })
    api = SupplyChainApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for module in RESOURCES():
        blp = module.blp
        if not getattr(blp, "_supplychain_ready", False):  # blueprints are module-level: set up once
            blp.before_request(_before)
            blp.after_request(_after)
            blp.register_error_handler(ValidationFailed, errors.handle_validation)
            blp.register_error_handler(HTTPException, errors.handle_http)
            blp.register_error_handler(InternalServerError, errors.handle_server_error)
            for outage in (OperationalError, InterfaceError, PoolTimeout):
                blp.register_error_handler(outage, errors.handle_unavailable)
            if getattr(module, "RATE_LIMITED", True):
                limiter.limit(rate_limit_value, key_func=rate_limit_key)(blp)
            csrf.exempt(blp)  # bearer tokens, no cookies: CSRF cannot apply; every HTML form keeps it
            blp._supplychain_ready = True
        api.register_blueprint(blp)
    from . import docs

    app.register_blueprint(docs.bp)
    _json_for_api_paths(app)
