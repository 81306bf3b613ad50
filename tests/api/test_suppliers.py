"""Suppliers through HTTP: search, fetch by id and credit code, the document, the client's organisation scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from supplychain.services.registry import qualifications, relationships
from tests.evaluation_factories import gen_evaluation
from tests.evidence_factories import gen_blacklist_entry, gen_certificate
from tests.factories import gen_organisation, gen_supplier
from tests.integration_factories import bearer, gen_api_client


def _qualify(session, supplier, status="qualified"):
    qualifications.record(session, supplier, supplier.categories[0].id, status, date(2025, 3, 1), None,
                          None).since_on = date(2025, 3, 1)


def test_fetch_by_id_and_by_credit_code_return_the_whole_document(client, session):
    supplier = gen_supplier(session, status="qualified", categories=["equipment"])
    _qualify(session, supplier)
    gen_certificate(session, supplier, cert_type="iso9001", expires_on=date.today() - timedelta(days=1))
    evaluation = gen_evaluation(session, supplier=supplier)
    evaluation.status, evaluation.grade, evaluation.finalised_at = "final", "B", datetime(2025, 12, 1, tzinfo=UTC)
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()
    by_id = client.get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(token))
    assert by_id.status_code == 200
    doc = by_id.json
    assert doc["credit_code"] == supplier.credit_code and doc["status"] == "qualified"
    assert doc["qualifications"] == [{"category": "equipment", "status": "qualified", "since_on": "2025-03-01",
                                      "evaluation_id": None}]
    assert doc["blacklist"] == {"blacklisted": False, "since_on": None, "until_on": None, "reason": None}
    assert [(c["type"], c["status"]) for c in doc["certificates"]] == [("iso9001", "expired")]
    assert doc["latest_grade"]["grade"] == "B" and doc["latest_grade"]["evaluation_id"] == evaluation.id
    assert [r["organisation"] for r in doc["relationships"]] == ["GROUP"]
    by_code = client.get(f"/api/v1/suppliers/by-credit-code/{supplier.credit_code.lower()}", headers=bearer(token))
    assert by_code.status_code == 200 and by_code.json == doc


def test_blacklist_state_is_reported(client, session):
    supplier = gen_supplier(session)
    gen_blacklist_entry(session, credit_code=supplier.credit_code, supplier=supplier, reason="bribery")
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()
    doc = client.get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(token)).json
    assert doc["status"] == "blacklisted"
    assert doc["blacklist"]["blacklisted"] is True and doc["blacklist"]["reason"] == "bribery"


def test_search_by_name_status_and_category(client, session):
    gen_supplier(session, name_zh="重庆甲钢铁有限公司", status="qualified", categories=["raw_materials"])
    gen_supplier(session, name_zh="重庆乙钢铁有限公司", status="suspended", categories=["raw_materials"])
    gen_supplier(session, name_zh="成都丙设备有限公司", status="qualified", categories=["equipment"])
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()

    def names(**query):
        response = client.get("/api/v1/suppliers/", query_string=query, headers=bearer(token))
        assert response.status_code == 200
        return sorted(item["name_zh"] for item in response.json["items"])

    assert names(q="钢铁") == ["重庆乙钢铁有限公司", "重庆甲钢铁有限公司"]
    assert names(q="钢铁", status="qualified") == ["重庆甲钢铁有限公司"]
    assert names(category="equipment") == ["成都丙设备有限公司"]
    page = client.get("/api/v1/suppliers/", query_string={"per_page": 2}, headers=bearer(token)).json
    assert page["total"] == 3 and page["pages"] == 2 and len(page["items"]) == 2


def test_a_client_limited_to_an_organisation_sees_only_its_subtree(client, session):
    north = gen_organisation(session, "NORTH")
    south = gen_organisation(session, "SOUTH")
    site = gen_organisation(session, "NORTH-SITE", parent=north, kind="project")
    shared = gen_supplier(session, name_zh="共享供应商有限公司", organisation=site)
    relationships.ensure(session, south.id, shared, None, date.today())
    southern = gen_supplier(session, name_zh="南方独家有限公司", organisation=south)
    _, token = gen_api_client(session, scopes=["suppliers:read"], organisation=north)
    session.commit()
    doc = client.get(f"/api/v1/suppliers/{shared.id}", headers=bearer(token)).json
    # Relationships within the client's scope only: the site's, not the other subsidiary's.
    assert [r["organisation"] for r in doc["relationships"]] == ["NORTH-SITE"]
    assert client.get(f"/api/v1/suppliers/{southern.id}", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/suppliers/by-credit-code/{southern.credit_code}",
                      headers=bearer(token)).status_code == 404
    listed = client.get("/api/v1/suppliers/", headers=bearer(token)).json
    assert [item["name_zh"] for item in listed["items"]] == ["共享供应商有限公司"]


def test_unknown_or_out_of_range_ids_are_404(client, session):
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()
    assert client.get("/api/v1/suppliers/by-credit-code/%00", headers=bearer(token)).status_code == 400  # NUL byte
    for path in ("/api/v1/suppliers/0", "/api/v1/suppliers/999999", "/api/v1/suppliers/99999999999999999999",
                 "/api/v1/suppliers/by-credit-code/nope"):
        response = client.get(path, headers=bearer(token))
        assert response.status_code == 404, path
        assert response.json["code"] == 404


def test_relationships_carry_their_categories_in_order_and_an_empty_list_without_any(client, session):
    north = gen_organisation(session, "NORTH")
    south = gen_organisation(session, "SOUTH")
    supplier = gen_supplier(session, categories=["equipment", "components"], organisation=south)
    relationship = relationships.ensure(session, north.id, supplier, None, date.today())
    relationship.categories = list(supplier.categories)
    _, token = gen_api_client(session, scopes=["suppliers:read"])
    session.commit()
    doc = client.get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(token)).json
    by_organisation = {r["organisation"]: r for r in doc["relationships"]}
    assert [r["organisation"] for r in doc["relationships"]] == sorted(by_organisation)
    assert by_organisation["NORTH"]["categories"] == ["components", "equipment"]
    assert by_organisation["NORTH"]["status"] == "active" and by_organisation["NORTH"]["until_on"] is None
    assert all(isinstance(r["categories"], list) for r in doc["relationships"])


def test_the_document_leaves_out_renewed_deleted_and_lifted_records_and_other_organisations_grades(client, session):
    """The document's facts come from one statement (issue 10's speed): each fact keeps its own rules."""
    north = gen_organisation(session, "NORTH")
    south = gen_organisation(session, "SOUTH")
    supplier = gen_supplier(session, status="qualified", categories=["equipment", "components"], organisation=north)
    relationships.ensure(session, south.id, supplier, None, date.today())
    old = gen_certificate(session, supplier, cert_type="iso14001", expires_on=date.today() - timedelta(days=5))
    renewed = gen_certificate(session, supplier, cert_type="iso14001", expires_on=date.today() + timedelta(days=30),
                              verified_on=None)
    gen_certificate(session, supplier, cert_type="iso9001").deleted_at = datetime(2025, 1, 1, tzinfo=UTC)
    northern = gen_evaluation(session, supplier=supplier)
    southern = gen_evaluation(session, supplier=supplier, period=("year", 2024, 1))
    lifted = gen_blacklist_entry(session, supplier=supplier, reason="bribery")
    lifted.lifted_at, supplier.status = datetime(2025, 1, 2, tzinfo=UTC), "qualified"
    for evaluation, organisation, grade, day in ((northern, north, "B", 1), (southern, south, "A", 2)):
        evaluation.status, evaluation.grade = "final", grade
        evaluation.organisation_id, evaluation.finalised_at = organisation.id, datetime(2025, 12, day, tzinfo=UTC)
    _, whole_group = gen_api_client(session, scopes=["suppliers:read"])
    _, northern_client = gen_api_client(session, scopes=["suppliers:read"], organisation=north)
    session.commit()
    doc = client.get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(whole_group)).json
    assert doc["categories"] == ["components", "equipment"]
    assert [(c["type"], c["number"], c["status"]) for c in doc["certificates"]] == [
        ("iso14001", renewed.number, "unverified")]
    assert old.number not in str(doc)
    assert doc["blacklist"]["blacklisted"] is False
    assert doc["latest_grade"]["evaluation_id"] == southern.id
    assert [r["organisation"] for r in doc["relationships"]] == ["GROUP", "NORTH", "SOUTH"]
    scoped = client.get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(northern_client)).json
    assert scoped["latest_grade"] == {"grade": "B", "evaluation_id": northern.id, "kind": "periodic",
                                      "finalised_at": "2025-12-01T00:00:00+00:00"}
    assert [r["organisation"] for r in scoped["relationships"]] == ["NORTH"]
