"""Request hardening in one place: hostile input, the client address behind proxies, session lifetime,
caching of authenticated pages.

- A NUL byte anywhere in the address, the query string or a form (names and values, file names
  included) is a 400 before any view runs: PostgreSQL refuses NUL in text, and no legitimate field
  needs one.
- Record numbers are 32-bit: `<int:…>` in a route only matches 0 … 2³¹−1 (a bigger number is "not
  found"), and `request.args.get(name, type=int)` / `request.form.get(…, type=int)` answer 400 for a
  number outside that range, and for a year parameter (`year`, `…_year`) outside 1–9999, which no
  date can hold.
- `PROXY_COUNT` trusted reverse proxies (default 0) set the client address, scheme and host through
  Werkzeug's ProxyFix, so throttling and the signer IP of e-signatures see the real client.
- Remember-me cookies last `REMEMBER_DAYS` days.
- Whatever still reaches the database out of range (a DataError, or SQLite's OverflowError) is a 400
  with a message, the transaction rolled back: a safety net behind the forms' own checks.
- Pages for logged-in users are sent with `Cache-Control: no-store`.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, timedelta

from flask import Flask, Request, abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of the INTEGER primary keys on SQLite and PostgreSQL

NUL_MESSAGE = _l("The request contains a NUL character, which no field accepts.")
RANGE_MESSAGE = _l("A number in the request is out of range.")



def in_id_range(value: int) -> bool:
    """Whether a number fits the database's 32-bit record numbers (negative ones included)."""
    return -MAX_ID - 1 <= value <= MAX_ID


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, limited to 32-bit record numbers: a larger number matches no route (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - Werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)


def is_year_name(key: str) -> bool:
    """Whether a parameter names a year (`year`, `period_year`, …)."""
    return key == "year" or key.endswith("_year")


class BoundedMultiDict(ImmutableMultiDict):
    """Query-string and form values whose `get(…, type=int)` refuses (400) numbers outside the 32-bit
    range, and years (`year`, `…_year`) that no calendar date has (outside 1–9999)."""

    def get(self, key, default=None, type=None):  # noqa: A002 - the MultiDict signature
        """Like MultiDict.get; an int out of range is a bad request."""
        value = super().get(key, default=default, type=type)
        if type is int and isinstance(value, int) and value is not default:
            if not in_id_range(value) or (is_year_name(key) and not MINYEAR <= value <= MAXYEAR):
                abort(400, RANGE_MESSAGE)
        return value


class HardenedRequest(Request):
    """The app's request class: bounded integer parsing of query strings and forms."""

    parameter_storage_class = BoundedMultiDict


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


def refuse_nul_bytes():
    """before_request: 400 for a NUL byte in the path, the query string, form fields or uploaded file names."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400, NUL_MESSAGE)
    # Only form bodies are read here: a JSON body is left to the API, which sets its own size limit first.
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in FORM_TYPES:
        if _has_nul(request.form):
            abort(400, NUL_MESSAGE)
        if any("\x00" in key or "\x00" in (f.filename or "") for key, f in request.files.items(multi=True)):
            abort(400, NUL_MESSAGE)


def no_store_when_logged_in(response):
    """after_request: pages for a logged-in user are never kept by browsers or proxies."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        if "no-store" not in (response.headers.get("Cache-Control") or ""):  # keep "private, no-store"
            response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def out_of_range(_error):
    """errorhandler: a value the database cannot hold (a number past its integer range, a date past year
    9999) that slipped past the forms is the client's mistake: 400, and nothing of the request is saved."""
    from supplychain import db
    from supplychain.views.errors import error_page

    db.session.rollback()
    return error_page(400, RANGE_MESSAGE)


def init_url_converters(app: Flask) -> None:
    """Bounded `int` converter; must run before the blueprints register their routes."""
    app.url_map.converters["int"] = BoundedIntConverter


def init_app(app: Flask) -> None:
    """Install the request class, proxy handling, remember-me lifetime and the request/response hooks."""
    app.request_class = HardenedRequest
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies,
                                x_prefix=proxies)
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(app.config.get("REMEMBER_DAYS") or 14))
    app.before_request(refuse_nul_bytes)
    app.after_request(no_store_when_logged_in)
    app.register_error_handler(DataError, out_of_range)
    app.register_error_handler(OverflowError, out_of_range)
