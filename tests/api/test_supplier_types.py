"""The supplier type through the API: in every summary and document, and as a search parameter."""

from __future__ import annotations

from tests.factories import gen_supplier
from tests.integration_factories import bearer, gen_api_client


def test_search_by_type_and_read_it_in_the_document(client, session):
    contractor = gen_supplier(session, name_zh="重庆建工劳务分包有限公司", supplier_type="contractor")
    gen_supplier(session, name_zh="重庆机械制造有限公司")
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()
    page = client.get("/api/v1/suppliers/", query_string={"supplier_type": "contractor"}, headers=bearer(token))
    assert page.status_code == 200
    assert [(item["id"], item["supplier_type"]) for item in page.json["items"]] == [(contractor.id, "contractor")]
    document = client.get(f"/api/v1/suppliers/{contractor.id}", headers=bearer(token)).json
    assert document["supplier_type"] == "contractor"
    everyone = client.get("/api/v1/suppliers/", headers=bearer(token)).json
    assert sorted(item["supplier_type"] for item in everyone["items"]) == ["contractor", "manufacturer"]
    refused = client.get("/api/v1/suppliers/", query_string={"supplier_type": "builder"}, headers=bearer(token))
    assert refused.status_code == 422 and "supplier_type" in refused.get_data(as_text=True)
