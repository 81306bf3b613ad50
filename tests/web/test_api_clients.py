"""API clients in the admin pages (token shown once, rotate, revoke, errors per field) and on the command line."""

from __future__ import annotations

import re

from sqlalchemy import select

from supplychain.models import ApiClient, AuditEntry
from tests.factories import gen_organisation, gen_root, gen_user
from tests.integration_factories import bearer
from tests.web.helpers import csrf_token, login, post_form

TOKEN = re.compile(r'id="api-token">(sc_[A-Za-z0-9_-]+)<')


def _admin(client, session):
    gen_root(session)
    email = gen_user(session, "admin").email
    session.commit()
    login(client, email)


def test_an_admin_creates_a_client_and_sees_the_token_once(client, session):
    _admin(client, session)
    gen_organisation(session, "NORTH")
    session.commit()
    response = post_form(client, "/admin/api-clients/new", {"name": "省招标平台", "scopes": ["suppliers:read",
                                                                                   "changes:read"],
                                                            "organisation": "NORTH", "rate_limit": "120"})
    assert response.status_code == 200
    token = TOKEN.search(response.text).group(1)
    stored = session.scalar(select(ApiClient).where(ApiClient.name == "省招标平台"))
    assert stored.scope_list == ["suppliers:read", "changes:read"] and stored.organisation.code == "NORTH"
    assert stored.rate_limit == 120
    assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/suppliers/", headers=bearer(token)).status_code == 200
    assert token not in client.get(f"/admin/api-clients/{stored.id}").text
    assert token not in client.get("/admin/api-clients").text
    assert session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "api_client")).action == "create"


def test_rotating_and_revoking_through_the_pages(client, session):
    _admin(client, session)
    created = post_form(client, "/admin/api-clients/new", {"name": "ERP", "scopes": ["changes:read"],
                                                            "rate_limit": "600"})
    old = TOKEN.search(created.text).group(1)
    client_id = session.scalar(select(ApiClient.id).where(ApiClient.name == "ERP"))
    page = f"/admin/api-clients/{client_id}"
    rotated = post_form(client, f"{page}/rotate", {}, page_url=page)
    new = TOKEN.search(rotated.text).group(1)
    assert new != old
    assert client.get("/api/v1/changes", headers=bearer(old)).status_code == 401
    assert client.get("/api/v1/changes", headers=bearer(new)).status_code == 200
    assert post_form(client, f"{page}/revoke", {}, page_url=page).status_code == 302
    assert client.get("/api/v1/changes", headers=bearer(new)).status_code == 401
    history = client.get(page).text
    assert "GET /api/v1/changes" in history  # the calls are listed on the client's page


def test_bad_input_shows_every_error_in_chinese_and_saves_nothing(client, session):
    _admin(client, session)
    page = client.get("/admin/api-clients/new", headers={"Accept-Language": "zh"})
    response = client.post("/admin/api-clients/new", data={"csrf_token": csrf_token(page.text), "name": "",
                                                            "rate_limit": "0"}, headers={"Accept-Language": "zh"})
    assert response.status_code == 200
    assert "请输入名称。" in response.text and "请至少选择一个权限范围。" in response.text
    assert "请输入每分钟调用次数（1 到 100000）。" in response.text
    assert session.scalars(select(ApiClient)).all() == []


def test_the_reference_page_and_the_document_are_served_locally(client, session):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/purchase-checks" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    page = client.get("/api/v1/", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "/api/v1/changes" in page.text and "SupplierDocument" in page.text
    assert "<script>" not in page.text and "cdn" not in page.text.lower()


def test_flask_api_clients_create_prints_the_token(app, session):
    gen_organisation(session, "NORTH")
    session.commit()
    result = app.test_cli_runner().invoke(args=["api-clients", "create", "平台A", "--scopes",
                                                "suppliers:read,purchase-checks:write", "--org", "NORTH"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    stored = session.scalar(select(ApiClient).where(ApiClient.name == "平台A"))
    assert token.startswith("sc_") and stored.token_prefix == token[:10]
    assert stored.scope_list == ["suppliers:read", "purchase-checks:write"]
    refused = app.test_cli_runner().invoke(args=["api-clients", "create", "平台B", "--scopes", "everything",
                                                 "--org", "NOPE"])
    assert refused.exit_code == 1
    assert "scopes: 未知权限范围：everything。" in refused.output
    assert "organisation: 未知组织代码：NOPE。" in refused.output
