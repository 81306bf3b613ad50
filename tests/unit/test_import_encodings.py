"""Which encoding a short CSV is in: Big5 from Hong Kong and Taiwan, GBK from the mainland, and a file no
encoding reads as Chinese (no app, no database)."""

from __future__ import annotations

import pytest

from supplychain.importing import encodings, values
from supplychain.services.imports.importer import read_file

BIG5 = ("big5hkscs", "cp950")


def _big5(*names: str, country: str = "HK") -> bytes:
    return ("name_zh,country\r\n" + "".join(f"{name},{country}\r\n" for name in names)).encode("big5")


@pytest.mark.parametrize("names", [
    ("香港公司",),  # the tester's file: read as GB18030 it was 翠そ between two private-use characters
    ("港鐵",), ("長實",), ("九龍倉",), ("鴻海精密",), ("國泰航空",), ("統一企業",), ("新光三越",),
    ("臺灣電子公司",), ("周大福珠寶",), ("港灣實業", "新華行"),
])
def test_a_tiny_big5_file_is_read_right(names):
    data = _big5(*names)
    detected = encodings.detect(data)
    assert detected.encoding in BIG5 and detected.implausible == ""
    result = read_file("hk.csv", data)
    assert result.problems == []
    assert [row.values["name_zh"] for row in result.rows] == list(names)


@pytest.mark.parametrize("names", [("香港公司",), ("臺灣電子公司",), ("港灣實業", "新華行"), ("國泰航空",)])
def test_a_big5_file_whose_gbk_reading_is_garbled_is_certain(names):
    detected = encodings.detect(_big5(*names))
    assert detected.encoding in BIG5 and detected.certain
    assert "gb18030" in detected.alternatives
    assert read_file("hk.csv", _big5(*names)).warnings == []


def test_a_tiny_taiwan_file_with_a_city():
    data = "name_zh,country,city\r\n臺灣電子公司,TW,臺北\r\n".encode("big5")
    result = read_file("tw.csv", data)
    assert result.problems == [] and result.encoding.certain
    assert result.rows[0].values == {"name_zh": "臺灣電子公司", "country": "TW", "city": "臺北"}


@pytest.mark.parametrize("name", ["深圳公司", "隆基绿能", "广州华南精密", "某某（深圳）有限公司",
                                  "重庆山城物流有限公司"])
def test_a_tiny_gbk_file_is_read_right_and_certain(name):
    data = f"name_zh,country\r\n{name},CN\r\n".encode("gbk")
    detected = encodings.detect(data)
    assert (detected.encoding, detected.certain, detected.implausible) == ("gb18030", True, "")
    result = read_file("cn.csv", data)
    assert result.problems == [] and result.warnings == []
    assert result.rows[0].values["name_zh"] == name


def test_two_gbk_characters_stay_an_uncertain_guess_that_can_be_accepted():
    data = "name_zh,country\r\n陈记,CN\r\n".encode("gbk")  # read as Big5 it is two common characters too
    result = read_file("cn.csv", data)
    assert result.problems == [] and result.encoding.encoding == "gb18030"
    assert not result.encoding.certain and not result.encoding.garbled
    assert "read as GB18030 / GBK" in str(result.warnings[0].message)
    assert result.rows[0].values["name_zh"] == "陈记"


def test_characters_chinese_text_does_not_hold():
    assert encodings.implausible("翠そ\ue134,HK") == "そ\ue134"
    assert encodings.implausible("АБ ═╭ ㄅ ア") == "АБ═╭アㄅ"  # in order of code point
    assert encodings.implausible("某某（深圳）有限公司，①、“设备”；№ 1") == ""


# GB18030: あア 切青; Big5 (HKSCS): 丐失 ピヤ; cp950: 丐失 зч. Kana or Cyrillic whatever the choice.
GARBLED = b"name_zh,country\r\n\xa4\xa2\xa5\xa2\xc7\xd0\xc7\xe0,HK\r\n"


def test_a_file_garbled_in_every_encoding_is_refused_naming_the_encoding():
    detected = encodings.detect(GARBLED)
    assert not detected.certain and detected.garbled
    result = read_file("x.csv", GARBLED)
    assert result.rows == [] and len(result.problems) == 1
    message = str(result.problems[0].message)
    assert message.startswith(f"Read as {detected.label}, the file holds characters that Chinese text does not")
    assert "Choose the file's encoding" in message and "Big5 (HKSCS)" in message
    assert result.encoding == detected  # kept, so the preview offers the other encodings


def test_an_encoding_the_user_picks_is_read_as_picked():
    result = read_file("x.csv", GARBLED, encoding="big5hkscs")
    assert result.problems == [] and result.encoding.certain
    assert result.rows[0].values["name_zh"] == "丐失ピヤ"


def test_invisible_characters_are_named_by_code_point():
    data = b"name_zh\r\n\xf9\xf9\xf9\xfa\r\n"  # GB18030: two private-use characters; Big5: box drawing
    message = str(read_file("x.csv", data).problems[0].message)
    assert "(U+E2EA U+E2EB)" in message


@pytest.mark.parametrize("written", ["設備", "设备", " 設備 ", "设備"])
def test_category_names_fold_traditional_to_simplified(written):
    assert values.category_key(written) == values.category_key("设备") == "设备"


def test_category_names_fold_hong_kong_and_taiwan_variants():
    assert values.category_key("綫纜") == values.category_key("線纜") == values.category_key("线缆")
    assert values.category_key("臺灣服務") == values.category_key("台灣服務") == "台湾服务"
    assert values.category_key("Environmental  Services") == "environmental services"
