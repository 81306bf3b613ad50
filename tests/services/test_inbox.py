"""The inbox of each role: what waits, oldest first, counted, with separation of duties (issue 13, build 1)."""

from __future__ import annotations

from datetime import date, timedelta

from supplychain.services.daily_work import inbox
from tests.evaluation_factories import TODAY, gen_submitted
from tests.evidence_factories import gen_action, gen_certificate, gen_pledge
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import gen_change_request, gen_portal_user


def _sections(box: inbox.Inbox) -> dict[str, inbox.InboxSection]:
    return {section.key: section for section in box.sections}


def test_a_reviewer_sees_only_the_evaluations_they_may_decide(session):
    evaluation = gen_submitted(session, levels=2)
    reviewer = gen_user(session, "reviewer")
    creator = session.get(type(reviewer), evaluation.created_by_id)
    section = _sections(inbox.for_user(session, reviewer, TODAY))["approvals"]
    assert section.count == 1 and section.items[0].args == {"evaluation_id": evaluation.id}
    # The creator is an admin here: still not allowed to approve their own evaluation.
    creator.role = "admin"
    assert "approvals" not in _sections(inbox.for_user(session, creator, TODAY))
    # Procurement does not approve at all.
    assert "approvals" not in _sections(inbox.for_user(session, gen_user(session, "procurement"), TODAY))


def test_procurement_sees_change_requests_uploads_responses_oldest_first(session):
    buyer = gen_user(session, "procurement")
    first = gen_supplier(session, status="qualified", name_zh="甲供应商有限公司")
    second = gen_supplier(session, status="qualified", name_zh="乙供应商有限公司")
    gen_change_request(session, second)
    gen_change_request(session, first)
    portal_user = gen_portal_user(session, first)
    upload = gen_certificate(session, first, verified_on=None)
    upload.created_by_id = portal_user.id
    gen_certificate(session, second, verified_on=None)  # recorded by staff: not a supplier upload
    action = gen_action(session, first, status="submitted")
    action.submitted_on = date(2026, 10, 1)
    session.flush()
    sections = _sections(inbox.for_user(session, buyer, TODAY))
    assert sections["change_requests"].count == 2
    assert [i.supplier_name for i in sections["change_requests"].items] == ["乙供应商有限公司", "甲供应商有限公司"]
    assert sections["uploads"].count == 1 and sections["uploads"].items[0].args == {"cert_id": upload.id}
    assert sections["action_responses"].count == 1
    # An auditor reads, decides nothing: none of these wait for them.
    auditor_sections = _sections(inbox.for_user(session, gen_user(session, "auditor"), TODAY))
    assert not {"change_requests", "uploads", "action_responses"} & set(auditor_sections)


def test_expiring_certificates_pledges_due_and_overdue_actions(session):
    buyer = gen_user(session, "procurement")
    supplier = gen_supplier(session, status="qualified")
    gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=10))
    gen_certificate(session, supplier, "iso14001", expires_on=TODAY + timedelta(days=200))
    due = gen_pledge(session, supplier, signed_on=date(2024, 1, 1), valid_until=TODAY + timedelta(days=5))
    renewed = gen_pledge(session, supplier, kind="anti_bribery", signed_on=date(2024, 1, 1),
                         valid_until=TODAY - timedelta(days=5))
    gen_pledge(session, supplier, kind="anti_bribery", signed_on=TODAY - timedelta(days=6),
               valid_until=TODAY + timedelta(days=700))
    gen_action(session, supplier, due_on=TODAY - timedelta(days=3))
    gen_action(session, supplier, due_on=TODAY + timedelta(days=3))
    sections = _sections(inbox.for_user(session, buyer, TODAY, warning_days=60))
    assert sections["certificates"].count == 1
    assert sections["pledges"].count == 1
    assert [p.id for p, _ in inbox.pledges_due(session, TODAY, 60)] == [due.id]
    assert renewed.id not in [p.id for p, _ in inbox.pledges_due(session, TODAY, 60)]
    assert sections["overdue"].count == 1 and sections["overdue"].urgent
    # An exited supplier's evidence waits for nobody.
    supplier.status = "exited"
    session.flush()
    sections = _sections(inbox.for_user(session, buyer, TODAY, warning_days=60))
    assert "certificates" not in sections and "pledges" not in sections


def test_an_empty_inbox_has_no_sections(session):
    box = inbox.for_user(session, gen_user(session, "reviewer"), TODAY)
    assert box.sections == [] and box.total == 0


def test_the_certificate_count_agrees_with_the_certificate_list(session):
    from supplychain.services.evidence import certifications

    supplier = gen_supplier(session, status="qualified")
    other = gen_supplier(session, status="trial")
    gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=10))
    gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=400))  # the renewal of the one above
    gen_certificate(session, supplier, "iso14001", expires_on=TODAY - timedelta(days=3))
    gen_certificate(session, other, "iso45001", expires_on=TODAY + timedelta(days=59))
    gen_certificate(session, other, "iso45001", expires_on=TODAY + timedelta(days=61))  # renewal outside the window
    listed = certifications.expiry_list(session, TODAY, certifications.ExpiryFilters(days=60))
    section = _sections(inbox.for_user(session, gen_user(session, "procurement"), TODAY, 60))["certificates"]
    assert section.count == len(listed) == 1 and section.urgent
    assert [i.since for i in section.items] == [row.cert.expires_on for row in listed]


def test_a_section_counts_everything_but_lists_the_oldest_five(session):
    """The count comes with the first rows (one query): beyond the five shown, nothing is lost from it."""
    buyer = gen_user(session, "procurement")
    suppliers = [gen_supplier(session, status="qualified") for _ in range(3)]
    for days in range(1, 8):
        gen_action(session, suppliers[days % 3], due_on=TODAY - timedelta(days=days))
    section = _sections(inbox.for_user(session, buyer, TODAY))["overdue"]
    assert section.count == 7
    assert [item.since for item in section.items] == [TODAY - timedelta(days=d) for d in (7, 6, 5, 4, 3)]
    assert {item.supplier_name for item in section.items} == {s.name_zh for s in suppliers}


def test_a_subsidiary_buyer_sees_what_waits_at_its_own_suppliers_only(session):
    from supplychain import scope
    from tests.factories import gen_organisation

    cq = gen_organisation(session, "CQ", home_province="500000")
    sx = gen_organisation(session, "SX", home_province="140000")
    ours = gen_supplier(session, status="qualified", name_zh="重庆收件箱本公司有限公司", organisation=cq)
    theirs = gen_supplier(session, status="qualified", name_zh="山西收件箱他公司有限公司", organisation=sx)
    gone = gen_supplier(session, status="exited", name_zh="重庆收件箱退出有限公司", organisation=cq)
    for supplier, organisation in ((ours, cq), (theirs, sx), (gone, cq)):
        gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=10))
        gen_pledge(session, supplier, signed_on=TODAY - timedelta(days=300),
                   valid_until=TODAY + timedelta(days=5)).organisation_id = organisation.id
    for supplier, organisation in ((ours, cq), (theirs, sx)):
        gen_action(session, supplier, due_on=TODAY - timedelta(days=3)).organisation_id = organisation.id
    buyer = gen_user(session, "procurement", organisation=cq)
    session.flush()

    scope.activate(session, scope.for_organisation(session, cq))
    sections = _sections(inbox.for_user(session, buyer, TODAY))
    for key in ("certificates", "pledges", "overdue"):  # the exited supplier's certificate and pledge wait for nobody
        assert sections[key].count == 1
        assert [item.supplier_name for item in sections[key].items] == ["重庆收件箱本公司有限公司"]
    scope.activate(session, scope.EVERYTHING)
    sections = _sections(inbox.for_user(session, buyer, TODAY))
    assert (sections["certificates"].count, sections["pledges"].count, sections["overdue"].count) == (2, 2, 2)


def test_the_dated_sections_name_their_own_suppliers_read_in_one_query(session):
    """Certificates, pledges and overdue actions show each row's supplier; the names come in one query for all
    three sections (PostgreSQL: one statement instead of three per inbox)."""
    from sqlalchemy import event

    buyer = gen_user(session, "procurement")
    certified, pledged, late = (gen_supplier(session, status="qualified", name_zh=f"收件箱{n}有限公司")
                                for n in ("甲", "乙", "丙"))
    gen_certificate(session, certified, expires_on=TODAY + timedelta(days=10))
    gen_pledge(session, pledged, signed_on=TODAY - timedelta(days=300), valid_until=TODAY + timedelta(days=5))
    gen_action(session, late, due_on=TODAY - timedelta(days=3))
    session.flush()
    statements = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        sections = _sections(inbox.for_user(session, buyer, TODAY))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    for key, supplier in (("certificates", certified), ("pledges", pledged)):
        expected = [(supplier.name_zh, {"supplier_id": supplier.id})]
        assert [(i.supplier_name, i.args) for i in sections[key].items] == expected
    assert [i.supplier_name for i in sections["overdue"].items] == [late.name_zh]
    assert len([s for s in statements if s.lstrip().startswith("SELECT suppliers.id, suppliers.name_zh")]) == 1
