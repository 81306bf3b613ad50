"""Purchase checks through HTTP: allow, warn, block with reasons; rules per category; logged on the supplier page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from supplychain.models import PurchaseCheck
from supplychain.services.integration import purchase_checks
from supplychain.services.registry import qualifications
from tests.evidence_factories import gen_action, gen_blacklist_entry, gen_certificate, gen_requirement
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
from tests.integration_factories import bearer, gen_api_client
from tests.web.helpers import login, post_form

TODAY = date.today()
pytestmark = pytest.mark.usefixtures("module_today")  # the services' today stays TODAY across midnight


def _supplier(session, status="qualified", qualification="qualified", **kwargs):
    supplier = gen_supplier(session, status=status, categories=["equipment"], **kwargs)
    if qualification:
        qualifications.record(session, supplier, supplier.categories[0].id, qualification, TODAY, None, None)
    return supplier


def _check(client, token, language="en", **body):
    payload = {"category": "equipment", "organisation": "GROUP", **body}
    return client.post("/api/v1/purchase-checks", json=payload, headers=bearer(token, language))


def test_a_qualified_supplier_is_allowed(client, session):
    supplier = _supplier(session)
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    response = _check(client, token, supplier_id=supplier.id, reference="PO-2026-001")
    assert response.status_code == 201
    assert response.json["outcome"] == "allow" and response.json["reasons"] == []
    assert response.json["credit_code"] == supplier.credit_code and response.json["organisation"] == "GROUP"


def test_a_blacklisted_supplier_is_blocked_with_the_reason(client, session):
    supplier = _supplier(session)
    gen_blacklist_entry(session, credit_code=supplier.credit_code, supplier=supplier)
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    response = _check(client, token, credit_code=supplier.credit_code)
    assert response.json["outcome"] == "block"
    assert response.json["reasons"][0]["code"] == "blacklisted"
    assert response.json["reasons"][0]["message"] == "Supplier blacklisted"


def test_a_conditional_supplier_with_overdue_actions_gets_a_warning(client, session):
    supplier = _supplier(session, status="conditional", qualification="conditional")
    gen_action(session, supplier, due_on=TODAY - timedelta(days=3))
    gen_action(session, supplier, due_on=TODAY + timedelta(days=3))
    gen_action(session, supplier, due_on=TODAY - timedelta(days=30), status="verified")
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    response = _check(client, token, supplier_id=supplier.id)
    assert response.json["outcome"] == "warn"
    assert [(r["code"], r["detail"]) for r in response.json["reasons"]] == [
        ("overdue_corrective_actions", {"count": 1})]
    zh = _check(client, token, language="zh", supplier_id=supplier.id)
    assert "逾期" in zh.json["reasons"][0]["message"]


def test_not_qualified_suspended_exited_and_expired_licence_block(client, session):
    category = gen_category(session, "equipment")
    gen_requirement(session, category, "certificate", "safety_production_licence")
    unqualified = _supplier(session, status="registered", qualification=None)
    suspended = _supplier(session, status="suspended", qualification="suspended")
    exited = _supplier(session, status="exited", qualification="exited")
    expired = _supplier(session)
    gen_certificate(session, expired, cert_type="safety_production_licence", expires_on=TODAY - timedelta(days=1))
    licensed = _supplier(session)
    gen_certificate(session, licensed, cert_type="safety_production_licence", expires_on=TODAY)
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()

    def codes(supplier):
        body = _check(client, token, supplier_id=supplier.id).json
        return body["outcome"], [r["code"] for r in body["reasons"]]

    assert codes(unqualified) == ("block", ["not_qualified", "licence_expired"])
    assert codes(suspended) == ("block", ["not_qualified", "supplier_suspended", "licence_expired"])
    assert codes(exited) == ("block", ["not_qualified", "supplier_exited", "licence_expired"])
    outcome, reasons = codes(expired)
    assert (outcome, reasons) == ("block", ["licence_expired"])
    assert codes(licensed) == ("allow", [])  # valid through its expiry day


def test_no_relationship_of_the_buying_organisation_warns(client, session):
    gen_organisation(session, "WEST")
    supplier = _supplier(session, organisation=gen_organisation(session, "EAST"))  # bought by EAST only
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    body = _check(client, token, supplier_id=supplier.id, organisation="WEST").json
    assert body["outcome"] == "warn" and [r["code"] for r in body["reasons"]] == ["no_relationship"]


def test_rules_per_category_change_the_outcome(client, session):
    supplier = _supplier(session, status="conditional", qualification="conditional")
    gen_action(session, supplier, due_on=TODAY - timedelta(days=3))
    category = supplier.categories[0]
    purchase_checks.set_rules(session, category, {"overdue_corrective_actions": "block"}, None)
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    assert _check(client, token, supplier_id=supplier.id).json["outcome"] == "block"


def test_bad_input_is_a_field_error_and_nothing_is_logged(client, session):
    known = _supplier(session).id
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    cases = [
        ({"supplier_id": 999999}, {"supplier_id": ["No such supplier in the group."]}),
        ({"supplier_id": "abc"}, {"supplier_id": ["Not a valid integer."]}),
        ({"supplier_id": known, "category": "nope"}, {"category": ["Unknown category code: nope."]}),
        ({"supplier_id": known, "organisation": "NOPE"}, {"organisation": ["Unknown organisation code: NOPE."]}),
        ({"supplier_id": known, "colour": "red"}, {"colour": ["Unknown field."]}),
        ({"supplier_id": 99999999999}, {"supplier_id": ["Must be a whole number from 1 to 2147483647."]}),
        ({"supplier_id": known, "category": "a\x00b"}, {"category": ["Contains characters that are not allowed."]}),
        ({}, {"supplier_id": ["Give the supplier's id or credit code."]}),
    ]
    for body, errors in cases:
        response = _check(client, token, **body)
        assert response.status_code == 422, body
        assert response.json["errors"] == errors, body
    missing = client.post("/api/v1/purchase-checks", json={}, headers=bearer(token))
    assert missing.json["errors"] == {"category": ["Missing data for required field."],
                                      "organisation": ["Missing data for required field."]}
    zh = client.post("/api/v1/purchase-checks", json={"colour": 1}, headers=bearer(token, "zh"))
    assert zh.json["errors"]["colour"] == ["未知字段。"]
    malformed = client.post("/api/v1/purchase-checks", data="{not json", content_type="application/json",
                            headers=bearer(token))
    assert malformed.status_code == 400 and malformed.json["code"] == 400
    huge = client.post("/api/v1/purchase-checks", data="x" * (2 * 1024 * 1024), content_type="application/json",
                       headers=bearer(token))
    assert huge.status_code == 413 and huge.json["code"] == 413
    assert session.scalars(select(PurchaseCheck)).all() == []


def test_checks_are_logged_and_shown_on_the_supplier_page(client, session):
    supplier = _supplier(session)
    gen_blacklist_entry(session, credit_code=supplier.credit_code, supplier=supplier)
    api_client, token = gen_api_client(session, scopes=["purchase-checks:write"], name="省采购平台")
    buyer_email = gen_user(session, "procurement").email
    supplier_id = supplier.id
    session.commit()
    _check(client, token, supplier_id=supplier_id, reference="RFQ-77")
    logged = session.scalars(select(PurchaseCheck)).one()
    assert (logged.outcome, logged.reference, logged.client_id) == ("block", "RFQ-77", api_client.id)
    login(client, buyer_email)
    page = client.get(f"/suppliers/{supplier_id}", headers={"Accept-Language": "en"}).text
    assert "Purchase checks" in page and "RFQ-77" in page and "省采购平台" in page and "Supplier blacklisted" in page


def test_an_admin_sets_the_rules_of_a_category(client, session):
    category = gen_category(session, "equipment")
    admin_email = gen_user(session, "admin").email
    category_id = category.id
    session.commit()
    login(client, admin_email)
    url = f"/admin/purchase-rules/{category_id}"
    values = {**purchase_checks.DEFAULT_RULES, "no_relationship": "block"}
    response = post_form(client, url, values)
    assert response.status_code == 302
    assert purchase_checks.rules_for(session, category_id)["no_relationship"] == "block"
    refused = post_form(client, url, {**values, "blacklisted": "allow"})
    assert refused.status_code == 200
    assert purchase_checks.rules_for(session, category_id)["blacklisted"] == "block"
    assert "allow" not in [c[0] for c in _choices(client.get(url).text, "blacklisted")]


def _choices(html: str, name: str) -> list:
    import re

    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html) and [
        (v,) for v in re.findall(r'<option[^>]*value="([^"]*)"', select_html)]


def test_every_fact_of_a_check_keeps_its_rule_when_read_in_one_statement(client, session):
    """Issue 10's speed reads a check's facts in one SELECT: renewals, deletions and the chain still count."""
    category = gen_category(session, "equipment")
    gen_requirement(session, category, "certificate", "safety_production_licence")
    gen_requirement(session, category, "certificate", "iso9001")
    east = gen_organisation(session, "EAST")
    site = gen_organisation(session, "EAST-SITE", parent=east, kind="project")
    supplier = _supplier(session, status="conditional", qualification="conditional", organisation=east)
    gen_certificate(session, supplier, cert_type="safety_production_licence", issued_on=date(2020, 1, 1),
                    expires_on=TODAY - timedelta(days=400))
    gen_certificate(session, supplier, cert_type="iso9001").deleted_at = datetime(2025, 1, 1, tzinfo=UTC)
    gen_certificate(session, supplier, cert_type="iso9001", issued_on=TODAY + timedelta(days=1))  # not yet issued
    gen_action(session, supplier, due_on=TODAY - timedelta(days=2)).deleted_at = datetime(2025, 1, 1, tzinfo=UTC)
    _, token = gen_api_client(session, scopes=["purchase-checks:write"])
    session.commit()
    body = _check(client, token, supplier_id=supplier.id, organisation="EAST-SITE").json
    # The site buys through its subsidiary's relationship; a deleted action is not overdue; the licence
    # expired, the deleted and the future ISO 9001 certificates are none: named in the usual order.
    assert [(r["code"], r["detail"]) for r in body["reasons"]] == [
        ("licence_expired", {"expired": ["safety_production_licence"], "missing": ["iso9001"]})]
    gen_certificate(session, supplier, cert_type="safety_production_licence", issued_on=TODAY - timedelta(days=30),
                    expires_on=TODAY + timedelta(days=300))  # renewed
    gen_certificate(session, supplier, cert_type="iso9001", expires_on=None)
    gen_action(session, supplier, due_on=TODAY - timedelta(days=1))
    session.commit()
    body = _check(client, token, supplier_id=supplier.id, organisation=site.code).json
    assert [(r["code"], r["detail"]) for r in body["reasons"]] == [("overdue_corrective_actions", {"count": 1})]
