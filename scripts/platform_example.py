#!/usr/bin/env python3
"""A procurement platform in about 150 lines: finds every call in /api/v1/openapi.json, syncs the supplier
master through the changes feed, asks a purchase check for each supplier it learnt about, then uploads a
year of spend and receipts for the suppliers it may buy from (those not blocked).

    python scripts/platform_example.py http://localhost:5000 "$TOKEN" CATEGORY ORGANISATION [YEAR]

The token needs the scopes suppliers:read, changes:read, purchase-checks:write, spend:write and
receipts:write. The uploads are idempotent: each line's external id is derived from the supplier, the
organisation and the month, so running the script again sends the same lines and the API answers
"unchanged" for every one of them.

Standard library only. ``run`` takes a ``send(method, path, body) -> (status, json)`` function, so the
tests drive the same code through the WSGI app.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from datetime import date, timedelta


def http_sender(base_url: str, token: str):
    """A send() over HTTP with the bearer token."""

    def send(method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base_url.rstrip("/") + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    return send


def _schema(spec: dict, schema: dict) -> dict:
    """A schema with its $ref followed."""
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    return spec["components"]["schemas"].get(ref, {}) if ref else schema


def operations(spec: dict) -> dict:
    """The paths of the calls a platform needs, recognised by their parameters in the document."""
    found = {}
    for path, item in spec["paths"].items():
        get, post = item.get("get", {}), item.get("post", {})
        names = {p["name"] for p in get.get("parameters", []) + item.get("parameters", [])}
        if "after" in names:
            found["changes"] = path
        if "credit_code" in names or "{credit_code}" in path:
            found["by_credit_code"] = path
        body = (post.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema", {})
        properties = _schema(spec, body).get("properties", {})
        if {"category", "organisation"} <= set(properties):
            found["purchase_check"] = path
        line = set(_schema(spec, properties.get("lines", {}).get("items", {})).get("properties", {}))
        if {"external_id", "amount", "month"} <= line:
            found["spend_batches"] = path
            found["batch_size"] = properties["lines"].get("maxItems", 1000)
        if {"external_id", "due_on", "received_on", "quantity_accepted"} <= line:
            found["receipt_batches"] = path
    return found


def year_of_purchases(codes: list[str], category: str, organisation: str, year: int) -> tuple[list, list]:
    """What a platform knows of a year: per supplier and month one spend line and one received PO line.

    Deterministic: for the n-th supplier, the months where (month + n) % 6 == 0 arrive two days after the
    due day (two of twelve late) and the months divisible by 4 have 2 of 100 pieces rejected."""
    spend, receipts = [], []
    for n, code in enumerate(sorted(codes)):
        for month in range(1, 13):
            key = f"{organisation}-{code}-{year}-{month:02d}"
            spend.append({"external_id": f"SP-{key}", "credit_code": code, "organisation": organisation,
                          "category": category, "month": f"{year}-{month:02d}",
                          "amount": f"{10000 + 250 * n + 100 * month}.00", "currency": "CNY", "order_count": 2})
            due = date(year, month, 10)
            received = due + timedelta(days=2 if (month + n) % 6 == 0 else 0)
            rejected = 2 if month % 4 == 0 else 0
            receipts.append({"external_id": f"RC-{key}", "credit_code": code, "organisation": organisation,
                             "category": category, "po_line": f"PO-{key}/1", "due_on": due.isoformat(),
                             "received_on": received.isoformat(), "quantity_received": "100",
                             "quantity_accepted": str(100 - rejected), "quantity_rejected": str(rejected)})
    return spend, receipts


def upload(send, path: str, lines: list[dict], batch_size: int) -> dict[str, int]:
    """Send the lines in batches; the sum of what the API created and found unchanged."""
    total = {"created": 0, "unchanged": 0}
    for start in range(0, len(lines), batch_size):
        status, outcome = send("POST", path, {"lines": lines[start:start + batch_size]})
        assert status == 201, (status, outcome)
        total = {key: total[key] + outcome[key] for key in total}
    return total


def run(send, category: str, organisation: str, cursor: int = 0, year: int | None = None) -> dict:
    """Sync the master from the cursor, check a purchase from every supplier seen and, with a year, upload
    that year's spend and receipts of the suppliers not blocked; returns what it learnt and sent."""
    status, spec = send("GET", "/api/v1/openapi.json", None)
    assert status == 200, status
    paths = operations(spec)
    master: dict[str, dict] = {}
    while True:
        status, page = send("GET", f"{paths['changes']}?after={cursor}", None)
        assert status == 200, page
        for change in page["changes"]:
            code = change["credit_code"]
            if code:
                status, document = send("GET", paths["by_credit_code"].replace("{credit_code}", code), None)
                if status == 200:
                    master[code] = document
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    answers = {}
    for code in master:
        status, answer = send("POST", paths["purchase_check"],
                              {"credit_code": code, "category": category, "organisation": organisation})
        answers[code] = answer["outcome"] if status == 201 else f"error {status}"
    result = {"cursor": cursor, "master": master, "answers": answers}
    if year is not None:
        bought_from = [code for code, outcome in answers.items() if outcome in ("allow", "warn")]
        spend, receipts = year_of_purchases(bought_from, category, organisation, year)
        size = paths["batch_size"]
        result["spend"] = upload(send, paths["spend_batches"], spend, size) if spend else {}
        result["receipts"] = upload(send, paths["receipt_batches"], receipts, size) if receipts else {}
    return result


if __name__ == "__main__":
    base, token, category, organisation = sys.argv[1:5]
    year = int(sys.argv[5]) if len(sys.argv) > 5 else date.today().year - 1
    result = run(http_sender(base, token), category, organisation, year=year)
    for code, outcome in sorted(result["answers"].items()):
        print(f"{code}\t{result['master'][code]['name_zh']}\t{outcome}")
    print(f"{year}: spend lines {result['spend']}, receipt lines {result['receipts']}", file=sys.stderr)
    print(f"next cursor: {result['cursor']}", file=sys.stderr)
