"""Supplier imports of files as Hong Kong, Taiwan and mainland users write them: a tiny Big5 file read right or
refused (never saved garbled), supply categories in traditional characters, and a repeated credit code reported
whatever else is wrong with either row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from supplychain.models import Supplier
from supplychain.services.imports import importer
from supplychain.services.registry import suppliers as registry
from tests.factories import gen_category, gen_credit_code, gen_user

TODAY = date(2026, 3, 1)


@pytest.fixture
def categories(session):
    gen_category(session, "equipment", "设备", "Equipment")
    gen_category(session, "services", "服务", "Services")
    gen_category(session, "env_services", "环保服务", "Environmental services")
    gen_category(session, "cables", "线缆", "Cables")
    session.commit()


def _errors(plan) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.field, str(e.message)) for e in plan.errors]


def _count(session) -> int:
    return session.scalar(select(func.count(Supplier.id)))


@pytest.mark.parametrize(("text", "names"), [
    ("name_zh,country\r\n香港公司,HK\r\n", ["香港公司"]),
    ("Supplier name,Country,Address\r\n港灣實業,HK,灣仔\r\n新華行,HK,中環\r\n", ["港灣實業", "新華行"]),
    ("name_zh,country,city\r\n臺灣電子公司,TW,臺北\r\n", ["臺灣電子公司"]),
])
def test_a_tiny_big5_file_is_saved_right(session, categories, text, names):
    plan, result = importer.import_file(session, "hk.csv", text.encode("big5"), None, TODAY)
    assert _errors(plan) == [] and plan.warnings == [] and plan.encoding.encoding in ("big5hkscs", "cp950")
    assert result is not None and result.created == len(names)
    session.commit()
    assert sorted(session.scalars(select(Supplier.name_zh))) == sorted(names)


def test_a_tiny_gbk_file_is_saved_right(session, categories):
    code = gen_credit_code("440000")
    text = f"供应商名称,统一社会信用代码,省份,供应类别\r\n深圳华南精密有限公司,{code},广东省,设备\r\n"
    plan, result = importer.import_file(session, "cn.csv", text.encode("gbk"), None, TODAY)
    assert _errors(plan) == [] and plan.warnings == []
    assert (plan.encoding.encoding, plan.encoding.certain) == ("gb18030", True)
    assert result is not None and result.created == 1
    assert session.scalar(select(Supplier.name_zh)) == "深圳华南精密有限公司"


def test_a_file_garbled_in_every_encoding_is_refused_even_with_warnings_accepted(session, categories):
    # GB18030: あア切青; Big5 (HKSCS): 丐失ピヤ; cp950: 丐失зч.
    data = b"name_zh,country\r\n\xa4\xa2\xa5\xa2\xc7\xd0\xc7\xe0,HK\r\n"
    plan, result = importer.import_file(session, "x.csv", data, None, TODAY, accept_warnings=True)
    assert result is None and _count(session) == 0
    assert plan.encoding is not None and not plan.encoding.certain  # the preview offers the other encodings
    [(line, column, message)] = _errors(plan)
    assert (line, column) == (None, "")
    assert message.startswith("Read as GB18030 / GBK, the file holds characters that Chinese text does not (あ ア)")
    assert "Choose the file's encoding" in message


def test_traditional_category_names_are_recognised(session, categories):
    data = ("供應商名稱,統一社會信用代碼,省份,供應類別\r\n"
            f"深圳繁體測試甲有限公司,{gen_credit_code('440000')},廣東省,設備、服務\r\n"
            f"深圳繁體測試乙有限公司,{gen_credit_code('440000')},廣東省,環保服務\r\n"
            f"深圳繁體測試丙有限公司,{gen_credit_code('440000')},廣東省,綫纜；線纜\r\n").encode("big5hkscs")
    plan, result = importer.import_file(session, "hk.csv", data, None, TODAY)
    assert _errors(plan) == [] and result is not None and result.created == 3
    session.commit()
    found = {supplier.name_zh: sorted(c.code for c in supplier.categories)
             for supplier in session.scalars(select(Supplier))}
    assert found == {"深圳繁體測試甲有限公司": ["equipment", "services"],
                     "深圳繁體測試乙有限公司": ["env_services"], "深圳繁體測試丙有限公司": ["cables"]}


def test_traditional_qualified_categories_in_a_migration(session, categories):
    admin = gen_user(session, "admin")
    session.commit()
    code = gen_credit_code("440000")
    data = ("供應商名稱,統一社會信用代碼,省份,供應類別,狀態,狀態日期,合格類別\r\n"
            f"深圳繁體測試甲有限公司,{code},廣東省,設備,合格供應商,2024年5月6日,設備、環保服務\r\n").encode("big5")
    options = importer.ImportOptions(migration=True, reason="ERP 合格名錄")
    plan, result = importer.import_file(session, "m.csv", data, admin, TODAY, options=options)
    assert _errors(plan) == [] and result is not None
    session.commit()
    supplier = session.scalar(select(Supplier).where(Supplier.credit_code == code))
    assert supplier.status == "qualified"
    assert sorted(c.code for c in supplier.categories) == ["env_services", "equipment"]


def test_an_unknown_traditional_category_is_still_named(session, categories):
    data = (f"供應商名稱,統一社會信用代碼,省份,供應類別\r\n深圳繁體測試甲有限公司,{gen_credit_code('440000')},"
            "廣東省,火箭燃料\r\n").encode("big5")
    plan = importer.plan_file(session, "hk.csv", data, None, TODAY)
    assert _errors(plan) == [(2, "categories", "Unknown supply category: 火箭燃料.")]


def test_find_category_prefers_the_name_as_written(session, categories):
    index = registry.category_index(session)
    assert registry.find_category(index, " EQUIPMENT ").code == "equipment"
    assert registry.find_category(index, "設備").code == "equipment"
    assert registry.find_category(index, "Environmental  Services").code == "env_services"
    assert registry.find_category(index, "火箭") is None


def _duplicate_file(first: dict, second: dict) -> bytes:
    header = "供应商名称,统一社会信用代码,省份,供应类别,联系人,联系电话,邮箱\r\n"
    rows = "".join(f"{r['name']},{r['code']},广东省,设备,张三,13800000000,{r['email']}\r\n" for r in (first, second))
    return (header + rows).encode("gbk")


def test_a_repeated_credit_code_is_reported_when_the_second_row_has_another_error(session, categories):
    code = gen_credit_code("440000")
    data = _duplicate_file({"name": "坏行测试甲有限公司", "code": code, "email": "a@example.cn"},
                           {"name": "坏行测试戊有限公司", "code": code, "email": "not-an-email"})
    plan, result = importer.import_file(session, "bad.csv", data, None, TODAY, accept_warnings=True)
    assert result is None and _count(session) == 0
    assert _errors(plan) == [(3, "credit_code", "The same credit code is already on line 2."),
                             (3, "contact_email", "Not a valid e-mail address: not-an-email.")]


def test_a_repeated_credit_code_is_reported_when_the_first_row_has_another_error(session, categories):
    code = gen_credit_code("440000")
    data = _duplicate_file({"name": "坏行测试甲有限公司", "code": code, "email": "not-an-email"},
                           {"name": "坏行测试戊有限公司", "code": code.lower(), "email": "e@example.cn"})
    plan = importer.plan_file(session, "bad.csv", data, None, TODAY)
    assert _errors(plan) == [(2, "contact_email", "Not a valid e-mail address: not-an-email."),
                             (3, "credit_code", "The same credit code is already on line 2.")]


def test_an_invalid_credit_code_is_no_duplicate(session, categories):
    code = gen_credit_code("440000")
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")  # a typo in the check character
    data = _duplicate_file({"name": "坏行测试甲有限公司", "code": broken, "email": "a@example.cn"},
                           {"name": "坏行测试戊有限公司", "code": broken, "email": "not-an-email"})
    errors = _errors(importer.plan_file(session, "bad.csv", data, None, TODAY))
    assert [e for e in errors if "same credit code" in e[2]] == []
    assert {(line, column) for line, column, _m in errors} == {(2, "credit_code"), (3, "credit_code"),
                                                                (3, "contact_email")}


def test_the_accepted_files_bad_rows_are_all_reported(session, categories):
    """The acceptance tester's bad_gbk.csv: lines 3 and 7 share a code, line 7 also has a bad e-mail."""
    shared = gen_credit_code("440000")
    text = ("某某集团供应商名录（测试错误行）,,,,,,,,,\r\n"
            "序号,供应商名称,统一社会信用代码,省份,城市,详细地址,供应类别,联系人,联系电话,邮箱\r\n"
            f"1,坏行测试甲有限公司,{shared},广东省,深圳,地址1,设备,张三,13800000000,a@example.cn\r\n"
            f"2,坏行测试乙有限公司,{gen_credit_code('440000')},广东省,深圳,地址2,设备,李四,13800000001,b@example.cn\r\n"
            f"3,坏行测试戊有限公司,{shared},广东省,深圳,地址5,设备,钱七,13800000004,not-an-email\r\n")
    plan = importer.plan_file(session, "bad_gbk.csv", text.encode("gbk"), None, TODAY)
    assert [(line, column) for line, column, _m in _errors(plan)] == [(5, "credit_code"), (5, "contact_email")]
    assert _errors(plan)[0][2] == "The same credit code is already on line 3."
