"""Every API route × (no token, wrong scope, another organisation's data); a new route without an entry fails."""

from __future__ import annotations

import pytest

from supplychain.models import API_SCOPES
from tests.factories import gen_category, gen_organisation, gen_supplier
from tests.integration_factories import bearer, gen_api_client

# endpoint: (method, scope it needs, whether its URL names a supplier)
API_ROUTES = {
    "api_suppliers.SupplierList": ("GET", "suppliers:read"),
    "api_suppliers.SupplierById": ("GET", "suppliers:read"),
    "api_suppliers.SupplierByCreditCode": ("GET", "suppliers:read"),
    "api_changes.Changes": ("GET", "changes:read"),
    "api_purchase_checks.PurchaseChecks": ("POST", "purchase-checks:write"),
    "api_purchasing.SpendBatches": ("POST", "spend:write"),
    "api_purchasing.ReceiptBatches": ("POST", "receipts:write"),
}
PUBLIC = {"api-docs.openapi_json", "api_reference.reference"}


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/") and rule.endpoint not in PUBLIC]


def test_every_api_route_has_an_access_entry(app):
    assert sorted(rule.endpoint for rule in _api_rules(app)) == sorted(API_ROUTES)


@pytest.fixture
def world(session):
    """Two subsidiaries, a supplier of each, and clients with every scope but one, and limited to NORTH."""
    north, south = gen_organisation(session, "NORTH"), gen_organisation(session, "SOUTH")
    gen_category(session, "equipment")
    mine = gen_supplier(session, name_zh="北方供应商有限公司", organisation=north)
    theirs = gen_supplier(session, name_zh="南方供应商有限公司", organisation=south)
    tokens = {scope: gen_api_client(session, [s for s in API_SCOPES if s != scope])[1] for scope in API_SCOPES}
    limited = gen_api_client(session, organisation=north)[1]
    session.commit()
    return {"mine": (mine.id, mine.credit_code), "theirs": (theirs.id, theirs.credit_code), "tokens": tokens,
            "limited": limited}


def _body(endpoint, supplier, organisation):
    line = {"external_id": f"X-{organisation}", "organisation": organisation, "category": "equipment",
            "credit_code": supplier[1]}
    if endpoint == "api_purchasing.SpendBatches":
        return {"lines": [line | {"month": "2025-03", "amount": "100.00", "currency": "CNY"}]}
    if endpoint == "api_purchasing.ReceiptBatches":
        return {"lines": [line | {"due_on": "2025-03-10", "received_on": "2025-03-09", "quantity_received": "5",
                                  "quantity_accepted": "5"}]}
    return {"supplier_id": supplier[0], "category": "equipment", "organisation": organisation}


def _call(client, app, endpoint, token, supplier, organisation="NORTH"):
    method, _scope = API_ROUTES[endpoint]
    rule = next(r for r in _api_rules(app) if r.endpoint == endpoint)
    values = {"supplier_id": supplier[0], "credit_code": supplier[1]}
    url = app.url_map.bind("localhost").build(endpoint, {k: values[k] for k in rule.arguments})
    headers = bearer(token) if token else {}
    if method == "POST":
        return client.post(url, json=_body(endpoint, supplier, organisation), headers=headers)
    return client.get(url, headers=headers)


@pytest.mark.parametrize("endpoint", sorted(API_ROUTES))
def test_no_token_is_401_and_a_missing_scope_403(app, client, world, endpoint):
    assert _call(client, app, endpoint, None, world["mine"]).status_code == 401
    wrong = world["tokens"][API_ROUTES[endpoint][1]]
    response = _call(client, app, endpoint, wrong, world["mine"])
    assert response.status_code == 403 and response.json["code"] == 403


@pytest.mark.parametrize("endpoint", sorted(API_ROUTES))
def test_another_organisations_data_is_not_found(app, client, world, endpoint):
    own = _call(client, app, endpoint, world["limited"], world["mine"])
    assert own.status_code in (200, 201)
    other = _call(client, app, endpoint, world["limited"], world["theirs"], organisation="SOUTH")
    rule = next(r for r in _api_rules(app) if r.endpoint == endpoint)
    if rule.arguments:
        assert other.status_code == 404
    elif API_ROUTES[endpoint][0] == "POST":
        # Buying for an organisation outside the client's subtree: refused, nothing logged.
        assert other.status_code == 422 and any("organisation" in key for key in other.json["errors"])
    else:
        assert "南方供应商有限公司" not in other.text and str(world["theirs"][1]) not in other.text
