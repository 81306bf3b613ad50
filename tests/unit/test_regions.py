"""Provinces, regions and countries (DOMAIN.md, "Regions")."""

from __future__ import annotations

import pytest

from supplychain import regions as rg

# Written out from DOMAIN.md on purpose rather than read from provinces.csv:
# the CSV is what is under test.
DOMAIN_TABLE = {
    "north": ["Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia"],
    "northeast": ["Liaoning", "Jilin", "Heilongjiang"],
    "east": ["Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong", "Taiwan"],
    "central": ["Henan", "Hubei", "Hunan"],
    "south": ["Guangdong", "Guangxi", "Hainan", "Hong Kong", "Macao"],
    "southwest": ["Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet"],
    "northwest": ["Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"],
}
EXPECTED_REGION = {name: region for region, names in DOMAIN_TABLE.items() for name in names}

# GB/T 2260 provincial codes, also typed in independently.
GB2260 = {
    "Beijing": "110000", "Tianjin": "120000", "Hebei": "130000", "Shanxi": "140000",
    "Inner Mongolia": "150000", "Liaoning": "210000", "Jilin": "220000", "Heilongjiang": "230000",
    "Shanghai": "310000", "Jiangsu": "320000", "Zhejiang": "330000", "Anhui": "340000",
    "Fujian": "350000", "Jiangxi": "360000", "Shandong": "370000", "Henan": "410000",
    "Hubei": "420000", "Hunan": "430000", "Guangdong": "440000", "Guangxi": "450000",
    "Hainan": "460000", "Chongqing": "500000", "Sichuan": "510000", "Guizhou": "520000",
    "Yunnan": "530000", "Tibet": "540000", "Shaanxi": "610000", "Gansu": "620000",
    "Qinghai": "630000", "Ningxia": "640000", "Xinjiang": "650000", "Taiwan": "710000",
    "Hong Kong": "810000", "Macao": "820000",
}  # fmt: skip


def test_region_keys_and_order():
    assert rg.REGION_KEYS == (
        "north", "northeast", "east", "central", "south", "southwest", "northwest", "overseas",
    )  # fmt: skip
    assert [r.name_zh for r in rg.REGIONS] == ["华北", "东北", "华东", "华中", "华南", "西南", "西北", "海外"]
    assert rg.OVERSEAS == "overseas"


def test_region_name_in_both_languages():
    assert rg.region_name("southwest", "zh") == "西南"
    assert rg.region_name("southwest", "zh_CN") == "西南"
    assert rg.region_name("southwest", "en") == "Southwest"
    assert rg.region_name("overseas", "zh") == "海外"
    assert rg.region_name("overseas", "en") == "Overseas"
    with pytest.raises(KeyError):
        rg.region_name("atlantis", "en")


def test_there_are_34_provinces():
    provinces = rg.provinces()
    assert len(provinces) == 34
    assert {p.name_en for p in provinces} == set(GB2260)
    assert rg.provinces() is provinces  # loaded once


@pytest.mark.parametrize("name_en", sorted(GB2260))
def test_province_code_and_region_match_domain(name_en):
    province = rg.find_province(name_en)
    assert province is not None
    assert province.code == GB2260[name_en]
    assert province.region == EXPECTED_REGION[name_en]
    assert rg.find_province(GB2260[name_en]) == province
    assert rg.find_province(province.name_zh) == province
    assert rg.region_for("CN", province.code) == EXPECTED_REGION[name_en]


def test_province_is_frozen():
    province = rg.find_province("500000")
    with pytest.raises(AttributeError):
        province.region = "east"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("500000", "500000"),
        (" 500000 ", "500000"),
        ("重庆市", "500000"),
        ("重庆", "500000"),
        ("Chongqing", "500000"),
        ("chongqing", "500000"),
        ("CHONGQING", "500000"),
        ("广西壮族自治区", "450000"),
        ("广西", "450000"),
        ("Guangxi Zhuang Autonomous Region", "450000"),
        ("内蒙古", "150000"),
        ("内蒙古自治区", "150000"),
        ("inner mongolia", "150000"),
        ("Inner-Mongolia", "150000"),
        ("新疆", "650000"),
        ("新疆维吾尔自治区", "650000"),
        ("宁夏", "640000"),
        ("西藏", "540000"),
        ("Xizang", "540000"),
        ("广东省", "440000"),
        ("Guangdong Province", "440000"),
        ("Hong Kong", "810000"),
        ("hong kong sar", "810000"),
        ("香港", "810000"),
        ("香港特别行政区", "810000"),
        ("中国香港", "810000"),
        ("Macao", "820000"),
        ("Macau", "820000"),
        ("澳门", "820000"),
        ("台湾", "710000"),
        ("台湾省", "710000"),
        ("Taiwan", "710000"),
        ("Shanxi", "140000"),
        ("Shaanxi", "610000"),
        ("山西", "140000"),
        ("陕西", "610000"),
        ("Anhui", "340000"),  # ends in "hui" but is not the Hui qualifier
        ("440300", "440000"),  # Shenzhen's city code belongs to Guangdong
    ],
)
def test_find_province(value, code):
    province = rg.find_province(value)
    assert province is not None, value
    assert province.code == code


@pytest.mark.parametrize(
    "value", ["", None, "   ", "Atlantis", "北海道", "990000", "000000", "99", "111", "CN-ZZ", "CN-99", "省", "China"]
)
def test_find_province_unknown(value):
    assert rg.find_province(value) is None


@pytest.mark.parametrize(
    ("country", "province", "region"),
    [
        ("CN", "500000", "southwest"),
        ("cn", "重庆", "southwest"),
        ("CN", "810000", "south"),
        ("CN", "820000", "south"),
        ("CN", "710000", "east"),
        ("HK", None, "south"),
        ("MO", None, "south"),
        ("TW", None, "east"),
        ("hk", "", "south"),
        ("DE", None, "overseas"),
        ("US", "500000", "overseas"),  # a stray province does not make it Chinese
        ("JP", None, "overseas"),
        ("China", "310000", "east"),
    ],
)
def test_region_for(country, province, region):
    assert rg.region_for(country, province) == region


@pytest.mark.parametrize(("country", "province"), [("CN", None), ("CN", ""), ("CN", "990000"), ("", None)])
def test_region_for_needs_enough_information(country, province):
    with pytest.raises(ValueError):
        rg.region_for(country, province)


@pytest.mark.parametrize(
    ("country", "province", "expected"),
    [
        ("CN", "500000", True),
        ("CN", "650000", True),
        ("CN", None, True),
        ("CN", "810000", False),
        ("CN", "820000", False),
        ("CN", "710000", False),
        ("HK", None, False),
        ("MO", "820000", False),
        ("TW", None, False),
        ("DE", None, False),
        ("", None, False),
    ],
)
def test_is_mainland(country, province, expected):
    assert rg.is_mainland(country, province) is expected


def test_is_local():
    assert rg.is_local("500000", "500000")
    assert not rg.is_local("510000", "500000")
    assert not rg.is_local(None, "500000")
    assert not rg.is_local(None, None)
    assert not rg.is_local("", "")


def test_chongqing_group_distribution_example():
    # DOMAIN.md's Chongqing group: local = Chongqing, and the local suppliers
    # fall in the southwest region.
    home = rg.find_province("重庆").code
    assert rg.is_local(rg.find_province("Chongqing").code, home)
    assert rg.region_for("CN", home) == "southwest"


# --- countries -------------------------------------------------------------


EXCLUDED = {
    "001",
    "150",
    "419",
    "ZZ",
    "EU",
    "EZ",
    "UN",
    "QO",
    "XA",
    "XB",
    "XK",
    "AC",
    "CP",
    "DG",
    "EA",
    "IC",
    "TA",
}


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_countries_are_iso_alpha2_only(locale):
    pairs = rg.countries(locale)
    codes = [code for code, _ in pairs]
    assert len(codes) == len(set(codes)) == 249  # ISO 3166-1 assigned codes
    assert all(len(c) == 2 and c.isascii() and c.isalpha() and c.isupper() for c in codes)
    assert not EXCLUDED & set(codes)
    assert {"CN", "HK", "MO", "TW", "DE", "US", "GB"} <= set(codes)


def test_countries_sorted_by_name():
    en = rg.countries("en")
    names = [name for _, name in en]
    assert names[0] == "Afghanistan"
    assert names.index("Åland Islands") < names.index("Albania")  # accents do not push it to the end
    zh = rg.countries("zh")
    assert [name for _, name in zh] == sorted(name for _, name in zh)
    assert dict(zh)["CN"] == "中国"
    assert dict(en)["DE"] == "Germany"


def test_countries_returns_a_copy():
    rg.countries("en").clear()
    assert rg.countries("en")


def test_country_name():
    assert rg.country_name("DE", "zh") == "德国"
    assert rg.country_name("de", "en") == "Germany"
    assert rg.country_name("ZZ", "en") is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        (" de ", "DE"),
        ("China", "CN"),
        ("china", "CN"),
        ("Germany", "DE"),
        ("中国", "CN"),
        ("德国", "DE"),
        ("日本", "JP"),
        ("美国", "US"),
        ("PRC", "CN"),
        ("People's Republic of China", "CN"),
        ("People’s Republic of China", "CN"),
        ("中华人民共和国", "CN"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Korea", "KR"),
        ("South Korea", "KR"),
        ("韩国", "KR"),
        ("North Korea", "KP"),
        ("Hong Kong", "HK"),
        ("香港", "HK"),
        ("Macau", "MO"),
        ("澳门", "MO"),
        ("Taiwan", "TW"),
        ("台湾", "TW"),
        ("Cote d'Ivoire", "CI"),
        ("Bosnia and Herzegovina", "BA"),
        ("DEU", "DE"),
        ("chn", "CN"),
    ],
)
def test_find_country(value, code):
    assert rg.find_country(value) == code


@pytest.mark.parametrize("value", ["", None, "  ", "Narnia", "ZZ", "EU", "XK", "001", "!!"])
def test_find_country_unknown(value):
    assert rg.find_country(value) is None


def test_every_listed_country_is_found_by_its_names():
    for locale in ("en", "zh"):
        for code, name in rg.countries(locale):
            assert rg.find_country(name) == code, (locale, name)
            assert rg.find_country(code.lower()) == code


TRADITIONAL_FULL_NAMES = {
    "北京市": "110000", "天津市": "120000", "河北省": "130000", "山西省": "140000", "內蒙古自治區": "150000",
    "遼寧省": "210000", "吉林省": "220000", "黑龍江省": "230000", "上海市": "310000", "江蘇省": "320000",
    "浙江省": "330000", "安徽省": "340000", "福建省": "350000", "江西省": "360000", "山東省": "370000",
    "河南省": "410000", "湖北省": "420000", "湖南省": "430000", "廣東省": "440000", "廣西壯族自治區": "450000",
    "海南省": "460000", "重慶市": "500000", "四川省": "510000", "貴州省": "520000", "雲南省": "530000",
    "西藏自治區": "540000", "陝西省": "610000", "甘肅省": "620000", "青海省": "630000",
    "寧夏回族自治區": "640000", "新疆維吾爾自治區": "650000", "臺灣省": "710000",
    "香港特別行政區": "810000", "澳門特別行政區": "820000",
}


def test_all_34_traditional_full_names():
    assert len(TRADITIONAL_FULL_NAMES) == 34
    found = {name: getattr(rg.find_province(name), "code", None) for name in TRADITIONAL_FULL_NAMES}
    assert found == TRADITIONAL_FULL_NAMES


@pytest.mark.parametrize(("value", "code"), [
    ("44", "440000"), ("50", "500000"), ("CN-GD", "440000"), ("cn-cq", "500000"), ("CN-44", "440000"),
    ("Guangdong Sheng", "440000"), ("Chongqing Shi", "500000"), ("粤", "440000"), ("渝", "500000"),
    ("蜀", "510000"), ("滇", "530000"), ("中國香港", "810000"), ("中国台湾", "710000"), ("CN-HK", "810000"),
])
def test_codes_short_names_and_pinyin(value, code):
    assert rg.find_province(value).code == code


@pytest.mark.parametrize(("value", "code"), [
    ("中華人民共和國", "CN"), ("中國香港", "HK"), ("香港特別行政區", "HK"), ("澳門特別行政區", "MO"),
    ("中國澳門", "MO"), ("臺灣", "TW"), ("中國大陸", "CN"),
])
def test_traditional_and_sar_country_names(value, code):
    assert rg.find_country(value) == code


def test_a_home_province_setting_must_resolve():
    assert rg.resolve_province_code("广东省") == "440000"
    assert rg.resolve_province_code("500000") == "500000"
    with pytest.raises(ValueError):
        rg.resolve_province_code("Guangdong Province of Atlantis")
    with pytest.raises(ValueError):
        rg.resolve_province_code("")
