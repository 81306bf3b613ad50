"""The spend ledger: batches are all or nothing, idempotent by external id, and refuse bad lines by name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from supplychain import scope
from supplychain.models import AuditEntry, SpendLine
from supplychain.services.purchasing import spend
from supplychain.services.purchasing.batches import BatchRejected
from tests.factories import gen_category, gen_organisation, gen_root, gen_supplier
from tests.purchasing_factories import spend_input


def _count(session) -> int:
    return session.scalar(select(func.count(SpendLine.id)))


@pytest.fixture
def buyer(session):
    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    return root, supplier


def test_a_batch_is_saved_with_exact_amounts_and_one_audit_entry(session, buyer):
    root, supplier = buyer
    lines = [spend_input(supplier, root, month="2026-01", amount="1234.5"),
             spend_input(supplier, root, month="2026-02", amount="0.10", currency="usd")]
    result = spend.record_batch(session, lines, None, source="erp")
    assert (result.created, result.unchanged) == (2, 0)
    stored = session.scalars(select(SpendLine).order_by(SpendLine.month_on)).all()
    assert [(s.amount, s.currency, s.order_count, s.month_on.isoformat()) for s in stored] == [
        (Decimal("1234.50"), "CNY", 2, "2026-01-01"), (Decimal("0.10"), "USD", 2, "2026-02-01")]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "spend_batch")).one()
    assert entry.changes["created"] == [None, 2] and entry.note == "erp"


def test_same_external_id_and_content_is_a_no_op(session, buyer):
    root, supplier = buyer
    line = spend_input(supplier, root)
    spend.record_batch(session, [line], None)
    again = spend.record_batch(session, [line, line], None)
    assert (again.created, again.unchanged) == (0, 2)
    assert _count(session) == 1


def test_same_external_id_with_other_content_is_a_conflict_never_an_overwrite(session, buyer):
    root, supplier = buyer
    line = spend_input(supplier, root, amount="100")
    spend.record_batch(session, [line], None)
    changed = spend_input(supplier, root, amount="200", external_id=line.external_id)
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, [changed], None)
    assert caught.value.conflict
    assert [(e.line, e.external_id, e.field) for e in caught.value.lines] == [(1, line.external_id, "external_id")]
    assert session.scalar(select(SpendLine.amount)) == Decimal("100.00")


def test_same_organisation_supplier_category_month_under_a_new_id_is_a_conflict(session, buyer):
    root, supplier = buyer
    spend.record_batch(session, [spend_input(supplier, root, month="2026-05")], None)
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, [spend_input(supplier, root, month="2026-05")], None)
    assert caught.value.conflict and caught.value.lines[0].field == "month"


def test_one_bad_line_saves_nothing_and_every_bad_line_is_named(session, buyer):
    root, supplier = buyer
    lines = [
        spend_input(supplier, root, month="2026-01"),
        spend_input(supplier, root, month="2026-02", amount="-5"),
        spend_input(supplier, root, month="2026-03", currency="XYZ"),
        spend_input(supplier, root, month="2026-13"),
        spend_input(supplier, root, month="2026-04", amount="1.234"),
        spend_input(supplier, root, month="2026-06", organisation="NOPE"),
        spend_input(supplier, root, month="2026-07", credit_code="91500000000000000X"),
        spend_input(supplier, root, month="2026-08", category="unknown"),
        spend_input(supplier, root, month="2026-09", external_id=""),
        spend_input(supplier, root, month="2026-10", order_count="-1"),
    ]
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, lines, None)
    found = {(e.line, e.field) for e in caught.value.lines}
    assert found == {(2, "amount"), (3, "currency"), (4, "month"), (5, "amount"), (6, "organisation"),
                     (7, "credit_code"), (8, "category"), (9, "external_id"), (10, "order_count")}
    assert not caught.value.conflict
    messages = {e.line: str(e.message) for e in caught.value.lines}
    assert "negative" in messages[2] and "ISO 4217" in messages[3]
    assert "line 2.amount" in caught.value.errors
    assert _count(session) == 0


def test_a_supplier_the_organisation_does_not_buy_from_is_refused(session, buyer):
    root, _supplier = buyer
    other_org = gen_organisation(session, "SUB-A")
    stranger = gen_supplier(session, organisation=root)
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, [spend_input(stranger, other_org)], None)
    assert "relationship" in str(caught.value.lines[0].message)


def test_a_scoped_session_cannot_write_for_another_organisation(session, buyer):
    root, supplier = buyer
    sub_a = gen_organisation(session, "SUB-A")
    scope.activate(session, scope.Scope(frozenset({sub_a.id})))
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, [spend_input(supplier, root)], None)
    assert caught.value.lines[0].field == "organisation"
    assert "Unknown organisation" in str(caught.value.lines[0].message)


def test_an_overseas_supplier_is_named_by_its_id(session, buyer):
    root, _supplier = buyer
    gen_category(session)
    overseas = gen_supplier(session, organisation=root, credit_code="", country="DE", province="", city="Berlin")
    spend.record_batch(session, [spend_input(overseas, root)], None)
    assert session.scalar(select(SpendLine.supplier_id)) == overseas.id


def test_import_file_reads_chinese_headers_and_reports_rows_by_spreadsheet_line(session, buyer):
    root, supplier = buyer
    data = ("外部编号,组织,统一社会信用代码,品类,月份,金额,币种,订单数\n"
            f"E1,{root.code},{supplier.credit_code},equipment,2026-01,100.00,CNY,1\n"
            f"E2,{root.code},{supplier.credit_code},equipment,2026-02,abc,CNY,1\n").encode()
    with pytest.raises(BatchRejected) as caught:
        spend.import_file(session, "spend.csv", data, None)
    assert [(e.line, e.field) for e in caught.value.lines] == [(3, "amount")]
    assert _count(session) == 0
    fixed = data.replace(b"abc", b"250")
    assert spend.import_file(session, "spend.csv", fixed, None).created == 2
    assert spend.import_file(session, "spend.csv", fixed, None).unchanged == 2
    assert _count(session) == 2


def test_import_file_names_missing_columns(session, buyer):
    with pytest.raises(BatchRejected) as caught:
        spend.import_file(session, "spend.csv", b"external_id,organisation\nE1,GROUP\n", None)
    assert "Missing columns" in str(caught.value.lines[0].message)


def test_json_numbers_are_read_as_written_and_too_many_decimals_refused(session, buyer):
    root, supplier = buyer
    lines = [spend_input(supplier, root, amount=1200.1), spend_input(supplier, root, month="2026-04", amount=7)]
    spend.record_batch(session, lines, None)
    assert sorted(session.scalars(select(SpendLine.amount))) == [Decimal("7.00"), Decimal("1200.10")]
    with pytest.raises(BatchRejected) as caught:
        spend.record_batch(session, [spend_input(supplier, root, month="2026-05", amount=0.125),
                                     spend_input(supplier, root, month="2026-06", amount=True)], None)
    assert [(e.line, e.field) for e in caught.value.lines] == [(1, "amount"), (2, "amount")]
