"""One JSON error shape for every API response that is not a success.

``{"code": 422, "status": "Unprocessable Entity", "message": "...", "errors": {"field": ["message", ...]}}``:
the same shape flask-smorest documents as its default error, with per-field messages in the language of
``Accept-Language`` (zh or en). Service refusals (``ValidationFailed``) carry the forms' messages; the
schema library's own messages are translated through the table below.
"""

from __future__ import annotations

import logging

from flask import g, jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from supplychain import db
from supplychain.errors import ValidationFailed

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid API token: Authorization: Bearer <token>."),
    403: _l("This API client's scopes do not allow this call."),
    404: _l("There is nothing here, or it is not yours to see."),
    405: _l("This address does not accept that kind of request."),
    409: _l("This conflicts with what is already stored."),
    413: _l("The request body is larger than the allowed size."),
    415: _l("Send the body as JSON (Content-Type: application/json)."),
    422: _l("Some values are not valid: see errors."),
    429: _l("Too many calls: wait a minute and try again."),
    500: _l("Something went wrong on our side; nothing was saved."),
    503: _l("The database cannot be reached right now; nothing was saved. Try again in a minute."),
}
RETRY_AFTER_SECONDS = 30
# The schema library's messages (marshmallow, webargs) and the API schemas' own, in the reader's language.
LIBRARY_MESSAGES = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Unknown field.": _l("Unknown field."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid list.": _l("Not a valid list."),
    "Field may not be null.": _l("Field may not be null."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid value.": _l("Invalid value."),
    "Invalid JSON body.": _l("Invalid JSON body."),
    "Must be one of the listed values.": _l("Must be one of the listed values."),
    "Must be a whole number from 0 to 2147483647.": _l("Must be a whole number from 0 to 2147483647."),
    "Must be a whole number from 1 to 2147483647.": _l("Must be a whole number from 1 to 2147483647."),
    "Must be from 1 to 1000.": _l("Must be from 1 to 1000."),
    "Must be from 1 to 200.": _l("Must be from 1 to 200."),
    "Too long.": _l("Too long."),
    "Contains characters that are not allowed.": _l("Contains characters that are not allowed."),
}


def _text(message) -> str:
    text = str(message)
    return str(LIBRARY_MESSAGES.get(text, text))


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """{location: {field: [msgs]}} or nested field errors → {"field" or "field.0.sub": [msgs]}, translated."""
    result: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key)
            if not prefix and name in ("json", "query", "path", "form", "headers", "view_args"):
                name = ""  # the location is implied by the endpoint
            child = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for field, texts in flatten(value, child).items():
                result.setdefault(field, []).extend(texts)
    elif isinstance(messages, list | tuple):
        if all(not isinstance(m, dict | list | tuple) for m in messages):
            result[prefix or "request"] = [_text(m) for m in messages]
        else:
            for m in messages:
                for field, texts in flatten(m, prefix).items():
                    result.setdefault(field, []).extend(texts)
    else:
        result[prefix or "request"] = [_text(messages)]
    return result


def payload(code: int, name: str, message=None, errors: dict | None = None):
    """A JSON error response in the one shape."""
    body = {"code": code, "status": name, "message": str(message or MESSAGES.get(code, name))}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    return response


def handle_http(error: HTTPException):
    """Any HTTP error raised in an API endpoint (webargs' validation errors included)."""
    data = getattr(error, "data", None) or {}
    errors = flatten(data["messages"]) if data.get("messages") else None
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    response = payload(code, error.name, None, errors)
    for key, value in error.get_headers():
        if key.lower() != "content-type":  # e.g. Allow on a 405
            response.headers[key] = value
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if code == 429:
        response.headers.setdefault("Retry-After", "60")
    return response


def handle_validation(error: ValidationFailed):
    """A service refused the input: per-field messages, nothing saved."""
    db.session.rollback()
    errors = {field: [str(m) for m in messages] for field, messages in error.errors.items()}
    return payload(422, "Unprocessable Entity", None, errors)


def handle_server_error(_error):
    """Never a bare 500 page for a machine: the shape, and nothing saved."""
    db.session.rollback()
    return payload(500, "Internal Server Error")


def handle_unavailable(error):
    """The database is down, hung, or dropped the connection (a server restart): 503 in the one shape.

    The call is not logged (the log is in that database); the broken connection goes back to the pool,
    which replaces it, so the client's retry gets a fresh one.
    """
    log.error("database unavailable during an API call: %s", error)
    g.api_call_logged = True
    try:
        db.session.remove()
    except Exception:  # noqa: BLE001 - nothing more can be done about a dead connection here
        log.debug("could not release the database session", exc_info=True)
    response = payload(503, "Service Unavailable")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
