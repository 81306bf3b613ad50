"""The organisation pages: the tree, create, edit and move, close and reopen, errors per field, conflicts."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from supplychain.models import AuditEntry, Organisation, SupplierRelationship
from supplychain.services.registry import organisations as service
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def _admin(client, session):
    user = gen_user(session, "admin")
    session.commit()
    assert login(client, user.email).status_code == 302
    return user


def _tree(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group, name_zh="重庆热力", name_en="Chongqing Heating")
    site = gen_organisation(session, "CQ-SITE", cq, kind="project", name_zh="两江项目部")
    sx = gen_organisation(session, "SX", group, home_province="140000", name_zh="山西热力")
    session.commit()
    return group, cq, site, sx


def _post(client, url, data, headers=EN):
    page = client.get(url, headers=headers)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data}, headers=headers)


def _form(parent, **values) -> dict:
    return {"code": "GS", "name_zh": "甘肃热力", "name_en": "Gansu Heating", "kind": "subsidiary",
            "parent_id": str(parent.id) if parent else "", "home_province": "620000", "opened_on": "", **values}


def _field_error(html: str, name: str) -> bool:
    """The input or select named `name` is marked invalid (the error sits right under it)."""
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if f'name="{name}"' in tag:
            return "is-invalid" in tag
    return False


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Organisation.id)))


def test_the_tree_lists_every_organisation_indented_with_kind_province_and_state(client, session):
    _admin(client, session)
    group, cq, site, sx = _tree(session)
    service.close_organisation(session, sx, date(2026, 6, 30), "sold", None, date(2026, 11, 27))
    session.commit()
    page = client.get("/organisations/", headers=EN)
    assert page.status_code == 200
    codes = re.findall(r'data-code="([^"]+)"', page.text)
    assert codes == ["GROUP", "CQ", "CQ-SITE", "SX"]
    assert "Chongqing Heating" in page.text and "Project or site" in page.text and "Shanxi" in page.text
    assert "closed on 2026-06-30" in page.text
    chinese = client.get("/organisations/")
    assert "重庆热力" in chinese.text and "项目" in chinese.text and "山西" in chinese.text


def test_the_admin_menu_links_the_organisations_and_other_staff_get_403(client, session):
    admin = _admin(client, session)
    assert 'href="/organisations/"' in client.get("/", headers=EN).text
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    assert 'href="/organisations/"' not in client.get("/", headers=EN).text
    assert client.get("/organisations/").status_code == 403
    assert client.get("/organisations/new").status_code == 403
    assert admin.id != buyer.id


def test_create_an_organisation_under_a_parent(client, session):
    admin = _admin(client, session)
    group, *_ = _tree(session)
    response = _post(client, "/organisations/new", _form(group, opened_on="2019-03-01"))
    assert response.status_code == 302
    gs = service.find_by_code(session, "GS")
    assert (gs.parent_id, gs.home_province, gs.opened_on) == (group.id, "620000", date(2019, 3, 1))
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "organisation",
                                                     AuditEntry.entity_id == gs.id)).one()
    assert entry.actor_id == admin.id and entry.action == "create"


def test_bad_input_shows_every_error_on_its_field_and_saves_nothing(client, session):
    _admin(client, session)
    group, cq, *_ = _tree(session)
    before = _count(session)
    response = _post(client, "/organisations/new",
                     _form(group, code="cq", name_zh="  ", kind="branch", home_province="999999"))
    assert response.status_code == 200
    for name in ("code", "name_zh", "kind", "home_province"):
        assert _field_error(response.text, name), name
    assert not _field_error(response.text, "name_en") and not _field_error(response.text, "parent_id")
    assert "already used by 重庆热力 (CQ)" in response.text
    assert "Unknown province: 999999" in response.text
    assert _count(session) == before
    # The same in Chinese, and a parent that does not exist.
    chinese = _post(client, "/organisations/new", _form(None, parent_id="987654", code="新 代码"), headers={})
    assert chinese.status_code == 200
    assert _field_error(chinese.text, "parent_id") and _field_error(chinese.text, "code")
    assert "上级" in chinese.text
    assert _count(session) == before


def test_a_second_root_is_refused(client, session):
    _admin(client, session)
    _tree(session)
    response = _post(client, "/organisations/new", _form(None))
    assert response.status_code == 200 and _field_error(response.text, "parent_id")
    assert "GROUP" in response.text and service.find_by_code(session, "GS") is None


def test_edit_moves_an_organisation_with_its_subtree(client, session):
    _admin(client, session)
    group, cq, site, sx = _tree(session)
    url = f"/organisations/{cq.id}/edit"
    page = client.get(url, headers=EN)
    # Its own subtree is not offered as a parent.
    assert f'value="{site.id}"' not in page.text and f'value="{sx.id}"' in page.text
    response = client.post(url, headers=EN, data={
        "csrf_token": csrf_token(page.text), "version_id": str(cq.version_id),
        **_form(sx, code="CQ", name_zh="重庆热力", name_en="Chongqing Heating", home_province="500000")})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Organisation, cq.id).parent_id == sx.id
    assert session.get(Organisation, site.id).parent_id == cq.id
    moved = session.scalars(select(AuditEntry).where(AuditEntry.action == "move")).one()
    assert moved.changes["parent_code"] == ["GROUP", "SX"]
    assert "SX" in client.get(url, headers=EN).text  # the audit trail on the edit page


def test_moving_under_its_own_descendant_is_refused_on_the_field(client, session):
    _admin(client, session)
    group, cq, site, _sx = _tree(session)
    url = f"/organisations/{cq.id}/edit"
    page = client.get(url, headers=EN)
    response = client.post(url, headers=EN, data={
        "csrf_token": csrf_token(page.text), "version_id": str(cq.version_id),
        **_form(site, code="CQ", name_zh="重庆热力")})
    assert response.status_code == 200 and _field_error(response.text, "parent_id")
    assert "its own descendants" in response.text
    session.expire_all()
    assert session.get(Organisation, cq.id).parent_id == group.id


def test_a_stale_edit_is_a_conflict_and_overwrites_nothing(client, session):
    _admin(client, session)
    group, cq, *_ = _tree(session)
    url = f"/organisations/{cq.id}/edit"
    page = client.get(url, headers=EN)
    cq = session.get(Organisation, cq.id)  # the request ended the test's session: load it again
    stale_version = cq.version_id
    # Someone else renames it after the page was opened.
    service.update_organisation(session, cq, service.OrganisationData(
        code="CQ", name_zh="别人改的", kind="subsidiary", parent_id=group.id), stale_version, None)
    session.commit()
    response = client.post(url, headers=EN, data={
        "csrf_token": csrf_token(page.text), "version_id": str(stale_version),
        **_form(group, code="CQ", name_zh="我改的")})
    assert response.status_code == 200 and "your changes were NOT saved" in response.text
    assert "别人改的" in response.text and 'value="我改的"' in response.text  # what changed, and the input kept
    session.expire_all()
    assert session.get(Organisation, cq.id).name_zh == "别人改的"
    # Saving again from the conflict page deliberately keeps the user's values.
    again = client.post(url, headers=EN, data={
        "csrf_token": csrf_token(response.text), "version_id": str(session.get(Organisation, cq.id).version_id),
        **_form(group, code="CQ", name_zh="我改的")})
    assert again.status_code == 302
    session.expire_all()
    assert session.get(Organisation, cq.id).name_zh == "我改的"


def test_close_is_refused_while_relationships_are_active_then_closes_and_reopens(client, session):
    admin = _admin(client, session)
    group, cq, site, sx = _tree(session)
    relationship = SupplierRelationship(organisation_id=sx.id, supplier_id=gen_supplier(session).id,
                                        status="active", since_on=date(2025, 1, 1))
    session.add(relationship)
    session.commit()
    url = f"/organisations/{sx.id}/close"
    page = client.get(url, headers=EN)
    assert "Active supplier relationships: 1" in page.text  # warned before trying
    refused = _post(client, url, {"closed_on": "2026-06-30", "reason": "出售"})
    assert refused.status_code == 200 and "end them or move them" in refused.text
    missing = _post(client, url, {"closed_on": "", "reason": ""})
    assert _field_error(missing.text, "closed_on") and _field_error(missing.text, "reason")
    session.expire_all()
    assert session.get(Organisation, sx.id).closed_on is None

    session.get(SupplierRelationship, relationship.id).status = "ended"
    session.commit()
    closed = _post(client, url, {"closed_on": "2026-06-30", "reason": "出售"})
    assert closed.status_code == 302
    session.expire_all()
    assert session.get(Organisation, sx.id).closed_on == date(2026, 6, 30)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()
    assert entry.note == "出售" and entry.actor_id == admin.id

    index = client.get("/organisations/", headers=EN)
    reopened = client.post(f"/organisations/{sx.id}/reopen", headers=EN,
                           data={"csrf_token": csrf_token(index.text)}, follow_redirects=True)
    assert "is open again" in reopened.text
    session.expire_all()
    assert session.get(Organisation, sx.id).is_open


def test_close_with_open_children_names_them(client, session):
    _admin(client, session)
    _group, cq, *_ = _tree(session)
    response = _post(client, f"/organisations/{cq.id}/close", {"closed_on": "2026-06-30", "reason": "x"})
    assert response.status_code == 200 and "CQ-SITE" in response.text and "close them or move them" in response.text


def test_reopen_refused_with_a_message_when_the_parent_is_closed(client, session):
    _admin(client, session)
    _group, cq, site, _sx = _tree(session)
    today = date(2026, 11, 27)
    service.close_organisation(session, site, date(2026, 1, 1), "done", None, today)
    service.close_organisation(session, cq, date(2026, 1, 2), "sold", None, today)
    session.commit()
    index = client.get("/organisations/", headers=EN)
    response = client.post(f"/organisations/{site.id}/reopen", headers=EN,
                           data={"csrf_token": csrf_token(index.text)}, follow_redirects=True)
    assert "reopen it first" in response.text
    session.expire_all()
    assert session.get(Organisation, site.id).closed_on == date(2026, 1, 1)


def test_posts_without_a_csrf_token_are_refused(client, session):
    _admin(client, session)
    group, cq, *_ = _tree(session)
    assert client.post("/organisations/new", data=_form(group)).status_code == 400
    closing = {"closed_on": "2026-01-01", "reason": "x"}
    assert client.post(f"/organisations/{cq.id}/close", data=closing).status_code == 400
    assert service.find_by_code(session, "GS") is None


def test_unknown_organisation_is_404(client, session):
    _admin(client, session)
    assert client.get("/organisations/987654/edit").status_code == 404
    assert client.get("/organisations/987654/close").status_code == 404
