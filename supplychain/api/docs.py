"""The API reference page, rendered on the server from the OpenAPI document (no CDN, no script)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")


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
                responses.append((status, response.get("description", ""), _ref_name(schema)))
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                               "description": op.get("description", ""), "tags": op.get("tags", []),
                               "parameters": op.get("parameters", []), "body": _ref_name(body),
                               "responses": responses, "secured": bool(op.get("security"))})
    schemas = sorted(spec.get("components", {}).get("schemas", {}).items())
    return render_template("api/reference.html", spec=spec, operations=operations, schemas=schemas)
