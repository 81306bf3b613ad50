"""The supplier picker's suggestions: `/suppliers/lookup?q=…` answers JSON for static/js/supplier-picker.js."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from supplychain import db
from supplychain.security import STAFF, roles_required
from supplychain.services.registry import supplier_search

bp = Blueprint("picker", __name__, url_prefix="/suppliers")


@bp.route("/lookup")
@roles_required(*STAFF)
def lookup():
    """Up to ten suppliers whose names, credit code, pinyin or initials contain every word of `q`."""
    query = (request.args.get("q") or "")[:100]
    choices = supplier_search.lookup(db.session, query)
    response = jsonify({"query": query, "results": [choice.as_json() for choice in choices]})
    response.headers["Cache-Control"] = "private, no-store"
    return response
