"""Spend and receipt batches through HTTP: all or nothing, idempotent by external id, scoped to the client."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain.models import ReceiptLine, SpendLine
from tests.factories import gen_organisation, gen_supplier
from tests.integration_factories import bearer, gen_api_client


def _line(supplier, org, external_id="PO-2025-0001", amount="12500.00"):
    return {"external_id": external_id, "organisation": org.code, "category": "equipment", "month": "2025-03",
            "amount": amount, "currency": "CNY", "credit_code": supplier.credit_code, "order_count": 2}


def test_a_spend_batch_is_saved_once_and_a_changed_resend_is_a_conflict(client, session):
    org = gen_organisation(session, "CQ")
    supplier = gen_supplier(session, "qualified", organisation=org)
    _, token = gen_api_client(session, scopes=["spend:write"])
    session.commit()
    first = client.post("/api/v1/spend-batches", json={"lines": [_line(supplier, org)]}, headers=bearer(token))
    assert first.status_code == 201 and first.json == {"created": 1, "unchanged": 0}
    again = client.post("/api/v1/spend-batches", json={"lines": [_line(supplier, org)]}, headers=bearer(token))
    assert again.status_code == 201 and again.json == {"created": 0, "unchanged": 1}
    changed = client.post("/api/v1/spend-batches", json={"lines": [_line(supplier, org, amount="1.00")]},
                          headers=bearer(token))
    assert changed.status_code == 409 and changed.json["code"] == 409
    assert session.scalar(select(SpendLine.amount)) == 12500


def test_one_bad_line_saves_nothing_and_is_named(client, session):
    org = gen_organisation(session, "CQ")
    supplier = gen_supplier(session, "qualified", organisation=org)
    _, token = gen_api_client(session, scopes=["spend:write", "receipts:write"])
    session.commit()
    receipt = {"external_id": "GR-1", "organisation": org.code, "category": "equipment", "due_on": "2025-03-10",
               "received_on": "2025-03-10", "quantity_received": "10", "quantity_accepted": "9",
               "quantity_rejected": "1", "credit_code": supplier.credit_code}
    lines = [_line(supplier, org), _line(supplier, org, "PO-2", amount="-5")]
    response = client.post("/api/v1/spend-batches", json={"lines": lines}, headers=bearer(token))
    assert response.status_code == 422 and any(key.startswith("line 2") for key in response.json["errors"])
    assert session.scalar(select(func.count(SpendLine.id))) == 0
    saved = client.post("/api/v1/receipt-batches", json={"lines": [receipt]}, headers=bearer(token))
    assert saved.status_code == 201 and session.scalar(select(func.count(ReceiptLine.id))) == 1
    unknown = client.post("/api/v1/receipt-batches", json={"lines": [receipt], "colour": 1}, headers=bearer(token))
    assert unknown.status_code == 422 and "colour" in unknown.json["errors"]


def test_tokens_and_scopes_are_enforced(client, session):
    org = gen_organisation(session, "CQ")
    supplier = gen_supplier(session, "qualified", organisation=org)
    _, reader = gen_api_client(session, scopes=["suppliers:read"])
    other = gen_organisation(session, "SX")
    _, scoped = gen_api_client(session, scopes=["spend:write"], organisation=other)
    session.commit()
    body = {"lines": [_line(supplier, org)]}
    assert client.post("/api/v1/spend-batches", json=body).status_code == 401
    assert client.post("/api/v1/spend-batches", json=body, headers=bearer(reader)).status_code == 403
    outside = client.post("/api/v1/spend-batches", json=body, headers=bearer(scoped))
    assert outside.status_code == 422  # CQ is outside the client's organisation
    assert session.scalar(select(func.count(SpendLine.id))) == 0


def test_a_token_revoked_between_batches_saves_nothing_more(client, session):
    """A platform sending a file in several batches: the batches before the revocation stay whole, the next
    one is refused (401) and saves none of its lines."""
    from supplychain.models import ApiClient
    from supplychain.services.integration import api_clients

    org = gen_organisation(session, "CQ")
    supplier = gen_supplier(session, "qualified", organisation=org)
    api_client, token = gen_api_client(session, scopes=["spend:write"])
    session.commit()
    first = [_line(supplier, org, f"PO-A{n}") | {"month": f"2025-{n:02d}"} for n in range(1, 4)]
    assert client.post("/api/v1/spend-batches", json={"lines": first}, headers=bearer(token)).status_code == 201
    api_clients.revoke(session, session.get(ApiClient, api_client.id), None)
    session.commit()
    second = [_line(supplier, org, f"PO-B{n}") | {"month": f"2025-{n:02d}"} for n in range(4, 7)]
    assert client.post("/api/v1/spend-batches", json={"lines": second}, headers=bearer(token)).status_code == 401
    assert sorted(session.scalars(select(SpendLine.external_id))) == ["PO-A1", "PO-A2", "PO-A3"]
