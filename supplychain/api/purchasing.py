"""Spend and receipt batches from procurement platforms and ERPs: idempotent by the sender's external id.

A batch is all or nothing: one bad line saves nothing and is named (422); a line whose external id is
already stored with other content is a conflict (409), never an overwrite; the same content again is a
no-op, so a platform can safely resend a batch after a timeout.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from supplychain import db, jobs
from supplychain.services.purchasing import receipts, spend
from supplychain.services.purchasing.batches import BatchRejected
from supplychain.services.risk import recompute_job

from . import call_log
from .auth import protected
from .errors import payload
from .schemas import ID_RANGE, StrictSchema, Text

MAX_LINES = 5000

blp = Blueprint("api_purchasing", __name__, url_prefix="/api/v1",
                description="Spend and receipt lines, sent in batches (idempotent by external id).")


class SpendLineArgs(StrictSchema):
    """One spend line: an organisation paid a supplier for a category in a month."""

    external_id = Text(required=True, max_length=100)
    organisation = Text(required=True, max_length=40, metadata={"description": "Code of the paying organisation."})
    category = Text(required=True, max_length=40)
    month = Text(required=True, max_length=7, metadata={"description": "YYYY-MM"})
    amount = Text(required=True, max_length=30, metadata={"description": "Decimal amount, e.g. \"12500.00\"."})
    currency = Text(required=True, max_length=3, metadata={"description": "ISO 4217, e.g. CNY."})
    order_count = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**6))
    credit_code = Text(max_length=18, load_default="")
    supplier_id = fields.Integer(validate=ID_RANGE, allow_none=True, load_default=None)


class ReceiptLineArgs(StrictSchema):
    """One received purchase-order line and what incoming inspection decided."""

    external_id = Text(required=True, max_length=100)
    organisation = Text(required=True, max_length=40)
    category = Text(required=True, max_length=40)
    due_on = Text(required=True, max_length=10, metadata={"description": "YYYY-MM-DD"})
    received_on = Text(required=True, max_length=10, metadata={"description": "YYYY-MM-DD"})
    quantity_received = Text(required=True, max_length=20)
    quantity_accepted = Text(required=True, max_length=20)
    quantity_rejected = Text(load_default="0", max_length=20)
    credit_code = Text(max_length=18, load_default="")
    supplier_id = fields.Integer(validate=ID_RANGE, allow_none=True, load_default=None)
    po_line = Text(max_length=100, load_default="")


class SpendBatchArgs(StrictSchema):
    """Up to 5,000 spend lines."""

    lines = fields.List(fields.Nested(SpendLineArgs), required=True, validate=validate.Length(min=1, max=MAX_LINES))


class ReceiptBatchArgs(StrictSchema):
    """Up to 5,000 receipt lines."""

    lines = fields.List(fields.Nested(ReceiptLineArgs), required=True, validate=validate.Length(min=1, max=MAX_LINES))


class BatchOutcome(StrictSchema):
    """What the batch did."""

    created = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


def _record(service, inputs):
    try:
        result = service.record_batch(db.session, inputs, None)
    except BatchRejected as rejected:
        db.session.rollback()
        errors = {field: [str(m) for m in messages] for field, messages in rejected.errors.items()}
        return payload(409 if rejected.conflict else 422, "Conflict" if rejected.conflict else "Unprocessable Entity",
                       None, errors)
    call_log.commit(201)
    if service is spend and result.created:
        # New spend moves every supplier's share of the group's spend, not only the batch's suppliers (those
        # were recomputed with the batch): one whole recompute in the background, not one per batch.
        jobs.enqueue_once(db.session, current_app._get_current_object(), recompute_job.KIND, {}, None)
    return {"created": result.created, "unchanged": result.unchanged}


@blp.route("/spend-batches")
class SpendBatches(MethodView):
    """Send spend lines."""

    @protected(blp, "spend:write")
    @blp.arguments(SpendBatchArgs)
    @blp.response(201, BatchOutcome)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args):
        """Record a batch of spend lines; all or nothing."""
        inputs = [spend.SpendInput(**line, line=n) for n, line in enumerate(args["lines"], start=1)]
        return _record(spend, inputs)


@blp.route("/receipt-batches")
class ReceiptBatches(MethodView):
    """Send receipt lines."""

    @protected(blp, "receipts:write")
    @blp.arguments(ReceiptBatchArgs)
    @blp.response(201, BatchOutcome)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args):
        """Record a batch of receipt lines; all or nothing."""
        inputs = [receipts.ReceiptInput(**line, line=n) for n, line in enumerate(args["lines"], start=1)]
        return _record(receipts, inputs)
