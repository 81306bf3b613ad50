"""Supplier registry services: validation rules, duplicates, audit, search."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.services.registry import suppliers
from tests.factories import gen_category, gen_credit_code, gen_supplier, supplier_data

TODAY = date(2026, 11, 21)


def test_name_key_folds_width_case_spaces_and_brackets():
    assert suppliers.name_key("重庆（两江）机械 有限公司") == suppliers.name_key("重庆(两江)机械有限公司")
    assert suppliers.name_key("ＡＢＣ Co., Ltd.") == suppliers.name_key("abc co ltd")


def test_create_derives_region_and_audits(session):
    gen_category(session)
    supplier = suppliers.create_supplier(
        session, supplier_data(province="广东省", credit_code=gen_credit_code("440000")), None, TODAY
    )
    assert supplier.province_code == "440000" and supplier.region == "south" and supplier.registered_on == TODAY
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.entity_type == "supplier", AuditEntry.entity_id == supplier.id)
    )
    assert entry.action == "create" and entry.changes["region"] == [None, "south"]


def test_hong_kong_supplier_needs_no_credit_code(session):
    gen_category(session)
    supplier = suppliers.create_supplier(session, supplier_data(country="HK", province="", credit_code=""), None, TODAY)
    assert supplier.region == "south" and supplier.credit_code is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"credit_code": ""}, "credit_code"),
        ({"province": "Bavaria"}, "province"),
        ({"country": "Atlantis"}, "country"),
        ({"categories": ["unknown"]}, "categories"),
        ({"registered_on": TODAY + timedelta(days=1)}, "registered_on"),
        ({"country": "DE", "province": "500000"}, "province"),
    ],
)
def test_refused_values(session, overrides, field):
    gen_category(session)
    with pytest.raises(ValidationFailed) as failed:
        suppliers.create_supplier(session, supplier_data(**overrides), None, TODAY)
    assert field in failed.value.errors


def test_registration_checks_apply_to_every_registration(session, monkeypatch):
    from supplychain.services.registry import registration_checks

    gen_category(session)
    monkeypatch.setattr(registration_checks, "CHECKS", [lambda s, clean: {"credit_code": ["refused by a check"]}])
    with pytest.raises(ValidationFailed) as failed:
        suppliers.create_supplier(session, supplier_data(), None, TODAY)
    assert failed.value.errors["credit_code"] == ["refused by a check"]


def test_update_keeps_its_own_credit_code_and_records_changes(session):
    supplier = gen_supplier(session, city="重庆")
    data = supplier_data(name_zh=supplier.name_zh, credit_code=supplier.credit_code, city="万州")
    suppliers.update_supplier(session, supplier, data, None, TODAY)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.changes["city"] == ["重庆", "万州"]


def test_search_and_region_counts(session):
    gen_supplier(session, name_zh="重庆一号有限公司")
    gen_supplier(session, name_zh="四川二号有限公司", province="510000", credit_code=gen_credit_code("510000"))
    gen_supplier(session, name_zh="北京三号有限公司", province="110000", credit_code=gen_credit_code("110000"))
    filters = suppliers.SupplierFilters()
    counts = suppliers.region_counts(session, filters)
    assert counts.by_region["southwest"] == 2 and counts.by_region["north"] == 1 and counts.by_region["overseas"] == 0
    assert counts.local == 1 and counts.total == 3
    page = suppliers.search(session, suppliers.SupplierFilters(q="号", region="southwest", sort="name"))
    assert page.total == 2 and [s.name_zh for s in page.items] == ["四川二号有限公司", "重庆一号有限公司"]
    code = page.items[0].credit_code
    assert suppliers.search(session, suppliers.SupplierFilters(q=code[:10].lower())).total >= 1


def test_normalized_email_agrees_with_email_validator():
    from email_validator import EmailNotValidError, validate_email

    samples = [
        "wang@example.cn",
        "Li.Na+sales@Example.COM",
        "a..b@example.com",
        "x@-bad.com",
        "no-at-sign",
        "张三@例子.中国",
        "x@localhost",
        "x@example",
        '"quoted"@example.com',
        "a@b.invalid",
        "o'brien@example.ie",
        ".lead@example.com",
        "x@exa_mple.com",
        "a" * 65 + "@example.com",
    ]
    for email in samples:
        try:
            expected = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            expected = None
        assert suppliers.normalized_email(email) == expected, email


@pytest.mark.parametrize("sort", sorted(suppliers.SORTS))
def test_a_page_of_few_matches_is_in_the_same_order_as_a_page_of_many(session, monkeypatch, sort):
    """Few matches are gathered first and then sorted (no walk of the order's index): same rows, same order."""
    days = [TODAY - timedelta(days=n % 3) for n in range(7)]  # ties on the date: the id decides
    provinces = ["500000", "510000", "110000"]
    for n, day in enumerate(days):
        province = provinces[n % 3]
        gen_supplier(session, name_zh=f"排序{'丙乙甲'[n % 3]}{n}有限公司", province=province, registered_on=day,
                     credit_code=gen_credit_code(province), status=("qualified", "registered")[n % 2])
    filters = suppliers.SupplierFilters(q="排序", sort=sort)

    monkeypatch.setattr(suppliers, "GATHER_FIRST_BELOW", 0)
    walked = [s.id for s in suppliers.search(session, filters, per_page=3, page=2).items]
    everything = [s.id for s in suppliers.search(session, filters, per_page=10).items]
    monkeypatch.setattr(suppliers, "GATHER_FIRST_BELOW", 500)
    assert [s.id for s in suppliers.search(session, filters, per_page=3, page=2).items] == walked
    assert [s.id for s in suppliers.search(session, filters, per_page=10).items] == everything
    assert len(everything) == 7 and everything[3:6] == walked


def test_a_search_that_matches_nothing_is_an_empty_first_page(session):
    gen_supplier(session, name_zh="重庆空页有限公司")
    page = suppliers.search(session, suppliers.SupplierFilters(q="重庆", region="east"), page=3)
    assert page.items == [] and page.total == 0 and page.page == 1 and page.pages == 1
