"""A corrective action opened by an audit finding names the finding and its audit (within the user's scope)."""

from __future__ import annotations

from datetime import date

from supplychain.models import CorrectiveAction
from tests.audit_factories import gen_audit, gen_finding
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def _action_of_a_finding(session, organisation):
    supplier = gen_supplier(session, status="qualified", today=date(2025, 1, 10), organisation=organisation)
    audit = gen_audit(session, supplier, held_on=date(2026, 3, 10), kind="site_hse", organisation_id=organisation.id)
    action = CorrectiveAction(supplier_id=supplier.id, organisation_id=organisation.id, action="消防通道保持畅通",
                              owner="王经理", due_on=date(2026, 6, 10), status="open")
    session.add(action)
    session.flush()
    finding = gen_finding(session, audit, action_id=action.id)
    return audit, finding, action


def test_the_action_page_links_back_to_its_finding_and_audit(client, session):
    root = gen_root(session)
    audit, finding, action = _action_of_a_finding(session, root)
    plain = CorrectiveAction(supplier_id=audit.supplier_id, organisation_id=root.id, action="补交资质",
                             owner="王经理", due_on=date(2026, 6, 10), status="open")
    session.add(plain)
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)
    page = client.get(f"/corrective-actions/{action.id}", headers=EN).text
    assert f'data-finding="{finding.id}"' in page
    assert f'/audits/{audit.id}#findings' in page and "Project-site HSE inspection" in page
    assert "2026-03-10" in page and "Potential impact" in page and "消防通道堵塞" in page
    assert "data-finding" not in client.get(f"/corrective-actions/{plain.id}", headers=EN).text


def test_another_subsidiary_sees_neither_the_action_nor_its_finding(client, session):
    gen_root(session)
    west, east = gen_organisation(session, "WEST"), gen_organisation(session, "EAST")
    _audit, _finding, action = _action_of_a_finding(session, west)
    outsider = gen_user(session, "procurement", organisation=east)
    session.commit()
    login(client, outsider.email)
    assert client.get(f"/corrective-actions/{action.id}", headers=EN).status_code == 404
