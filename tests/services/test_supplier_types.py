"""The supplier type (manufacturer, distributor, service provider, contractor): form rules, audit, list filter,
import column and the API's search."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry, Supplier
from supplychain.services.imports import importer
from supplychain.services.integration import supplier_records
from supplychain.services.registry import suppliers as registry
from tests.factories import gen_category, gen_credit_code, gen_supplier, supplier_data

TODAY = date(2026, 3, 1)


def test_a_new_supplier_is_a_manufacturer_unless_told_otherwise(session):
    gen_category(session)
    plain = registry.create_supplier(session, supplier_data(), None, TODAY)
    contractor = registry.create_supplier(session, supplier_data(supplier_type="contractor"), None, TODAY)
    assert (plain.supplier_type, contractor.supplier_type) == ("manufacturer", "contractor")
    created = session.scalar(select(AuditEntry.changes).where(AuditEntry.entity_type == "supplier",
                                                              AuditEntry.entity_id == contractor.id))
    assert created["supplier_type"] == [None, "contractor"]


def test_an_unknown_type_is_refused_with_every_other_problem(session):
    gen_category(session)
    with pytest.raises(ValidationFailed) as failed:
        registry.create_supplier(session, supplier_data(supplier_type="builder", name_zh=""), None, TODAY)
    assert set(failed.value.errors) == {"supplier_type", "name_zh"}
    assert "builder" in str(failed.value.errors["supplier_type"][0])
    assert session.scalar(select(Supplier.id)) is None


def test_changing_the_type_is_audited_and_filters_the_list(session):
    supplier = gen_supplier(session, name_zh="重庆建工劳务有限公司")
    gen_supplier(session, name_zh="重庆机械制造有限公司")
    data = supplier_data(name_zh=supplier.name_zh, credit_code=supplier.credit_code, supplier_type="分包商")
    registry.update_supplier(session, supplier, data, None, TODAY)
    change = session.scalar(select(AuditEntry.changes).where(AuditEntry.action == "update",
                                                             AuditEntry.entity_id == supplier.id))
    assert change["supplier_type"] == ["manufacturer", "contractor"]
    found = registry.search(session, registry.SupplierFilters(supplier_type="contractor"))
    assert [s.name_zh for s in found.items] == ["重庆建工劳务有限公司"] and found.total == 1
    assert registry.search(session, registry.SupplierFilters(supplier_type="manufacturer")).total == 1
    api_page = supplier_records.search(session, "", "", "", 1, 50, supplier_type="contractor")
    assert [supplier_records.summary(s)["supplier_type"] for s in api_page.items] == ["contractor"]


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["供应商名称", "统一社会信用代码", "省份", "供应类别", "供应商类型"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _plan(session, rows: list[dict]) -> importer.ImportPlan:
    read, problems = importer.read_rows("suppliers.csv", _csv(rows))
    assert problems == []
    return importer.check_rows(session, read, TODAY)


def test_the_import_reads_the_type_in_chinese_or_english_and_a_blank_keeps_it(session):
    gen_category(session, "equipment", "设备", "Equipment")
    codes = [gen_credit_code() for _ in range(3)]
    rows = [{"供应商名称": "重庆建工劳务分包有限公司", "统一社会信用代码": codes[0], "省份": "重庆", "供应类别": "设备",
             "供应商类型": "分包商"},
            {"供应商名称": "重庆五金经销有限公司", "统一社会信用代码": codes[1], "省份": "重庆", "供应类别": "设备",
             "供应商类型": "Distributor"},
            {"供应商名称": "重庆精密机械有限公司", "统一社会信用代码": codes[2], "省份": "重庆", "供应类别": "设备",
             "供应商类型": ""}]
    plan = _plan(session, rows)
    assert plan.ok, plan.errors
    importer.apply_plan(session, plan, None, source="suppliers.csv")
    types = dict(session.execute(select(Supplier.credit_code, Supplier.supplier_type)).tuples().all())
    assert [types[code] for code in codes] == ["contractor", "distributor", "manufacturer"]

    # Imported again with the type column left empty: the stored types stay; a new type is an update.
    rows[0]["供应商类型"], rows[1]["供应商类型"] = "", "service provider"
    again = _plan(session, rows)
    assert [[change.field for change in row.changes] for row in again.updates] == [[], ["supplier_type"], []]
    importer.apply_plan(session, again, None, source="suppliers.csv")
    types = dict(session.execute(select(Supplier.credit_code, Supplier.supplier_type)).tuples().all())
    assert [types[code] for code in codes] == ["contractor", "service", "manufacturer"]


def test_an_unknown_type_in_a_file_is_a_row_error(session):
    gen_category(session, "equipment", "设备", "Equipment")
    plan = _plan(session, [{"供应商名称": "重庆建工有限公司", "统一社会信用代码": gen_credit_code(), "省份": "重庆",
                            "供应类别": "设备", "供应商类型": "包工头"}])
    assert [(error.line, error.field) for error in plan.errors] == [(2, "supplier_type")]
