"""Spend and delivery figures (/spend/): suppliers with spend, regions and local share, critical suppliers,
spend-weighted coverage and delivery rates, each drilling down to its ledger or receipt lines."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l

from supplychain import db
from supplychain.clock import today
from supplychain.currencies import is_currency
from supplychain.security import STAFF, roles_required
from supplychain.services.purchasing import receipts, spend_figures

bp = Blueprint("spend", __name__, url_prefix="/spend")
MENU = [("spend.index", _l("Spend"), STAFF)]
LINE_LIMIT = 1000


def _year_and_currency() -> tuple[int, str]:
    """?year= (default this year) and ?currency= (default CNY); a malformed value is a 404, not a 500."""
    raw_year = request.args.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 1900 <= int(raw_year) <= 2999 else None
    if raw_year and year is None:
        abort(404)
    currency = (request.args.get("currency") or spend_figures.DEFAULT_CURRENCY).upper()[:3]
    if not is_currency(currency):
        abort(404)
    return year or today().year, currency


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Every spend figure of a year and currency, and the delivery rates of the year, within the user's scope."""
    year, currency = _year_and_currency()
    figures = spend_figures.figures(db.session, year, currency)
    rates = receipts.rates(db.session, date(year, 1, 1), date(year, 12, 31))
    return render_template("spend/index.html", figures=figures, rates=rates,
                           currencies=spend_figures.currencies(db.session, year))


@bp.route("/lines")
@roles_required(*STAFF)
def lines():
    """The ledger lines behind one figure (?figure=total|supplier|region|local|critical|coverage&key=)."""
    year, currency = _year_and_currency()
    figure = request.args.get("figure", "total")
    key = request.args.get("key", "")[:40]
    spend_filter = spend_figures.drill_filter(db.session, year, currency, figure, key)
    if spend_filter is None:
        abort(404)
    found = spend_figures.lines(db.session, spend_filter, LINE_LIMIT + 1)
    return render_template("spend/lines.html", lines=found[:LINE_LIMIT], more=len(found) > LINE_LIMIT,
                           year=year, currency=currency, figure=figure, key=key)


@bp.route("/receipts")
@roles_required(*STAFF)
def receipt_lines():
    """The receipt lines behind a supplier's delivery rates in a year (?supplier=ID), or all of the year's."""
    year, _currency = _year_and_currency()
    raw = request.args.get("supplier", "")
    if raw and not raw.isdigit():
        abort(404)
    start, end = date(year, 1, 1), date(year, 12, 31)
    found = (receipts.lines_for(db.session, int(raw), start, end) if raw
             else receipts.all_lines(db.session, start, end, LINE_LIMIT + 1))
    return render_template("spend/receipts.html", lines=found[:LINE_LIMIT], more=len(found) > LINE_LIMIT,
                           year=year)
