"""Serving stored files to the users allowed to see their supplier."""

from __future__ import annotations

import io

from flask import Blueprint, abort, request, send_file
from flask_login import current_user

from supplychain import db
from supplychain.models import Attachment
from supplychain.security import STAFF, roles_required
from supplychain.services.core import attachments
from supplychain.views import evidence_support
from supplychain.views.evidence_support import get_or_404

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
bp.record_once(evidence_support.install)


@bp.route("/<int:attachment_id>")
@roles_required(*STAFF, "supplier")
def download(attachment_id: int):
    """The file, inline for viewing or (?download=1) as a download, under its original name."""
    attachment = get_or_404(Attachment, attachment_id)
    if not attachments.can_view(current_user, attachment):
        abort(404)
    data = attachments.read(db.session, attachment, evidence_support.store())
    if data is None:
        abort(404)
    # send_file writes filename*=UTF-8''… (RFC 5987) for non-ASCII names, with an ASCII fallback.
    download = request.args.get("download") == "1"
    response = send_file(io.BytesIO(data), mimetype=attachment.content_type, as_attachment=download,
                         download_name=attachment.original_name, max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
