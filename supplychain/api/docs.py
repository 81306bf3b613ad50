"""The API reference page, rendered on the server from the OpenAPI document (no CDN, no script).

The document (openapi.json) stays in English for machines; the page words its summaries and descriptions in the
reader's language (DOC_TEXTS) and shows their `code` spans as code. Paths, field names, types and scopes stay as
they are.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")

#: The document's English texts (the views' docstrings, the schemas' descriptions, flask-smorest's pagination
#: and error schemas) in the reader's language; a text not listed is shown as written.
DOC_TEXTS = {
    # Endpoints
    "Changes after the cursor, oldest first, at most `limit` (1000).":
        _l("Changes after the cursor, oldest first, at most `limit` (1000)."),
    "allow, warn or block, with the reasons (rules per category, set by admins).":
        _l("`allow`, `warn` or `block`, with the reasons (rules per category, set by admins)."),
    "Record a batch of receipt lines; all or nothing.": _l("Record a batch of receipt lines; all or nothing."),
    "Record a batch of spend lines; all or nothing.": _l("Record a batch of spend lines; all or nothing."),
    "Search suppliers by name or credit code, status and category.":
        _l("Search suppliers by name or credit code, status and category."),
    "The same document, found by the 18-character credit code.":
        _l("The same document, found by the 18-character credit code."),
    "A supplier's status, qualification per category, blacklist, certificates, grade and relationships.":
        _l("A supplier's status, qualification per category, blacklist, certificates, grade and relationships."),
    # Parameters and fields
    "The next_cursor of the previous page (0: from the start).":
        _l("The `next_cursor` of the previous page (0: from the start)."),
    "Words of the name or the credit code.": _l("Words of the name or the credit code."),
    "A supply category code.": _l("A supply category code."),
    "Supply category code.": _l("A supply category code."),
    "Code of the buying organisation.": _l("Code of the buying organisation."),
    "Code of the paying organisation.": _l("Code of the paying organisation."),
    "Your RFQ or order number, kept with the log entry.": _l("Your RFQ or order number, kept with the log entry."),
    'Decimal amount, e.g. "12500.00".': _l("Decimal amount, e.g. `12500.00`."),
    "ISO 4217, e.g. CNY.": _l("ISO 4217 currency code, e.g. `CNY`."),
    "YYYY-MM": _l("Month: `YYYY-MM`"),
    "YYYY-MM-DD": _l("Date: `YYYY-MM-DD`"),
    "Current page number.": _l("Current page number."),
    "First available page number.": _l("First available page number."),
    "Last available page number.": _l("Last available page number."),
    "Next page number.": _l("Next page number."),
    "Previous page number.": _l("Previous page number."),
    "Total number of items.": _l("Total number of items."),
    "Total number of pages.": _l("Total number of pages."),
    "Error code": _l("HTTP status code"),
    "Error name": _l("HTTP status name"),
    "Error message": _l("Message in the language of `Accept-Language`"),
    "Errors": _l("Messages per field"),
}
#: What each response status means for a client (the HTTP reason phrase stays beside it, as the JSON's "status").
RESPONSE_TEXTS = {
    "200": _l("Success"),
    "201": _l("Stored"),
    "401": _l("No valid token"),
    "403": _l("Outside the client's scopes"),
    "404": _l("Not found, or not yours to see"),
    "409": _l("Conflicts with what is already stored"),
    "422": _l("Some values are not valid"),
    "429": _l("Too many calls"),
    "default": _l("Any other error"),
}
_SCOPE = re.compile(r"Scope: `([^`]+)`\.")
_CODE = re.compile(r"`([^`]+)`")


def inline_markdown(text: str) -> Markup:
    """A text with Markdown `code` spans as HTML: escaped, each span in <code>; nothing else is interpreted."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def doc_text(text: str | None) -> Markup:
    """One of the document's texts in the reader's language, ready for the page."""
    if not text:
        return Markup("")
    scope = _SCOPE.fullmatch(text.strip())
    if scope is not None:
        return Markup("{} <code>{}</code>").format(_l("Scope:"), scope.group(1))
    return inline_markdown(str(DOC_TEXTS.get(text, text)))


def _ref_name(schema: dict | None) -> str:
    if not schema:
        return ""
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    return ref.rsplit("/", 1)[-1]


@bp.route("/")
def reference():
    """Every endpoint with its parameters, body, responses and scope; every schema with its fields."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for status, response in sorted(op.get("responses", {}).items()):
                if "$ref" in response:
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = spec["components"]["responses"].get(name, {})
                schema = (response.get("content") or {}).get("application/json", {}).get("schema")
                meaning = RESPONSE_TEXTS.get(str(status))
                responses.append((status, meaning if meaning is not None else doc_text(response.get("description")),
                                  _ref_name(schema)))
            operations.append({"method": method.upper(), "path": path, "summary": doc_text(op.get("summary")),
                               "description": doc_text(op.get("description")), "tags": op.get("tags", []),
                               "parameters": op.get("parameters", []), "body": _ref_name(body),
                               "responses": responses, "secured": bool(op.get("security"))})
    schemas = sorted(spec.get("components", {}).get("schemas", {}).items())
    return render_template("api/reference.html", spec=spec, operations=operations, schemas=schemas,
                           doc_text=doc_text)
