"""The changes feed: what changed since a cursor, so a platform keeps its supplier master in sync."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields, validate

from supplychain import db
from supplychain.services.integration import changes

from .auth import protected
from .schemas import CURSOR_RANGE, StrictSchema, UtcDateTime

blp = Blueprint("api_changes", __name__, url_prefix="/api/v1/changes",
                description="Changes to suppliers, qualifications, relationships, blacklist entries and "
                            "certificates, in commit order. Start with after=0 (or the cursor of a full "
                            "download), then ask again with next_cursor; no change is ever skipped.")


class FeedArgs(StrictSchema):
    """Where to resume."""

    after = fields.Integer(load_default=0, validate=CURSOR_RANGE,
                           metadata={"description": "The next_cursor of the previous page (0: from the start)."})
    limit = fields.Integer(load_default=changes.MAX_PAGE,
                           validate=validate.Range(min=1, max=changes.MAX_PAGE, error="Must be from 1 to 1000."))


class ChangeItem(StrictSchema):
    """One change: fetch the supplier again to see its new state."""

    cursor = fields.Integer(required=True)
    supplier_id = fields.Integer(required=True)
    credit_code = fields.String(allow_none=True)
    entity = fields.String(required=True, metadata={"enum": sorted(set(changes.WATCHED.values()))})
    entity_id = fields.Integer(allow_none=True)
    action = fields.String(required=True, metadata={"enum": ["created", "updated", "deleted"]})
    at = UtcDateTime(required=True)


class FeedPage(StrictSchema):
    """A page of changes."""

    changes = fields.List(fields.Nested(ChangeItem), required=True)
    next_cursor = fields.Integer(required=True)
    has_more = fields.Boolean(required=True)


@blp.route("")
class Changes(MethodView):
    """The feed."""

    @protected(blp, "changes:read")
    @blp.arguments(FeedArgs, location="query", unknown=RAISE)
    @blp.response(200, FeedPage)
    def get(self, args):
        """Changes after the cursor, oldest first, at most `limit` (1000)."""
        page = changes.feed(db.session, args["after"], args["limit"])
        return {"changes": [vars(c) for c in page.changes], "next_cursor": page.next_cursor,
                "has_more": page.has_more}
