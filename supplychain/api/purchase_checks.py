"""Purchase checks: allow, warn or block a purchase of a category from a supplier by an organisation."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from supplychain import db
from supplychain.models import PURCHASE_OUTCOMES, PURCHASE_REASONS
from supplychain.services.integration import purchase_checks

from . import call_log
from .auth import current_client, protected, today
from .schemas import ID_RANGE, StrictSchema, Text, UtcDateTime

blp = Blueprint("api_purchase_checks", __name__, url_prefix="/api/v1/purchase-checks",
                description="Ask at the moment of an RFQ or purchase order; every check is logged.")


class CheckArgs(StrictSchema):
    """The purchase to check: the supplier by id or credit code."""

    supplier_id = fields.Integer(validate=ID_RANGE, allow_none=True, load_default=None)
    credit_code = Text(max_length=18, allow_none=True, load_default=None)
    category = Text(required=True, max_length=40, metadata={"description": "Supply category code."})
    organisation = Text(required=True, max_length=40, metadata={"description": "Code of the buying organisation."})
    reference = Text(max_length=100, allow_none=True, load_default=None,
                     metadata={"description": "Your RFQ or order number, kept with the log entry."})


class ReasonItem(StrictSchema):
    """Why the check warns or blocks."""

    code = fields.String(required=True, metadata={"enum": list(PURCHASE_REASONS)})
    outcome = fields.String(required=True, metadata={"enum": list(PURCHASE_OUTCOMES)})
    message = fields.String(required=True)
    detail = fields.Dict(required=True)


class CheckResult(StrictSchema):
    """The answer."""

    id = fields.Integer(required=True)
    outcome = fields.String(required=True, metadata={"enum": list(PURCHASE_OUTCOMES)})
    reasons = fields.List(fields.Nested(ReasonItem), required=True)
    supplier_id = fields.Integer(required=True)
    credit_code = fields.String(allow_none=True)
    category = fields.String(required=True)
    organisation = fields.String(required=True)
    checked_at = UtcDateTime(required=True)


@blp.route("")
class PurchaseChecks(MethodView):
    """Check a purchase."""

    @protected(blp, "purchase-checks:write")
    @blp.arguments(CheckArgs)
    @blp.response(201, CheckResult)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args):
        """allow, warn or block, with the reasons (rules per category, set by admins)."""
        request = purchase_checks.CheckRequest(**args)
        client = current_client()
        record = purchase_checks.check(db.session, request, today(), client_id=client.id)
        call_log.commit(201)
        return {"id": record.id, "outcome": record.outcome,
                "reasons": [{**r, "message": purchase_checks.reason_message(r)} for r in record.reasons],
                "supplier_id": record.supplier_id, "credit_code": record.supplier.credit_code,
                "category": record.category.code, "organisation": record.organisation.code,
                "checked_at": record.at}
