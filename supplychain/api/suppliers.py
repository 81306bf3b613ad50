"""Suppliers: search the master and fetch one by id or credit code (within the client's organisation scope)."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields, validate

from supplychain import db
from supplychain.models import STATUSES, SUPPLIER_TYPES
from supplychain.services.integration import supplier_records

from .auth import protected, today
from .schemas import MAX_ID, StrictSchema, Text, UtcDateTime

blp = Blueprint("api_suppliers", __name__, url_prefix="/api/v1/suppliers",
                description="The supplier master within the client's organisation scope.")


class SearchArgs(StrictSchema):
    """Search parameters."""

    q = Text(load_default="", max_length=100, metadata={"description": "Words of the name or the credit code."})
    status = fields.String(load_default="", validate=validate.OneOf(("", *STATUSES),
                                                                     error="Must be one of the listed values."))
    category = Text(load_default="", max_length=40, metadata={"description": "A supply category code."})
    supplier_type = fields.String(load_default="", validate=validate.OneOf(
        ("", *SUPPLIER_TYPES), error="Must be one of the listed values."))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000, error="Must be from 1 to 1000."))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200, error="Must be from 1 to 200."))


class SupplierSummary(StrictSchema):
    """A supplier in a list."""

    id = fields.Integer(required=True)
    name_zh = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    credit_code = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    supplier_type = fields.String(required=True, metadata={"enum": list(SUPPLIER_TYPES)})
    region = fields.String(required=True)
    province_code = fields.String(allow_none=True)
    categories = fields.List(fields.String(), required=True)


class SupplierPage(StrictSchema):
    """One page of search results."""

    items = fields.List(fields.Nested(SupplierSummary), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class Blacklist(StrictSchema):
    """The supplier's blacklist state today."""

    blacklisted = fields.Boolean(required=True)
    since_on = fields.Date(allow_none=True)
    until_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)


class Qualification(StrictSchema):
    """Qualification for one supply category."""

    category = fields.String(required=True)
    status = fields.String(required=True)
    since_on = fields.Date(required=True)
    evaluation_id = fields.Integer(allow_none=True)


class Certificate(StrictSchema):
    """A certificate or licence in force or expired (renewed ones left out)."""

    type = fields.String(required=True)
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["valid", "expiring", "expired", "unverified"]})


class Grade(StrictSchema):
    """The latest final evaluation's grade within the client's scope."""

    grade = fields.String(required=True)
    evaluation_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    finalised_at = UtcDateTime(allow_none=True)


class Relationship(StrictSchema):
    """An organisation of the client's scope buys from the supplier."""

    organisation = fields.String(required=True)
    status = fields.String(required=True)
    since_on = fields.Date(required=True)
    until_on = fields.Date(allow_none=True)
    categories = fields.List(fields.String(), required=True)


class SupplierDocument(SupplierSummary):
    """Everything a platform needs before buying from the supplier."""

    country = fields.String(required=True)
    updated_at = UtcDateTime(allow_none=True)
    blacklist = fields.Nested(Blacklist, required=True)
    qualifications = fields.List(fields.Nested(Qualification), required=True)
    certificates = fields.List(fields.Nested(Certificate), required=True)
    latest_grade = fields.Nested(Grade, allow_none=True)
    relationships = fields.List(fields.Nested(Relationship), required=True)


@blp.route("/")
class SupplierList(MethodView):
    """Search suppliers."""

    @protected(blp, "suppliers:read")
    @blp.arguments(SearchArgs, location="query", unknown=RAISE)
    @blp.response(200, SupplierPage)
    def get(self, args):
        """Search suppliers by name or credit code, status and category."""
        page = supplier_records.search(db.session, args["q"], args["status"], args["category"], args["page"],
                                       args["per_page"], supplier_type=args["supplier_type"])
        return {"items": [supplier_records.summary(s) for s in page.items], "total": page.total,
                "page": page.page, "per_page": page.per_page, "pages": page.pages}


@blp.route("/<int:supplier_id>")
class SupplierById(MethodView):
    """One supplier by id."""

    @protected(blp, "suppliers:read")
    @blp.response(200, SupplierDocument)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, supplier_id: int):
        """A supplier's status, qualification per category, blacklist, certificates, grade and relationships."""
        supplier = supplier_records.get_by_id(db.session, supplier_id) if supplier_id <= MAX_ID else None
        if supplier is None:
            abort(404)
        return supplier_records.document(db.session, supplier, today())


@blp.route("/by-credit-code/<string:credit_code>")
class SupplierByCreditCode(MethodView):
    """One supplier by its Unified Social Credit Code."""

    @protected(blp, "suppliers:read")
    @blp.response(200, SupplierDocument)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, credit_code: str):
        """The same document, found by the 18-character credit code."""
        code = credit_code.strip().upper()
        supplier = (supplier_records.get_by_credit_code(db.session, code)
                    if len(code) == 18 and code.isalnum() and code.isascii() else None)
        if supplier is None:
            abort(404)
        return supplier_records.document(db.session, supplier, today())
