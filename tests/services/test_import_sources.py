"""Issue 15: real platform exports (Chinese headers, GBK/Big5, title and two-row headers, footers), places and
values as they are written, a preview of changes, migration of an existing supply base."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from supplychain.models import AuditEntry, Supplier
from supplychain.services.daily_work import dashboard
from supplychain.services.disclosure import compute, statuses
from supplychain.services.imports import import_mappings, importer
from tests.factories import gen_category, gen_credit_code, gen_supplier, gen_user

TODAY = date(2026, 3, 1)


@pytest.fixture
def categories(session):
    gen_category(session, "equipment", "设备", "Equipment")
    gen_category(session, "components", "零部件", "Components and parts")
    gen_category(session, "logistics", "物流", "Logistics")
    session.commit()


def _errors(plan) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.field, str(e.message)) for e in plan.errors]


def _texts(found) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.field, str(e.message)) for e in found]


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


def _platform_export(rows: list[list[str]]) -> str:
    """A procurement platform's export: a title, a two-row header (联系人信息 over three columns), a footer."""
    lines = ["2025年合格供应商名录,,,,,,,,",
             "序号,供应商名称,统一社会信用代码,省份,供应类别,联系人信息,,,备注",
             ",,,,,姓名,电话,邮箱,"]
    lines += [",".join(row) for row in rows]
    lines += [f"合计：{len(rows)} 家,,,,,,,,", "备注：数据来自采购平台,,,,,,,,"]
    return "\r\n".join(lines) + "\r\n"


def test_a_gbk_platform_export_with_chinese_headers_goes_in(session, categories):
    gd, cq = gen_credit_code("440000"), gen_credit_code("500000")
    text = _platform_export([
        ["1", "广州华南精密有限公司", gd, "", "设备、零部件", "陈明", "（０２０）８７６５４３２１转801",
         "chen＠example.cn", ""],
        ["2", "重庆山城物流有限公司", cq, "重慶市", "物流，设备", "李红", "138 0000 0000", "li@example.cn", "老客户"],
    ])
    plan = importer.plan_file(session, "平台导出.csv", text.encode("gbk"), None, TODAY)
    assert _errors(plan) == [] and plan.warnings == []
    assert plan.encoding.encoding == "gb18030" and plan.encoding.certain
    assert [row.line for row in plan.rows] == [4, 5]
    assert plan.header.columns[1:8] == ["name_zh", "credit_code", "province", "categories", "contact_name",
                                        "contact_phone", "contact_email"]
    notes = _texts(plan.notes)
    assert (4, "province", "Province taken from the credit code: 广东省.") in notes
    assert (6, "", "Skipped: a total or notes row, not a supplier.") in notes
    assert (7, "", "Skipped: a total or notes row, not a supplier.") in notes
    importer.apply_plan(session, plan, None, source="平台导出.csv")
    session.commit()
    guangzhou = session.scalar(select(Supplier).where(Supplier.credit_code == gd))
    assert guangzhou.province_code == "440000" and guangzhou.region == "south"
    assert sorted(c.code for c in guangzhou.categories) == ["components", "equipment"]
    assert [(c.name, c.phone, c.email) for c in guangzhou.contacts] == [
        ("陈明", "(020)87654321-801", "chen@example.cn")]
    chongqing = session.scalar(select(Supplier).where(Supplier.credit_code == cq))
    assert chongqing.province_code == "500000" and sorted(c.code for c in chongqing.categories) == [
        "equipment", "logistics"]


def test_the_same_export_as_xlsx_with_a_merged_group_header(session, categories):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["供应商名录"])
    sheet.append(["供应商名称", "统一社会信用代码", "省份", "联系人信息", None, None])
    sheet.append([None, None, None, "姓名", "电话", "邮箱"])
    sheet.merge_cells("D2:F2")
    code = gen_credit_code("510000")
    sheet.append(["成都蜀道机械有限公司", code, "四川省", "张伟", 13900000000, "zhang@example.cn"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = importer.plan_file(session, "s.xlsx", buffer.getvalue(), None, TODAY)
    assert _errors(plan) == [] and len(plan.creates) == 1
    row = plan.rows[0]
    assert row.line == 4 and row.clean.province_code == "510000"
    assert [(c.name, c.phone, c.email) for c in row.clean.contacts] == [("张伟", "13900000000", "zhang@example.cn")]


def test_a_big5_file_is_read_as_big5_never_garbled(session, categories):
    text = ("供應商名稱,國家,省份,聯絡人,電話\r\n"
            "香港長江精密機械有限公司,中國香港,,陳大文,852 2345 6789\r\n"
            "澳門濠江貿易有限公司,澳門特別行政區,,黃小明,853 2888 1234\r\n")
    plan = importer.plan_file(session, "hk.csv", text.encode("big5"), None, TODAY)
    assert _errors(plan) == []
    assert plan.encoding.encoding in ("big5hkscs", "cp950") and plan.encoding.certain
    names = [row.clean.name_zh for row in plan.rows]
    assert names == ["香港長江精密機械有限公司", "澳門濠江貿易有限公司"]
    assert [(row.clean.country, row.clean.region) for row in plan.rows] == [("HK", "south"), ("MO", "south")]
    # Read as GB18030 on purpose, the names are garbage: the user who picks it sees so, and is told.
    forced = importer.plan_file(session, "hk.csv", text.encode("big5"), None, TODAY, encoding="gb18030")
    assert "香港長江精密機械有限公司" not in [row.clean.name_zh for row in forced.rows]


def test_an_uncertain_encoding_is_a_warning_naming_it(session, categories):
    text = "名称,国家\r\n陈记,DE\r\n"  # two Chinese characters: too few to tell GBK from Big5
    plan = importer.plan_file(session, "short.csv", text.encode("gbk"), None, TODAY)
    assert plan.encoding.certain is False
    assert any("read as GB18030 / GBK" in str(w.message) for w in plan.warnings)
    plan_, result = importer.import_file(session, "short.csv", text.encode("gbk"), None, TODAY)
    assert result is None and _count(session) == 0  # not saved until the warning is accepted
    plan_, result = importer.import_file(session, "short.csv", text.encode("gbk"), None, TODAY,
                                         encoding="gb18030")
    assert result is not None and result.created == 1  # the user chose the encoding: no guess left


def test_places_in_traditional_short_iso_and_code_forms(session, categories):
    forms = ["廣東省", "44", "CN-GD", "Guangdong Sheng", "粤", "440000"]
    header = "供应商名称,统一社会信用代码,省份\r\n"
    body = "".join(f"广东测试{n}有限公司,{gen_credit_code('440000')},{form}\r\n" for n, form in enumerate(forms))
    plan = importer.plan_file(session, "p.csv", (header + body).encode(), None, TODAY)
    assert _errors(plan) == [] and plan.warnings == []
    assert {row.clean.province_code for row in plan.rows} == {"440000"}


def test_a_province_that_contradicts_the_credit_code_is_a_warning_to_accept(session, categories):
    code = gen_credit_code("440000")
    data = f"供应商名称,统一社会信用代码,省份\r\n冲突测试有限公司,{code},四川\r\n".encode()
    plan, result = importer.import_file(session, "c.csv", data, None, TODAY)
    assert plan.ok and result is None and _count(session) == 0
    assert _texts(plan.warnings) == [
        (2, "province", "The province 四川省 differs from the credit code's registration place 广东省.")]
    with pytest.raises(ValueError):
        importer.apply_plan(session, plan, None)
    plan, result = importer.import_file(session, "c.csv", data, None, TODAY, accept_warnings=True)
    session.commit()
    assert result.created == 1
    assert session.scalar(select(Supplier.province_code)) == "510000"  # the user's value, accepted


def test_values_as_excel_and_platforms_write_them(session, categories):
    codes = [gen_credit_code() for _ in range(4)]
    text = ("供应商名称,统一社会信用代码,省份,注册日期,供应类别\r\n"
            f"日期一有限公司,{codes[0]},重庆,2023年5月6日,设备;零部件\r\n"
            f"日期二有限公司,{codes[1]},重庆,20230506,设备、物流\r\n"
            f"日期三有限公司,{codes[2]},重庆,2023-05-06 14:30:00,设备，物流\r\n"
            f"日期四有限公司,{codes[3]},重庆,45052,\"设备,物流\"\r\n")
    plan = importer.plan_file(session, "d.csv", text.encode(), None, TODAY)
    assert _errors(plan) == []
    assert {row.clean.registered_on for row in plan.rows} == {date(2023, 5, 6)}
    assert [len(row.clean.categories) for row in plan.rows] == [2, 2, 2, 2]


def test_an_excel_mangled_credit_code_gets_its_own_message(session, categories):
    text = ("供应商名称,统一社会信用代码,省份\r\n"
            "科学计数有限公司,9.15001E+17,重庆\r\n"
            "补零有限公司,915001123456789000,重庆\r\n")
    plan = importer.plan_file(session, "m.csv", text.encode(), None, TODAY)
    messages = _errors(plan)
    assert [(line, name) for line, name, _m in messages] == [(2, "credit_code"), (3, "credit_code")]
    assert all(message.startswith("Excel turned this credit code into a number") for *_x, message in messages)
    assert not any("check character" in message for *_x, message in messages)


def test_a_pair_outside_the_standard_is_refused_in_an_import(session, categories):
    plan = importer.plan_file(session, "t.csv", "供应商名称,统一社会信用代码,省份\r\n类型错误有限公司,"
                              "GE95967395QBH4DB65,重庆\r\n".encode(), None, TODAY)
    assert [(line, name) for line, name, _m in _errors(plan)] == [(2, "credit_code")]


def test_empty_cells_keep_stored_values_and_the_preview_lists_changes(session, categories):
    supplier = gen_supplier(session, name_zh="重庆保留测试有限公司", name_en="Keep Ltd", city="万州",
                            address="万州区 1 号")
    session.commit()
    text = ("name_zh,name_en,credit_code,province,city,address,contact_phone\r\n"
            f"重庆保留测试有限公司,,{supplier.credit_code},重庆,,新地址 9 号,\r\n")
    plan = importer.plan_file(session, "u.csv", text.encode(), None, TODAY)
    assert plan.ok and len(plan.updates) == 1
    changes = [(c.field, c.old, c.new) for c in plan.updates[0].changes]
    assert changes == [("address", "万州区 1 号", "新地址 9 号")]
    importer.apply_plan(session, plan, None)
    session.commit()
    session.refresh(supplier)
    assert (supplier.name_en, supplier.city, supplier.address) == ("Keep Ltd", "万州", "新地址 9 号")
    assert supplier.contacts  # the stored contact is kept
    # Asked for: empty cells erase.
    plan = importer.plan_file(session, "u.csv", text.encode(), None, TODAY,
                              importer.ImportOptions(blank_erases=True))
    fields = {c.field: (c.old, c.new) for c in plan.updates[0].changes}
    assert fields["name_en"] == ("Keep Ltd", "") and fields["city"] == ("万州", "")
    importer.apply_plan(session, plan, None)
    session.commit()
    session.refresh(supplier)
    assert (supplier.name_en, supplier.city) == (None, None) and supplier.contacts == []


def test_a_status_needs_a_migration(session, categories):
    text = f"供应商名称,统一社会信用代码,省份,状态\r\n状态测试有限公司,{gen_credit_code()},重庆,合格\r\n"
    plan = importer.plan_file(session, "s.csv", text.encode(), None, TODAY)
    assert [(line, name) for line, name, _m in _errors(plan)] == [(2, "status")]
    assert "migration" in _errors(plan)[0][2]


def test_a_migration_by_a_non_admin_or_without_reason_is_refused(session, categories):
    text = f"供应商名称,统一社会信用代码,省份,状态\r\n状态测试有限公司,{gen_credit_code()},重庆,合格\r\n"
    buyer = gen_user(session, "procurement")
    admin = gen_user(session, "admin")
    plan, result = importer.import_file(session, "s.csv", text.encode(), buyer, TODAY,
                                        options=importer.ImportOptions(migration=True, reason="ERP"))
    assert result is None and _errors(plan) == [
        (None, "", "Only an administrator can migrate an existing supply base.")]
    plan, result = importer.import_file(session, "s.csv", text.encode(), admin, TODAY,
                                        options=importer.ImportOptions(migration=True, reason=" "))
    assert result is None and "reason" in _errors(plan)[0][2]
    assert _count(session) == 0


def test_a_migration_brings_over_statuses_with_their_origin(session, categories):
    admin = gen_user(session, "admin")
    existing = gen_supplier(session, name_zh="已有供应商有限公司")
    session.commit()
    codes = [gen_credit_code() for _ in range(3)]
    text = ("供应商名称,统一社会信用代码,省份,状态,状态日期,合格类别\r\n"
            f"迁移合格有限公司,{codes[0]},重庆,合格供应商,2024-03-01,设备、零部件\r\n"
            f"迁移试用有限公司,{codes[1]},四川,试用,2025年6月1日,\r\n"
            f"迁移登记有限公司,{codes[2]},重庆,,,\r\n"
            f"已有供应商有限公司,{existing.credit_code},重庆,qualified,2023-01-01,物流\r\n")
    text = text.replace(f"{codes[1]},四川", f"{gen_credit_code('510000')},四川")
    options = importer.ImportOptions(migration=True, reason="2025 年 ERP 合格名录")
    plan, result = importer.import_file(session, "erp.csv", text.encode(), admin, TODAY, options=options)
    assert _errors(plan) == [] and result is not None
    session.commit()
    assert result.created == 3 and result.updated == 1 and result.statuses == 3
    qualified = session.scalar(select(Supplier).where(Supplier.credit_code == codes[0]))
    assert (qualified.status, qualified.status_since) == ("qualified", date(2024, 3, 1))
    assert qualified.registered_on == date(2024, 3, 1)  # no registration date: at the latest when qualified
    assert sorted(c.code for c in qualified.categories) == ["components", "equipment"]
    session.refresh(existing)
    assert existing.status == "qualified" and "logistics" in [c.code for c in existing.categories]
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "status")).all()
    assert len(entries) == 3
    assert all(e.note == "migration: 2025 年 ERP 合格名录 (import erp.csv)" and e.actor_id == admin.id
               for e in entries)
    summary = session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert summary.changes["migration"] is True and summary.changes["reason"] == "2025 年 ERP 合格名录"
    # The dashboard counts the supply base at once; a past year's disclosure from each status' start.
    dash = dashboard.overview(session, TODAY, "zh")
    assert dash.in_supply_chain == 3
    assert set(statuses.engaged_on(session, date(2024, 12, 31))) == {qualified.id, existing.id}
    assert len(statuses.engaged_on(session, TODAY)) == 3


def test_a_mapping_remembered_per_template_reads_the_next_file(session, categories):
    admin = gen_user(session, "admin")
    text = f"厂商,统一社会信用代码,省份\r\n映射测试有限公司,{gen_credit_code()},重庆\r\n"
    plan = importer.plan_file(session, "m.csv", text.encode(), None, TODAY)
    assert not plan.ok and plan.header.unknown == ["厂商"]
    import_mappings.save(session, "suppliers", "某平台", {"厂商": "name_zh"}, admin)
    session.commit()
    mapping = import_mappings.get(session, "suppliers", "某平台")
    plan = importer.plan_file(session, "m.csv", text.encode(), None, TODAY, mapping=mapping)
    assert plan.ok and plan.rows[0].clean.name_zh == "映射测试有限公司"
    assert import_mappings.names(session, "suppliers") == ["某平台"]
    assert session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "import_mapping")) is not None


def test_done_when_a_gbk_export_of_3000_suppliers_goes_in_with_a_mapping_and_a_reason(session, categories):
    """The issue's acceptance: GBK, Chinese headers, 3,000 suppliers in several provinces, some traditional, some
    with an empty province, a column mapped by a saved template, statuses migrated with a reason; the dashboard
    shows the supply base by region at once and the disclosure for the year counts it."""
    admin = gen_user(session, "admin")
    places = [("500000", "重慶市"), ("510000", "四川省"), ("440000", "廣東省"), ("310000", "上海"),
              ("110000", ""), ("610000", "陝西省")]
    lines = ["2026年供应商名录（平台导出）", "序号,厂商名称,统一社会信用代码,省份,供应类别,状态,状态日期"]
    for n in range(3000):
        code, province = places[n % len(places)]
        lines.append(f"{n + 1},平台供应商{n}有限公司,{gen_credit_code(code)},{province},设备、零部件,合格,2025-06-30")
    lines.append("合计：3000 家")
    data = ("\r\n".join(lines) + "\r\n").encode("gbk")
    import_mappings.save(session, "suppliers", "采购平台", {"厂商名称": "name_zh"}, admin)
    session.commit()
    options = importer.ImportOptions(migration=True, reason="采购平台 2026 年合格供应商名录")
    plan, result = importer.import_file(session, "平台.csv", data, admin, TODAY, options=options,
                                        mapping=import_mappings.get(session, "suppliers", "采购平台"))
    assert _errors(plan) == [] and plan.warnings == [] and result.created == 3000 and result.statuses == 3000
    session.commit()
    assert sum(1 for note in plan.notes if note.field == "province") == 500  # Beijing's empty cells, from the code
    dash = dashboard.overview(session, TODAY, "zh")
    assert dash.in_supply_chain == 3000 and dash.local == 500
    by_region = dict(dash.by_region)
    assert (by_region["southwest"], by_region["south"], by_region["east"], by_region["north"],
            by_region["northwest"]) == (1000, 500, 500, 500, 500)
    figures = compute.compute(session, 2026, TODAY)
    assert figures["B5.1.total"].value == 3000 and figures["B5.1.southwest"].value == 1000
    assert figures["B5.1.south"].value == 500
    past = compute.compute(session, 2025, date(2025, 12, 31))
    assert past["B5.1.total"].value == 3000  # qualified since 2025-06-30, so counted in 2025 too
