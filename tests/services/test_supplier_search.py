"""Supplier search and the picker's lookup: every word must match; pinyin and initials count (issue 13)."""

from __future__ import annotations

from supplychain.services.registry import supplier_search, suppliers
from tests.factories import gen_credit_code, gen_supplier


def _names(choices) -> list[str]:
    return sorted(choice.name_zh for choice in choices)


def _code(province: str = "500000") -> str:
    """A random credit code in which no searched pair of letters (tl, cq, cd) occurs by chance."""
    while True:
        code = gen_credit_code(province)
        if not any(pair in code.lower() for pair in ("tl", "cq", "cd")):
            return code


def _three(session):
    code = _code()
    gen_supplier(session, name_zh="重庆同力机械有限公司", name_en="", credit_code=code)
    gen_supplier(session, name_zh="重庆测试新材料有限公司", name_en="", credit_code=_code())
    gen_supplier(session, name_zh="成都同力电子有限公司", name_en="", credit_code=_code("510000"),
                 province="510000")
    session.flush()
    return code


def test_several_words_must_all_match(session):
    _three(session)
    assert _names(supplier_search.lookup(session, "重庆 同力")) == ["重庆同力机械有限公司"]
    assert _names(supplier_search.lookup(session, "同力")) == ["成都同力电子有限公司", "重庆同力机械有限公司"]
    assert supplier_search.lookup(session, "重庆 电子") == []


def test_part_of_a_name_pinyin_and_initials_find_the_supplier(session):
    _three(session)
    assert _names(supplier_search.lookup(session, "测试新材料")) == ["重庆测试新材料有限公司"]
    assert _names(supplier_search.lookup(session, "ceshixin")) == ["重庆测试新材料有限公司"]
    assert _names(supplier_search.lookup(session, "CQTL")) == ["重庆同力机械有限公司"]
    assert _names(supplier_search.lookup(session, "chongqing tongli")) == ["重庆同力机械有限公司"]


def test_credit_code_and_number_come_first(session):
    code = _three(session)
    found = supplier_search.lookup(session, code.lower())
    assert [choice.credit_code for choice in found] == [code]
    first = found[0]
    assert supplier_search.lookup(session, f"#{first.id}")[0].id == first.id
    assert first.reference == f"#{first.id} 重庆同力机械有限公司"


def test_the_limit_holds_and_percent_signs_are_literal(session):
    for index in range(12):
        gen_supplier(session, name_zh=f"宜宾批量{index:02d}有限公司", credit_code=gen_credit_code("510000"),
                     province="510000")
    assert len(supplier_search.lookup(session, "ybpl")) == 10
    assert supplier_search.lookup(session, "%") == []


def test_the_list_search_treats_words_the_same_way(session):
    _three(session)
    page = suppliers.search(session, suppliers.SupplierFilters(q="cq tl"))
    assert [s.name_zh for s in page.items] == ["重庆同力机械有限公司"]
    page = suppliers.search(session, suppliers.SupplierFilters(q="有限 公司"))
    assert page.total == 3


def test_a_renamed_supplier_is_found_by_its_new_pinyin(session):
    _three(session)
    supplier = supplier_search.lookup(session, "cqtl")[0]
    row = session.get(suppliers.Supplier, supplier.id)
    data = suppliers.SupplierData(name_zh="重庆长江精工有限公司", credit_code=row.credit_code, province="500000",
                                  categories=["equipment"])
    suppliers.update_supplier(session, row, data, None, row.registered_on)
    assert _names(supplier_search.lookup(session, "cjjg")) == ["重庆长江精工有限公司"]
    assert supplier_search.lookup(session, "cqtl") == []


def test_quotes_and_wildcards_in_a_query_are_plain_text(session):
    gen_supplier(session, name_zh="香港贸易有限公司", name_en="O'Brien 100% Trading", country="HK", province="",
                 credit_code="")
    gen_supplier(session, name_zh="重庆普通有限公司", name_en="", credit_code=gen_credit_code())
    assert _names(supplier_search.lookup(session, "o'brien")) == ["香港贸易有限公司"]
    assert _names(supplier_search.lookup(session, "100%")) == ["香港贸易有限公司"]
    assert supplier_search.lookup(session, "_") == [] and supplier_search.lookup(session, "'; drop") == []
