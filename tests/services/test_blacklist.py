"""The blacklist: entries, refusal at registration and import, terminations, lifting."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.services.imports import importer
from supplychain.services.registry import blacklist, suppliers
from tests.evidence_factories import gen_blacklist_entry
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user, supplier_data


def test_a_blacklisted_code_is_refused_at_registration_with_the_entry_named(session):
    gen_category(session)
    code = gen_credit_code()
    entry = gen_blacklist_entry(session, credit_code=code)
    with pytest.raises(ValidationFailed) as failed:
        suppliers.create_supplier(session, supplier_data(credit_code=code), None, date.today())
    message = failed.value.errors["credit_code"][0]
    assert f"#{entry.id}" in str(message) and message.entry_id == entry.id


def test_a_blacklisted_code_is_refused_at_import(session):
    gen_category(session)
    code = gen_credit_code()
    entry = gen_blacklist_entry(session, credit_code=code)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=importer.COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n, row_code in enumerate((gen_credit_code(), code), start=1):
        writer.writerow({"name_zh": f"重庆黑名单导入测试有限公司{n}", "name_en": "", "credit_code": row_code,
                         "country": "CN", "province": "重庆", "city": "重庆", "address": "",
                         "categories": "equipment", "contact_name": "王伟", "contact_phone": "",
                         "contact_email": ""})
    plan, result = importer.import_file(session, "s.csv", buffer.getvalue().encode(), None, date.today())
    assert result is None
    assert [(e.line, e.field) for e in plan.errors] == [(3, "credit_code")]
    assert f"#{entry.id}" in str(plan.errors[0])


def test_lifted_or_expired_entries_no_longer_refuse(session):
    gen_category(session)
    lifted_code, expired_code = gen_credit_code(), gen_credit_code()
    entry = gen_blacklist_entry(session, credit_code=lifted_code)
    blacklist.lift_entry(session, entry, "经复核撤销", None, datetime.now(UTC))
    gen_blacklist_entry(session, credit_code=expired_code, since_on=date.today() - timedelta(days=400),
                        until_on=date.today() - timedelta(days=1))
    for code in (lifted_code, expired_code):
        assert suppliers.create_supplier(session, supplier_data(credit_code=code), None, date.today())


def test_editing_the_blacklisted_supplier_itself_is_not_refused(session):
    supplier = gen_supplier(session, status="qualified")
    gen_blacklist_entry(session, supplier=supplier)
    data = supplier_data(credit_code=supplier.credit_code, name_zh=supplier.name_zh, address="新地址 8 号")
    suppliers.update_supplier(session, supplier, data, None, date.today())
    assert supplier.address == "新地址 8 号" and supplier.status == "blacklisted"


def test_blacklisting_a_supplier_sets_its_status_and_records_the_termination(session):
    supplier = gen_supplier(session, status="qualified")
    user = gen_user(session)
    data = blacklist.EntryData(supplier_id=supplier.id, reason="illegal_labour", decided_by="采购委员会",
                               since_on=date(2026, 3, 1))
    entry = blacklist.add_entry(session, data, user, date(2026, 6, 30))
    assert entry.credit_code == supplier.credit_code and entry.company_name == supplier.name_zh
    assert supplier.status == "blacklisted"
    assert entry.social_noncompliance and entry.terminated_on == date(2026, 3, 1)
    status_change = session.scalar(select(AuditEntry).where(AuditEntry.action == "status"))
    assert status_change.changes["status"] == ["qualified", "blacklisted"]
    # The status change takes effect on the decision date (or registration, if later), not on entry (D1).
    assert status_change.changes["effective_on"] >= supplier.registered_on.isoformat()
    assert f"#{entry.id}" in status_change.note
    assert blacklist.terminations(session, date(2026, 1, 1), date(2026, 12, 31)) == [entry]
    assert blacklist.terminations(session, date(2025, 1, 1), date(2025, 12, 31)) == []


def test_quality_failure_is_not_a_social_termination_and_a_code_alone_terminates_nobody(session):
    supplier = gen_supplier(session, status="qualified")
    quality = gen_blacklist_entry(session, supplier=supplier, reason="quality_failure")
    assert not quality.social_noncompliance and supplier.status == "blacklisted"
    unknown = gen_blacklist_entry(session, credit_code=gen_credit_code(), reason="bribery")
    assert unknown.social_noncompliance and unknown.supplier_id is None and unknown.terminated_on is None


def test_an_entry_by_code_finds_the_registered_supplier(session):
    supplier = gen_supplier(session, status="qualified")
    entry = gen_blacklist_entry(session, credit_code=supplier.credit_code.lower())
    assert entry.supplier_id == supplier.id and supplier.status == "blacklisted"


def test_a_second_active_entry_for_the_same_code_is_refused(session):
    code = gen_credit_code()
    first = gen_blacklist_entry(session, credit_code=code)
    with pytest.raises(ValidationFailed) as failed:
        gen_blacklist_entry(session, credit_code=code, reason="fraud")
    assert f"#{first.id}" in str(failed.value.errors["credit_code"][0])


def test_entry_rules(session):
    supplier = gen_supplier(session)
    today = date.today()
    data = blacklist.EntryData(credit_code="91500000MA5U000000", supplier_id=supplier.id, reason="x",
                               decided_by=" ", since_on=today + timedelta(days=1), until_on=today)
    with pytest.raises(ValidationFailed) as failed:
        blacklist.add_entry(session, data, None, date.today())
    assert set(failed.value.errors) == {"credit_code", "reason", "decided_by", "since_on", "until_on"}
    nothing = blacklist.EntryData(reason="fraud", decided_by="委员会", since_on=date.today())
    with pytest.raises(ValidationFailed) as failed:
        blacklist.add_entry(session, nothing, None, date.today())
    assert "credit_code" in failed.value.errors
    other = gen_credit_code()
    mismatch = blacklist.EntryData(credit_code=other, supplier_id=supplier.id, reason="fraud",
                                   decided_by="委员会", since_on=date.today())
    with pytest.raises(ValidationFailed) as failed:
        blacklist.add_entry(session, mismatch, None, date.today())
    assert supplier.credit_code in str(failed.value.errors["credit_code"][0])


def test_lifting_needs_a_reason_is_audited_and_suspends_the_supplier(session):
    supplier = gen_supplier(session, status="qualified")
    entry = gen_blacklist_entry(session, supplier=supplier)
    with pytest.raises(ValidationFailed):
        blacklist.lift_entry(session, entry, "  ", None, datetime.now(UTC))
    blacklist.lift_entry(session, entry, "法院判决撤销处罚", None, datetime.now(UTC))
    assert entry.lifted_at is not None and entry.lift_reason == "法院判决撤销处罚"
    assert supplier.status == "suspended"
    lift = session.scalar(select(AuditEntry).where(AuditEntry.action == "lift"))
    assert lift.note == "法院判决撤销处罚" and lift.supplier_id == supplier.id
    with pytest.raises(ValidationFailed):
        blacklist.lift_entry(session, entry, "again", None, datetime.now(UTC))
    assert blacklist.list_entries(session, date.today()) == []
    assert blacklist.list_entries(session, date.today(), "ended") == [entry]
