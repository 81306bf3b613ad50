#!/usr/bin/env python3
"""A procurement platform in 80 lines: finds every call in /api/v1/openapi.json, syncs the supplier master
through the changes feed, and asks a purchase check for each supplier it learnt about.

    python scripts/platform_example.py http://localhost:5000 "$TOKEN" CATEGORY ORGANISATION

Standard library only. ``run`` takes a ``send(method, path, body) -> (status, json)`` function, so the
tests drive the same code through the WSGI app.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request


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


def operations(spec: dict) -> dict[str, str]:
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
        ref = body.get("$ref", "").rsplit("/", 1)[-1]
        properties = spec["components"]["schemas"].get(ref, {}).get("properties", {})
        if {"category", "organisation"} <= set(properties):
            found["purchase_check"] = path
    return found


def run(send, category: str, organisation: str, cursor: int = 0) -> dict:
    """Sync the master from the cursor, then check a purchase from every supplier seen; returns what it learnt."""
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
    return {"cursor": cursor, "master": master, "answers": answers}


if __name__ == "__main__":
    base, token, category, organisation = sys.argv[1:5]
    result = run(http_sender(base, token), category, organisation)
    for code, outcome in sorted(result["answers"].items()):
        print(f"{code}\t{result['master'][code]['name_zh']}\t{outcome}")
    print(f"next cursor: {result['cursor']}", file=sys.stderr)
