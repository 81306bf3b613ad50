"""A supplier's audit trail in a subsidiary's hands (issue 9, item 3): the supplier's own changes and the records
of the subsidiary's subtree, never another organisation's evaluation, relationship or incident."""

from __future__ import annotations

from supplychain import scope
from supplychain.services.core import audit
from tests.evaluation_factories import gen_shared_supplier_evaluations
from tests.factories import gen_user
from tests.web.helpers import login


def _shared_supplier(session):
    shared = gen_shared_supplier_evaluations(session)
    return shared.a, shared.b, shared.supplier, shared.low, shared.high


def _entities(entries):
    return {(e.entity_type, e.entity_id) for e in entries}


def test_each_subsidiary_reads_its_own_evaluations_in_the_supplier_s_trail(session):
    a, b, supplier, low, high = _shared_supplier(session)
    everything = _entities(audit.for_supplier(session, supplier.id))
    assert {("evaluation", low.id), ("evaluation", high.id)} <= everything
    try:
        scope.activate(session, scope.for_organisation(session, a))
        seen_by_a = _entities(audit.for_supplier(session, supplier.id))
        assert ("evaluation", low.id) in seen_by_a and ("evaluation", high.id) not in seen_by_a
        assert ("supplier", supplier.id) in seen_by_a  # the supplier's own changes are the group's
        assert audit.for_entity(session, "evaluation", high.id) == []
        scope.activate(session, scope.for_organisation(session, b))
        seen_by_b = _entities(audit.for_supplier(session, supplier.id))
        assert ("evaluation", high.id) in seen_by_b and ("evaluation", low.id) not in seen_by_b
        relationships_seen = {i for t, i in seen_by_b if t == "supplier_relationship"}
        assert len(relationships_seen) == 1  # B's own relationship, not A's
        # A's Unqualified grade suspended the supplier: B reads the consequence, not A's score.
        status_notes = [e.note for e in audit.for_supplier(session, supplier.id) if e.action == "status"]
        assert status_notes and all(f"{low.total}" not in note for note in status_notes)
        assert any("不合格" in note and "Unqualified" in note for note in status_notes)  # the grade by name
    finally:
        scope.activate(session, scope.EVERYTHING)


def test_a_subsidiary_auditor_s_supplier_page_and_audit_log_hide_the_other_s_scores(client, session):
    a, b, supplier, low, high = _shared_supplier(session)
    auditor_b = gen_user(session, "auditor", organisation=b)
    session.commit()
    login(client, auditor_b.email)
    for url in (f"/suppliers/{supplier.id}", f"/audit-log/?supplier_id={supplier.id}"):
        page = client.get(url)
        assert page.status_code == 200
        assert f"{high.total}" in page.text and f"{low.total}" not in page.text

    root_auditor = gen_user(session, "auditor")
    session.commit()
    other = client.application.test_client()
    login(other, root_auditor.email)
    page = other.get(f"/audit-log/?supplier_id={supplier.id}").text
    assert f"{high.total}" in page and f"{low.total}" in page
