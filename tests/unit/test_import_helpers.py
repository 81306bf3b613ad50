"""Pure helpers of the import (issue 15): encoding detection, header recognition, cell values."""

from __future__ import annotations

from datetime import date

import pytest

from supplychain.importing import columns, encodings, values

GBK_TEXT = ("供应商名称,统一社会信用代码,省份,联系人,电话\r\n"
            "重庆长江精密机械有限公司,91500112MA5U7C8X0N,重庆,王伟,138\r\n")
BIG5_TEXT = "供應商名稱,統一社會信用代碼,省份,聯絡人,電話\r\n香港長江精密機械有限公司,,香港,陳大文,852\r\n"


@pytest.mark.parametrize(("data", "expected"), [
    (GBK_TEXT.encode("gbk"), "gb18030"),
    (GBK_TEXT.encode("gb18030"), "gb18030"),
    (BIG5_TEXT.encode("big5"), "big5hkscs"),
    (GBK_TEXT.encode("utf-8"), "utf-8-sig"),
    (GBK_TEXT.encode("utf-8-sig"), "utf-8-sig"),
    (GBK_TEXT.encode("utf-16"), "utf-16"),
    (GBK_TEXT.encode("utf-16-le"), "utf-16-le"),
])
def test_encodings_are_detected_with_certainty(data, expected):
    found = encodings.detect(data)
    assert found.encoding == expected and found.certain
    assert encodings.decode(data, found.encoding).lstrip("\ufeff").startswith(("供应商", "供應商"))


def test_a_column_repeating_one_word_does_not_decide_the_encoding():
    rows = "".join(f"9150011{n:04d},2024年度,A\r\n" for n in range(2000))  # 年度 reads as Chinese in Big5 too
    found = encodings.detect(("统一社会信用代码,考核年度,等级\r\n" + rows).encode("gbk"))
    assert found.encoding == "gb18030" and found.certain


def test_too_few_characters_is_an_uncertain_guess():
    found = encodings.detect("名称\r\n陈记\r\n".encode("gbk"))
    assert not found.certain and "big5hkscs" in found.alternatives


@pytest.mark.parametrize(("header", "field"), [
    ("供应商名称", "name_zh"), ("*供应商名称", "name_zh"), ("供應商名稱", "name_zh"), ("Supplier Name", "name_zh"),
    ("統一社會信用代碼", "credit_code"), ("USCC", "credit_code"), ("省份", "province"), ("联系人", "contact_name"),
    ("联系电话", "contact_phone"), ("Ｅ－ｍａｉｌ", "contact_email"), ("入库日期", "registered_on"),
    ("供应商状态", "status"), ("序号", ""), ("备注", ""), ("采购员", None),
])
def test_headers_in_chinese_and_english(header, field):
    assert columns.field_for(header) == field


def test_a_user_mapping_comes_first():
    assert columns.field_for("厂商", {columns.header_key("厂商"): "name_zh"}) == "name_zh"
    assert columns.field_for("省份", {columns.header_key("省份"): ""}) == ""


def test_title_rows_and_a_two_row_header():
    records = [(1, ["2025 年供应商名录"]),
               (2, ["序号", "供应商名称", "统一社会信用代码", "联系人信息", "", "", "备注"]),
               (3, ["", "", "", "姓名", "电话", "邮箱", ""]), (4, ["1", "甲", "x", "王", "1", "e", ""])]
    header, start = columns.find_header(records)
    assert start == 3 and header.line == 3 and header.first_line == 2
    assert header.columns == ["", "name_zh", "credit_code", "contact_name", "contact_phone", "contact_email", ""]
    assert header.labels[4] == "联系人信息 / 电话"


@pytest.mark.parametrize("text", ["2023-05-06", "2023/5/6", "2023.5.6", "2023年5月6日", "2023年05月06号",
                                  "20230506", "2023-05-06 14:30:00", "45052", "２０２３年５月６日"])
def test_dates_in_the_common_forms(text):
    assert values.parse_date(text) == date(2023, 5, 6)


@pytest.mark.parametrize("text", ["31.12.2020", "2023-13-01", "明天", "5/6/2023"])
def test_not_dates(text):
    with pytest.raises(ValueError):
        values.parse_date(text)


def test_phones_emails_and_categories():
    assert values.normalize_phone("（０２３）６７８９１２３４转801") == "(023)67891234-801"
    assert values.normalize_phone("电话：138 0000 0000") == "138 0000 0000"
    assert values.normalize_phone("010-12345678 ext. 12") == "010-12345678-12"
    assert values.normalize_email("ＷＡＮＧ＠example.cn") == "WANG@example.cn"  # the local part keeps its case
    assert values.normalize_email("mailto:li@example.cn;") == "li@example.cn"
    assert values.split_categories("设备、零部件，原材料;物流,包装") == ["设备", "零部件", "原材料", "物流", "包装"]


def test_footers_and_excel_mangled_codes():
    assert values.is_footer(["合计：12 家", ""]) and values.is_footer(["", "备注：以上为合格供应商"])
    assert values.is_footer(["Total", "3"]) and not values.is_footer(["合肥精工有限公司"])
    assert not values.is_footer(["注塑件有限公司"])
    assert values.excel_mangled_code("9.15001E+17") and values.excel_mangled_code("915001123456789000")
    assert not values.excel_mangled_code("91350100M000100Y43")
    assert values.number_text(915001123456789012.0) == "9.15001123456789E+17"


def test_statuses_and_evidence_words():
    assert values.parse_status("合格供应商") == "qualified" and values.parse_status("Under review") == "under_review"
    assert values.parse_status("黑名單") == "blacklisted" and values.parse_status("随便") is None
    assert values.parse_pledge_kind("廉政責任書") == "clean_government"
    assert values.parse_cert_type("GB/T 19001") == "iso9001" and values.parse_cert_type("OHSAS 18001") == "iso45001"


def test_every_vocabulary_is_unambiguous_and_names_its_fields():
    for vocabulary, fields in columns.VOCABULARIES.items():
        index = columns._index(vocabulary)  # raises when one header would mean two fields
        assert set(index.values()) == set(fields), vocabulary
    assert columns.field_for("证书编号", vocabulary="certificates") == "number"
    assert columns.field_for("签署日期", vocabulary="pledges") == "signed_on"
    assert columns.field_for("签署日期") is None  # not a supplier column


def test_a_title_row_is_not_glued_to_the_column_names():
    """A one-cell title above the header (2026年供应商名录) is skipped, not read as the upper row of a two-row
    header: the unrecognised columns keep their own names, so a mapping remembered for them fits next year's file."""
    for year in ("2026", "2027"):
        records = [(1, [f"{year}年供应商名录（平台导出）"]), (2, ["序号", "厂商名称", "统一社会信用代码", "省份"]),
                   (3, ["1", "甲", "x", "重庆"])]
        header, start = columns.find_header(records)
        assert (start, header.line, header.first_line) == (2, 2, 2)
        assert header.labels == ["序号", "厂商名称", "统一社会信用代码", "省份"]
        assert header.unknown == ["厂商名称"]
        mapped, _start = columns.find_header(records, mapping={columns.header_key("厂商名称"): "name_zh"})
        assert mapped.columns == ["", "name_zh", "credit_code", "province"]
