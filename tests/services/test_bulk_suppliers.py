"""Bulk work on suppliers and the second person's approval of high-impact actions (issue 13, build 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, BlacklistEntry, Invitation, Notification, TrainingAttendance
from supplychain.services.daily_work import bulk_suppliers, high_impact, inbox
from supplychain.services.registry import blacklist
from tests.evidence_factories import gen_attendance, gen_training
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import gen_invitation

NOW = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def test_one_status_and_one_reason_for_all_each_audited(session):
    buyer = gen_user(session, "procurement")
    a, b = gen_supplier(session, status="qualified"), gen_supplier(session, status="conditional")
    with pytest.raises(ValidationFailed) as failure:
        bulk_suppliers.change_status_many(session, [a, b], "conditional", "  ", buyer, False, NOW)
    assert "reason" in failure.value.errors and a.status == "qualified"
    outcome = bulk_suppliers.change_status_many(session, [a, b], "conditional", "年度考核整改", buyer, False, NOW)
    assert [s.id for s in outcome.done] == [a.id] and [s.id for s, _ in outcome.skipped] == [b.id]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "status", AuditEntry.entity_id == a.id))
    assert entry.note == "年度考核整改" and entry.changes["status"] == ["qualified", "conditional"]


def test_high_impact_changes_wait_for_a_second_person(session):
    first, second = gen_user(session, "procurement"), gen_user(session, "procurement")
    supplier = gen_supplier(session, status="qualified")
    outcome = bulk_suppliers.change_status_many(session, [supplier], "suspended", "重大质量事故", first, True, NOW)
    assert outcome.requested == [supplier] and supplier.status == "qualified"
    (request,) = high_impact.pending(session)
    # The requester sees nothing to approve; the second buyer does.
    assert "second_approvals" not in {s.key for s in inbox.for_user(session, first, TODAY).sections}
    assert "second_approvals" in {s.key for s in inbox.for_user(session, second, TODAY).sections}
    with pytest.raises(ValidationFailed) as failure:
        high_impact.approve(session, request, first, "", NOW, TODAY)
    assert "second person" in str(failure.value.errors["decision_note"][0])
    with pytest.raises(ValidationFailed):
        high_impact.request_status_change(session, supplier, "exited", "再次申请", second, NOW)  # one at a time
    high_impact.approve(session, request, second, "同意", NOW, TODAY)
    assert supplier.status == "suspended" and request.status == "approved" and request.decided_by_id == second.id
    with pytest.raises(ValidationFailed):
        high_impact.reject(session, request, second, "晚了", NOW)  # already decided


def test_a_blacklisting_request_is_checked_then_carried_out_by_the_second_person(session):
    first, second = gen_user(session, "procurement"), gen_user(session, "admin")
    supplier = gen_supplier(session, status="qualified")
    bad = blacklist.EntryData(supplier_id=supplier.id, reason="nonsense", decided_by="", since_on=TODAY)
    with pytest.raises(ValidationFailed) as failure:
        high_impact.request_blacklisting(session, bad, first, NOW, TODAY)
    assert {"reason", "decided_by"} <= set(failure.value.errors)
    data = blacklist.EntryData(supplier_id=supplier.id, reason="bribery", decided_by="招标监督委员会",
                               since_on=TODAY - timedelta(days=1), note="行贿")
    request = high_impact.request_blacklisting(session, data, first, NOW, TODAY)
    assert session.scalar(select(BlacklistEntry)) is None and supplier.status == "qualified"
    with pytest.raises(ValidationFailed):
        high_impact.reject(session, request, second, "", NOW)  # a rejection needs its reason
    high_impact.approve(session, request, second, "", NOW, TODAY)
    entry = session.scalar(select(BlacklistEntry))
    assert entry.supplier_id == supplier.id and entry.since_on == TODAY - timedelta(days=1)
    assert supplier.status == "blacklisted" and entry.created_by_id == second.id


def test_bulk_invitations_skip_suppliers_without_an_address_or_with_an_open_invitation(session):
    buyer = gen_user(session, "procurement")
    fresh = gen_supplier(session, status="qualified")
    invited = gen_supplier(session, status="qualified")
    gen_invitation(session, invited, email=invited.contacts[0].email, now=NOW)
    silent = gen_supplier(session, status="qualified", contacts=[])
    outcome, made = bulk_suppliers.invite_many(session, [fresh, invited, silent], buyer, NOW)
    assert [s.id for s in outcome.done] == [fresh.id] and len(made) == 1
    assert made[0].email == fresh.contacts[0].email and made[0].grants_admin
    assert {s.id for s, _ in outcome.skipped} == {invited.id, silent.id}
    assert len(list(session.scalars(select(Invitation)))) == 2


def test_bulk_reminders_tell_each_supplier_once_per_text_and_day(session):
    buyer = gen_user(session, "procurement")
    a, b = gen_supplier(session, status="qualified"), gen_supplier(session, status="qualified")
    outcome = bulk_suppliers.remind_many(session, [a, b], "请签署廉洁承诺书", buyer, NOW)
    assert len(outcome.done) == 2
    again = bulk_suppliers.remind_many(session, [a, b], "请签署廉洁承诺书", buyer, NOW)
    assert again.done == [] and len(again.skipped) == 2
    notes = list(session.scalars(select(Notification)))
    assert len(notes) == 2 and all("请签署廉洁承诺书" in n.message_zh for n in notes)


def test_bulk_attendance_is_all_or_nothing_and_skips_the_recorded(session):
    buyer = gen_user(session, "procurement")
    training = gen_training(session, held_on=date(2026, 5, 20))
    a, b = gen_supplier(session, status="qualified"), gen_supplier(session, status="qualified")
    gen_attendance(session, training, a)
    with pytest.raises(ValidationFailed) as failure:
        bulk_suppliers.attend_many(session, [a, b], training.id, 0, buyer, TODAY)
    assert "head_count" in failure.value.errors
    with pytest.raises(ValidationFailed):
        bulk_suppliers.attend_many(session, [a, b], None, 2, buyer, TODAY)
    outcome = bulk_suppliers.attend_many(session, [a, b], training.id, 3, buyer, TODAY)
    assert [s.id for s in outcome.done] == [b.id] and [s.id for s, _ in outcome.skipped] == [a.id]
    rows = {r.supplier_id: r.head_count for r in session.scalars(select(TrainingAttendance))}
    assert rows == {a.id: 2, b.id: 3}
    with pytest.raises(ValidationFailed):
        bulk_suppliers.attend_many(session, [], training.id, 1, buyer, TODAY)
