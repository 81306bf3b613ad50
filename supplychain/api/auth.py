"""Bearer tokens: who is calling, what it may do, what it may see."""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from supplychain import clock, db, scope
from supplychain.services.integration import api_clients

_UNSET = object()


def today() -> date:
    """Today's date for API answers (the same as the pages': the server's local date)."""
    return clock.today()


def current_client():
    """The API client of this request (authenticated once per request), or None."""
    client = g.get("api_client", _UNSET)
    if client is _UNSET:
        if g.get("api_database_error") is not None:
            raise g.api_database_error  # found by the rate limiter already: no second wait for the database
        header = request.headers.get("Authorization", "")
        kind, _, token = header.partition(" ")
        client = api_clients.authenticate(db.session, token.strip()) if kind.lower() == "bearer" else None
        g.api_client = client
    return client


def _client_for_limiter():
    """The client, for the rate limiter; a database outage is kept for the view to raise (its JSON 503).

    Raised inside the limiter, it would be taken for an outage of the limiter's storage: Flask-Limiter
    then falls back to memory, finds that storage healthy and tries again, waiting for the database each time.
    """
    try:
        return current_client()
    except (OperationalError, InterfaceError, PoolTimeout) as error:
        g.api_database_error = error
        return None


def rate_limit_key() -> str:
    """Calls are counted per client; calls without a valid token per address."""
    client = _client_for_limiter()
    return f"api-client:{client.id}" if client is not None else f"api-anonymous:{get_remote_address()}"


def rate_limit_value() -> str:
    """The client's own limit per minute (anonymous calls: a small one, they only get 401)."""
    client = _client_for_limiter()
    if client is not None:
        return f"{client.rate_limit}/minute"
    return current_app.config.get("API_ANONYMOUS_RATE_LIMIT", "120/minute")


def requires(scope_name: str):
    """Let a view run only for a client with this scope, inside the client's organisation scope."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            client = current_client()
            if client is None:
                abort(401)
            if scope_name not in client.scope_list:
                abort(403)
            scope.activate(db.session, api_clients.client_scope(db.session, client))
            return view(*args, **kwargs)

        wrapped.required_scope = scope_name
        return wrapped

    return decorator


BEARER = [{"bearerAuth": []}]
_DOCUMENTED_ERRORS = {"UNAUTHORIZED": 401, "FORBIDDEN": 403, "TOO_MANY_REQUESTS": 429}


def protected(blp, scope_name: str):
    """Require a bearer token with this scope, and document it (security, 401, 403, 429) in the OpenAPI."""

    def decorator(view):
        view = requires(scope_name)(view)
        view = blp.doc(security=BEARER, description=f"Scope: `{scope_name}`.")(view)
        for name, code in _DOCUMENTED_ERRORS.items():
            view = blp.alt_response(code, response=name)(view)
        return view

    return decorator
