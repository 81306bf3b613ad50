"""Training sessions and attendance: rules, hours in the last 12 months, yearly figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, TrainingAttendance
from supplychain.services.evidence import training
from tests.evidence_factories import gen_attendance, gen_training
from tests.factories import gen_supplier

TODAY = date(2026, 6, 30)


def test_session_rules(session):
    with pytest.raises(ValidationFailed) as failed:
        bad = training.SessionData(title="", topic="x", hours=0, mode="tv")
        training.save_session(session, bad, None, TODAY)
    assert set(failed.value.errors) == {"title", "topic", "held_on", "hours", "mode"}
    data = training.SessionData(title="供应商ESG培训", topic="esg", held_on=date(2026, 5, 1), hours=2.5,
                                mode="online", organiser="供应链管理部")
    created = training.save_session(session, data, None, TODAY)
    assert created.hours == 2.5
    stmt = select(AuditEntry.action).where(AuditEntry.entity_type == "training_session")
    assert session.scalar(stmt) == "create"


def test_attendance_rules(session):
    supplier = gen_supplier(session)
    held = gen_training(session, held_on=date(2026, 5, 1))
    planned = gen_training(session, held_on=date(2026, 9, 1))
    data = training.AttendanceData(supplier_id=supplier.id, head_count=2, names="王伟、李娜")
    with pytest.raises(ValidationFailed) as failed:
        training.record_attendance(session, 99999, data, None, TODAY)
    assert "does not exist" in str(failed.value.errors["session_id"][0])
    nobody = training.AttendanceData(supplier_id=99999, head_count=0, names="甲\n乙")
    with pytest.raises(ValidationFailed) as failed:
        training.record_attendance(session, held.id, nobody, None, TODAY)
    assert set(failed.value.errors) == {"supplier", "head_count"}
    too_many = training.AttendanceData(supplier_id=supplier.id, head_count=1, names="甲,乙")
    with pytest.raises(ValidationFailed) as failed:
        training.record_attendance(session, held.id, too_many, None, TODAY)
    assert set(failed.value.errors) == {"names"}
    with pytest.raises(ValidationFailed) as failed:
        training.record_attendance(session, planned.id, data, None, TODAY)
    assert set(failed.value.errors) == {"completed"}
    attendance = training.record_attendance(session, held.id, data, None, TODAY)
    assert attendance.names == "王伟\n李娜"
    with pytest.raises(ValidationFailed) as failed:
        training.record_attendance(session, held.id, data, None, TODAY)
    assert "already" in str(failed.value.errors["supplier"][0])
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "training_attendance"))
    assert entry.supplier_id == supplier.id
    with pytest.raises(ValidationFailed):  # a removal needs a reason (issue 13, D20)
        training.remove_attendance(session, attendance, None)
    training.remove_attendance(session, attendance, None, "重复录入")
    assert session.scalar(select(func.count(TrainingAttendance.id))) == 0


def test_find_supplier_by_code_number_or_exact_name(session):
    supplier = gen_supplier(session)
    for text in (supplier.credit_code, supplier.credit_code.lower(), str(supplier.id), f"#{supplier.id}",
                 supplier.name_zh, f" {supplier.name_zh} "):
        assert training.find_supplier(session, text) == supplier
    assert training.find_supplier(session, supplier.name_zh[:-1]) is None
    assert training.find_supplier(session, "") is None


def test_hours_in_the_last_12_months_count_completed_sessions_only(session):
    supplier = gen_supplier(session)
    boundary = gen_training(session, held_on=date(2025, 6, 30), hours=8)  # exactly a year ago: outside
    inside = gen_training(session, held_on=date(2025, 7, 1), hours=2.5)
    latest = gen_training(session, held_on=date(2026, 6, 1), hours=3)
    dropped = gen_training(session, held_on=date(2026, 6, 10), hours=4)
    future = gen_training(session, held_on=date(2026, 8, 1), hours=6)
    for row in (boundary, inside, latest):
        gen_attendance(session, row, supplier)
    gen_attendance(session, dropped, supplier, completed=False)
    gen_attendance(session, future, supplier, completed=False)
    assert training.hours_last_12_months(session, supplier.id, TODAY) == 5.5
    assert training.last_session(session, supplier.id, TODAY) == dropped
    assert training.year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_year_figures_count_esg_sessions_and_active_suppliers_trained(session):
    trained = gen_supplier(session, status="qualified", registered_on=date(2024, 1, 1))
    gen_supplier(session, status="qualified", registered_on=date(2025, 12, 31))
    gen_supplier(session, status="qualified", registered_on=date(2026, 1, 1))  # not yet registered in 2025
    left = gen_supplier(session, status="exited", registered_on=date(2024, 1, 1))
    esg = gen_training(session, held_on=date(2025, 3, 1), topic="esg")
    safety = gen_training(session, held_on=date(2025, 11, 1), topic="safety")
    gen_training(session, held_on=date(2025, 5, 1), topic="quality")  # not an ESG topic
    gen_training(session, held_on=date(2024, 12, 31), topic="esg")  # another year
    gen_attendance(session, esg, trained, head_count=3)
    gen_attendance(session, safety, left, head_count=2)
    figures = training.year_figures(session, 2025)
    assert (figures.sessions, figures.people) == (2, 5)
    assert figures.session_ids == [esg.id, safety.id]
    assert (figures.suppliers_trained, figures.active_suppliers, figures.share_trained) == (1, 2, 50.0)
    assert training.year_figures(session, 2027).share_trained == 0.0
