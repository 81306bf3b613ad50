"""The import service: every bad row with its line, all or nothing, re-import updates by credit code."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import event, func, select

from supplychain import regions
from supplychain.models import AuditEntry, Supplier, SupplierContact
from supplychain.services.imports import importer
from supplychain.services.registry import registration_checks
from supplychain.services.registry import suppliers as registry
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user

TODAY = date(2026, 3, 1)
COLUMNS = importer.COLUMNS + ("registered_on",)


def _row(n: int, **values) -> dict:
    row = {"name_zh": f"重庆导入测试有限公司{n}", "name_en": f"Import Test {n}",
           "credit_code": gen_credit_code(), "country": "CN", "province": "重庆", "city": "重庆",
           "address": f"渝北区 {n} 号", "categories": "设备", "contact_name": "王伟",
           "contact_phone": "13800000000", "contact_email": f"w{n}@example.cn",
           "registered_on": ""}
    row.update(values)
    return row


def _csv(rows: list[dict], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _plan(session, rows: list[dict]) -> importer.ImportPlan:
    read, problems = importer.read_rows("suppliers.csv", _csv(rows))
    assert problems == []
    return importer.check_rows(session, read, TODAY)


def _errors(plan) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, str(e.message)) for e in plan.errors]


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


@pytest.fixture
def categories(session):
    gen_category(session, "equipment", "设备", "Equipment")
    gen_category(session, "components", "零部件", "Components and parts")
    session.commit()


def test_a_good_file_creates_suppliers_with_audit_entries(session, categories):
    actor = gen_user(session, "procurement")
    rows = [_row(1, registered_on="2019-05-01", categories="设备;components"),
            _row(2, province="Sichuan", credit_code=gen_credit_code("510000"), registered_on="2021/6/30"),
            _row(3, country="Germany", province="", credit_code="", name_zh="Schmidt GmbH", name_en="",
                 city="", address="", contact_name="", contact_phone="", contact_email="")]
    plan = _plan(session, rows)
    assert plan.ok and len(plan.creates) == 3 and plan.updates == []
    result = importer.apply_plan(session, plan, actor, source="suppliers.csv")
    session.commit()
    assert result.created == 3 and len(result.supplier_ids) == 3
    first = session.scalar(select(Supplier).where(Supplier.credit_code == rows[0]["credit_code"]))
    assert first.registered_on == date(2019, 5, 1) and first.status == "registered"
    assert first.region == "southwest"
    assert [c.code for c in first.categories] == ["components", "equipment"]
    assert [(c.name, c.phone, c.email) for c in first.contacts] == [("王伟", "13800000000", "w1@example.cn")]
    second = session.scalar(select(Supplier).where(Supplier.credit_code == rows[1]["credit_code"]))
    assert second.province_code == "510000" and second.registered_on == date(2021, 6, 30)
    overseas = session.scalar(select(Supplier).where(Supplier.name_zh == "Schmidt GmbH"))
    assert overseas.country == "DE" and overseas.region == "overseas" and overseas.registered_on == TODAY
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "create",
                                                       AuditEntry.entity_type == "supplier")).all()
    assert sorted(e.supplier_id for e in entries) == sorted(result.supplier_ids)
    entry = next(e for e in entries if e.supplier_id == first.id)
    assert entry.actor_email == actor.email and entry.note == "import suppliers.csv"
    for entry in entries:  # exactly what registering the supplier through the form records
        supplier = session.get(Supplier, entry.supplier_id)
        assert entry.changes == registry.audit.diff({}, registry.audit_snapshot(supplier))
    summary = session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert summary.changes == {"created": 3, "updated": 0, "unchanged": 0, "rows": 3, "blank_erases": False}


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved(session, categories):
    existing = gen_supplier(session, name_zh="重庆已登记有限公司")
    code = gen_credit_code()
    rows = [
        _row(1),
        _row(2, credit_code="91500000ABC"),  # line 3: too short
        _row(3, credit_code=code[:-1] + ("0" if code[-1] != "0" else "1")),  # line 4: check character
        _row(4, credit_code="91500100MA5UOOOOOO"),  # line 5: letters not in the code's alphabet
        _row(5, province="California"),  # line 6: not a province of China
        _row(6, categories="设备;火箭"),  # line 7
        _row(7, contact_email="wang@"),  # line 8
        _row(8, name_zh="长" * 201, address="址" * 301),  # line 9
        _row(9, name_zh="重庆已登记有限公司"),  # line 10: same name as a registered supplier
        _row(10, registered_on="31.12.2020"),  # line 11
        _row(11, registered_on="2099-01-01"),  # line 12
        _row(12, country="Atlantis", province=""),  # line 13
        _row(13, credit_code=""),  # line 14: mainland without a code
    ]
    plan = _plan(session, rows)
    assert not plan.ok
    assert plan.bad_lines == list(range(3, 15))
    errors = _errors(plan)
    assert (3, "credit_code", "A Unified Social Credit Code has 18 characters.") in errors
    assert (4, "credit_code", "The check character (the 18th) is wrong: the code has a typo.") in errors
    assert (5, "credit_code",
            "Only digits and the capital letters A–Y except I, O, S, V, Z are allowed.") in errors
    assert (6, "province", "Unknown province: California.") in errors
    assert (7, "categories", "Unknown supply category: 火箭.") in errors
    assert (8, "contact_email", "Not a valid e-mail address: wang@.") in errors
    assert (9, "name_zh", "At most 200 characters.") in errors
    assert (9, "address", "At most 300 characters.") in errors
    assert (10, "name_zh", "A supplier with this name exists: 重庆已登记有限公司.") in errors
    assert next(e for e in plan.errors if e.line == 10).message.supplier_id == existing.id
    assert (11, "registered_on", "Not a date: 31.12.2020. Write it as YYYY-MM-DD or 2024年5月6日.") in errors
    assert (12, "registered_on", "The registration date cannot be in the future.") in errors
    assert (13, "country", "Unknown country: Atlantis.") in errors
    assert (14, "credit_code",
            "The Unified Social Credit Code is required for a mainland supplier.") in errors
    assert [e.line for e in plan.errors] == sorted(e.line for e in plan.errors)
    with pytest.raises(ValueError):
        importer.apply_plan(session, plan, None)
    assert _count(session) == 1


def test_duplicate_credit_codes_and_names_inside_the_file(session, categories):
    code = gen_credit_code()
    rows = [_row(1, credit_code=code), _row(2), _row(3, credit_code=code.lower()),
            _row(4, name_zh="重庆导入测试有限公司 2")]
    plan = _plan(session, rows)
    assert _errors(plan) == [(4, "credit_code", "The same credit code is already on line 2."),
                             (5, "name_zh", "The same name is already on line 3.")]


def test_reimporting_the_same_file_updates_by_credit_code_and_creates_no_duplicates(session, categories):
    rows = [_row(n, registered_on=f"2018-01-0{n}") for n in range(1, 4)]
    rows.append(_row(4, country="JP", province="", credit_code="", name_zh="Yamada Seiki"))
    importer.apply_plan(session, _plan(session, rows), None)
    session.commit()
    again = _plan(session, rows)
    assert again.ok and again.creates == [] and len(again.updates) == 4
    result = importer.apply_plan(session, again, None)
    session.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert _count(session) == 4
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "update")) == 0

    rows[1]["name_en"] = "Renamed Ltd."
    rows[1]["categories"] = "零部件"
    rows[3]["address"] = "Tokyo"
    result = importer.apply_plan(session, _plan(session, rows), None)
    session.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    assert _count(session) == 4
    changed = session.scalar(select(Supplier).where(Supplier.credit_code == rows[1]["credit_code"]))
    assert changed.name_en == "Renamed Ltd." and [c.code for c in changed.categories] == ["components"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "update",
                                                    AuditEntry.supplier_id == changed.id))
    assert entry.changes == {"name_en": ["Import Test 2", "Renamed Ltd."], "category_codes": [["equipment"],
                                                                                            ["components"]]}


def test_an_update_keeps_the_registration_date_status_and_other_contacts(session, categories):
    supplier = gen_supplier(session, status="qualified", today=date(2015, 4, 1),
                            name_zh="重庆老供应商有限公司",
                            contacts=[registry.ContactData("甲", "13900000001", "a@example.cn"),
                                      registry.ContactData("乙", "13900000002", "b@example.cn")])
    session.commit()
    row = _row(1, credit_code=supplier.credit_code, name_zh="重庆老供应商有限公司", contact_name="丙",
               contact_email="c@example.cn", registered_on="")
    plan = _plan(session, [row])
    assert [r.supplier_id for r in plan.updates] == [supplier.id]
    importer.apply_plan(session, plan, None)
    session.commit()
    session.refresh(supplier)
    assert supplier.registered_on == date(2015, 4, 1) and supplier.status == "qualified"
    assert [c.name for c in supplier.contacts] == ["丙", "乙"]
    row["registered_on"] = "2014-12-31"
    importer.apply_plan(session, _plan(session, [row]), None)
    session.commit()
    session.refresh(supplier)
    assert supplier.registered_on == date(2014, 12, 31)


def test_an_update_may_not_take_the_name_of_another_supplier(session, categories):
    first = gen_supplier(session, name_zh="重庆甲有限公司")
    gen_supplier(session, name_zh="重庆乙有限公司")
    plan = _plan(session, [_row(1, credit_code=first.credit_code, name_zh="重庆乙有限公司")])
    assert _errors(plan) == [(2, "name_zh", "A supplier with this name exists: 重庆乙有限公司.")]


def test_registration_checks_apply_to_imports(session, categories, monkeypatch):
    refused = gen_credit_code()

    def no_such_code(_session, clean):
        return {"credit_code": ["Blacklisted."]} if clean.credit_code == refused else {}

    monkeypatch.setattr(registration_checks, "CHECKS", [no_such_code])
    plan = _plan(session, [_row(1), _row(2, credit_code=refused)])
    assert _errors(plan) == [(3, "credit_code", "Blacklisted.")]

    calls = []

    def bulk(_session, cleans):
        calls.append(len(cleans))
        return [{"name_zh": ["No."]} if c.name_zh.endswith("1") else {} for c in cleans]

    no_such_code.many = bulk
    plan = _plan(session, [_row(1), _row(2)])
    assert calls == [2] and _errors(plan) == [(2, "name_zh", "No.")]


def test_checking_a_file_uses_a_few_queries_not_some_per_row(session, categories, app):
    for n in range(3):
        gen_supplier(session, name_zh=f"重庆已有有限公司{n}")
    session.commit()
    read, _ = importer.read_rows("s.csv", _csv([_row(n) for n in range(600)]))
    statements = []
    engine = app.extensions["sqlalchemy_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        plan = importer.check_rows(session, read, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert plan.ok
    # categories, organisations and the default one, known codes and names, blacklist: none per row.
    assert len(statements) <= 8, statements


def test_ten_thousand_rows_with_one_bad_row_then_fixed(session, categories):
    """Acceptance: one bad row in 10,000 saves nothing and is named; fixed, all are counted by region."""
    provinces = [p for p in regions.provinces() if p.code not in ("710000", "810000", "820000")]
    rows = []
    for n in range(10_000):
        province = provinces[n % len(provinces)]
        rows.append(_row(n, province=province.name_zh if n % 2 else province.code,
                         credit_code=gen_credit_code(province.code),
                         # Every tenth row has a contact: e-mail validation dominates the check's time.
                         contact_name="王伟" if n % 10 == 0 else "", contact_phone="",
                         contact_email=f"w{n}@example.cn" if n % 10 == 0 else ""))
    good_code = rows[5000]["credit_code"]
    rows[5000]["credit_code"] = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    data = _csv(rows)
    plan, result = importer.import_file(session, "big.csv", data, None, TODAY)
    assert result is None and plan.bad_lines == [5002]
    assert _errors(plan) == [
        (5002, "credit_code", "The check character (the 18th) is wrong: the code has a typo.")]
    session.rollback()
    assert _count(session) == 0

    rows[5000]["credit_code"] = good_code
    plan, result = importer.import_file(session, "big.csv", _csv(rows), None, TODAY)
    assert plan.ok and result.created == 10_000
    session.commit()
    assert _count(session) == 10_000
    assert session.scalar(select(func.count(SupplierContact.id))) == 1_000
    counts = registry.region_counts(session, registry.SupplierFilters())
    expected: dict[str, int] = {}
    for n in range(10_000):
        region = provinces[n % len(provinces)].region
        expected[region] = expected.get(region, 0) + 1
    assert {k: v for k, v in counts.by_region.items() if v} == expected
    page = registry.search(session, registry.SupplierFilters(), per_page=50)
    assert page.total == 10_000


def test_names_that_would_be_spreadsheet_formulas_are_refused_and_controls_stripped(session, categories):
    """=, +, - and @ at the start of a name are refused per row (the preview lists them); invisible
    control characters such as a right-to-left override are removed from the names that are kept."""
    rows = [_row(1, name_zh="=HYPERLINK(\"http://evil.example\",\"点击\")"), _row(2, name_en="@SUM(A1:A9)"),
            _row(3, name_zh="+cmd"), _row(4, name_en=" -2+3"), _row(5, name_zh="重庆\u202e正常\u200b有限公司")]
    plan = _plan(session, rows)
    message = "A name cannot start with =, +, - or @: spreadsheets would run it as a formula."
    assert (2, "name_zh", message) in _errors(plan)
    assert (3, "name_en", message) in _errors(plan)
    assert (4, "name_zh", message) in _errors(plan)
    assert (5, "name_en", message) in _errors(plan)
    assert plan.bad_lines == [2, 3, 4, 5]
    good = _plan(session, [_row(5, name_zh="重庆\u202e正常\u200b有限公司")])
    assert good.ok
    importer.apply_plan(session, good, None)
    assert session.scalar(select(Supplier.name_zh)) == "重庆正常有限公司"
