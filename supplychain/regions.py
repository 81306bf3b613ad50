"""Provinces, geographic regions and countries used to place suppliers.

HKEX B5.1 asks for "number of suppliers by geographical region"; Chinese
issuers report it by the seven traditional regions (华北 … 西北) plus 海外
(overseas), and separately the share of *local* suppliers.  This module owns
that mapping (see DOMAIN.md, "Regions") and country name lookup.  It is pure:
no Flask and no database, so reports, forms and importers share it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.core import get_global

__all__ = [
    "OVERSEAS",
    "REGIONS",
    "REGION_KEYS",
    "Province",
    "Region",
    "countries",
    "country_name",
    "find_country",
    "find_province",
    "resolve_province_code",
    "get_region",
    "is_local",
    "is_mainland",
    "provinces",
    "region_for",
    "region_name",
]


@dataclass(frozen=True)
class Region:
    """A reporting region: a stable key plus its Chinese and English names."""

    key: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Province:
    """A provincial-level division with its GB/T 2260 code and region key."""

    code: str
    name_zh: str
    name_en: str
    region: str


OVERSEAS = "overseas"

# Order is the order reports list the regions in, so it is part of the API.
REGIONS: tuple[Region, ...] = (
    Region("north", "华北", "North"),
    Region("northeast", "东北", "Northeast"),
    Region("east", "华东", "East"),
    Region("central", "华中", "Central"),
    Region("south", "华南", "South"),
    Region("southwest", "西南", "Southwest"),
    Region("northwest", "西北", "Northwest"),
    Region(OVERSEAS, "海外", "Overseas"),
)
REGION_KEYS: tuple[str, ...] = tuple(r.key for r in REGIONS)
_REGION_BY_KEY = {r.key: r for r in REGIONS}

# DOMAIN.md places Hong Kong, Macao and Taiwan inside the Chinese regions even
# though they have their own ISO country codes, so a supplier recorded with
# country "HK" must still land in 华南 rather than 海外.
_SPECIAL_PROVINCE_BY_COUNTRY = {"HK": "810000", "MO": "820000", "TW": "710000"}
_NON_MAINLAND_CODES = frozenset(_SPECIAL_PROVINCE_BY_COUNTRY.values())

_PROVINCE_COUNT = 34


def get_region(key: str) -> Region:
    """Return the Region for ``key``; raises KeyError for unknown keys."""
    return _REGION_BY_KEY[key]


def region_name(key: str, locale: object = "en") -> str:
    """Return the display name of region ``key`` in ``locale`` ("zh", "zh_Hant" or "en")."""
    region = get_region(key)
    return _chinese(region.name_zh, locale) if _language(locale) != "en" else region.name_en


def province_name(province: Province, locale: object = "en") -> str:
    """The name of a province in ``locale`` ("zh", "zh_Hant" or "en")."""
    return _chinese(province.name_zh, locale) if _language(locale) != "en" else province.name_en


def _chinese(name: str, locale: object) -> str:
    """A Chinese name as written, or in traditional characters for a traditional-Chinese reader (华东 → 華東)."""
    if _language(locale) == HANT:
        from supplychain.hant import to_hant

        return to_hant(name)
    return name


# --------------------------------------------------------------------------
# Provinces
# --------------------------------------------------------------------------


@cache
def provinces() -> tuple[Province, ...]:
    """Return all 34 provincial-level divisions in GB/T 2260 code order."""
    # importlib.resources rather than __file__ so the CSV is still found when
    # the package is installed as a wheel or zip (pyproject ships data/*).
    text = resources.files(__package__).joinpath("data", "provinces.csv").read_text("utf-8")
    rows = tuple(
        Province(
            code=row["code"].strip(),
            name_zh=row["name_zh"].strip(),
            name_en=row["name_en"].strip(),
            region=row["region"].strip(),
        )
        for row in csv.DictReader(io.StringIO(text))
    )
    # A bad edit to the CSV would silently shift the B5.1 disclosure, so fail
    # loudly at first use instead.
    codes = {p.code for p in rows}
    if len(rows) != _PROVINCE_COUNT or len(codes) != _PROVINCE_COUNT:
        raise RuntimeError(f"provinces.csv must list {_PROVINCE_COUNT} distinct provinces")
    unknown = {p.region for p in rows} - (set(REGION_KEYS) - {OVERSEAS})
    if unknown:
        raise RuntimeError(f"provinces.csv uses unknown regions: {sorted(unknown)}")
    return tuple(sorted(rows, key=lambda p: p.code))


@cache
def _provinces_by_code() -> dict[str, Province]:
    return {p.code: p for p in provinces()}


# Extra spellings seen on licences, customs papers and supplier self-reports
# that the CSV's canonical names do not cover.
_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "150000": ("Nei Mongol", "Neimenggu"),
    "540000": ("Xizang",),
    "710000": ("臺灣", "台灣", "台湾", "中華台北", "中华台北", "Chinese Taipei"),
    "810000": ("Hongkong", "HKSAR", "香港特區"),
    "820000": ("Macau", "澳門"),
}

# Traditional-character names (HKEX issuers, Hong Kong and Taiwan systems) and the one-character
# short names (简称) used on licence plates and in platform exports; suffixes are folded separately.
_PROVINCE_TRADITIONAL: dict[str, tuple[str, ...]] = {
    "110000": ("北京",), "120000": ("天津",), "130000": ("河北",), "140000": ("山西",), "150000": ("內蒙古",),
    "210000": ("遼寧",), "220000": ("吉林",), "230000": ("黑龍江",), "310000": ("上海",), "320000": ("江蘇",),
    "330000": ("浙江",), "340000": ("安徽",), "350000": ("福建",), "360000": ("江西",), "370000": ("山東",),
    "410000": ("河南",), "420000": ("湖北",), "430000": ("湖南",), "440000": ("廣東",), "450000": ("廣西",),
    "460000": ("海南",), "500000": ("重慶",), "510000": ("四川",), "520000": ("貴州",), "530000": ("雲南",),
    "540000": ("西藏",), "610000": ("陝西",), "620000": ("甘肅",), "630000": ("青海",), "640000": ("寧夏",),
    "650000": ("新疆",), "710000": (), "810000": (), "820000": (),
}
_PROVINCE_SHORT: dict[str, tuple[str, ...]] = {
    "110000": ("京",), "120000": ("津",), "130000": ("冀",), "140000": ("晋", "晉"), "150000": ("蒙",),
    "210000": ("辽", "遼"), "220000": ("吉",), "230000": ("黑",), "310000": ("沪", "滬"), "320000": ("苏", "蘇"),
    "330000": ("浙",), "340000": ("皖",), "350000": ("闽", "閩"), "360000": ("赣", "贛"), "370000": ("鲁", "魯"),
    "410000": ("豫",), "420000": ("鄂",), "430000": ("湘",), "440000": ("粤", "粵"), "450000": ("桂",),
    "460000": ("琼", "瓊"), "500000": ("渝",), "510000": ("川", "蜀"), "520000": ("黔", "贵", "貴"),
    "530000": ("滇", "云", "雲"), "540000": ("藏",), "610000": ("陕", "陝", "秦"), "620000": ("甘", "陇", "隴"),
    "630000": ("青",), "640000": ("宁", "寧"), "650000": ("新",), "710000": ("台", "臺"), "810000": ("港",),
    "820000": ("澳",),
}
# ISO 3166-2:CN subdivision codes (letters since 2017; the numeric ones before are accepted too, below).
_PROVINCE_ISO: dict[str, str] = {
    "110000": "BJ", "120000": "TJ", "130000": "HE", "140000": "SX", "150000": "NM", "210000": "LN",
    "220000": "JL", "230000": "HL", "310000": "SH", "320000": "JS", "330000": "ZJ", "340000": "AH",
    "350000": "FJ", "360000": "JX", "370000": "SD", "410000": "HA", "420000": "HB", "430000": "HN",
    "440000": "GD", "450000": "GX", "460000": "HI", "500000": "CQ", "510000": "SC", "520000": "GZ",
    "530000": "YN", "540000": "XZ", "610000": "SN", "620000": "GS", "630000": "QH", "640000": "NX",
    "650000": "XJ", "710000": "TW", "810000": "HK", "820000": "MO",
}
_ISO_SUBDIVISION = re.compile(r"CN[-\s_]?([A-Z]{2}|\d{2})")

# Longest first so "壮族自治区" is removed before the bare "自治区" would be.
_ZH_SUFFIXES = (
    "维吾尔自治区",
    "維吾爾自治區",
    "特别行政区",
    "特別行政區",
    "壮族自治区",
    "壯族自治區",
    "回族自治区",
    "回族自治區",
    "自治区",
    "自治區",
    "特区",
    "特區",
    "地区",
    "地區",
    "省",
    "市",
)
_EN_SUFFIXES = (
    "special administrative region",
    "autonomous region",
    "sar china",
    "municipality",
    "province",
    "sar",
    "city",
    # Pinyin forms on licences ("Guangdong Sheng", "Chongqing Shi", "Guangxi Zhuangzu Zizhiqu").
    "tebie xingzhengqu",
    "zizhiqu",
    "zhuangzu",
    "huizu",
    "weiwuer",
    "sheng",
    "shi",
    # Ethnic qualifiers in official names ("Guangxi Zhuang Autonomous Region").
    "zhuang",
    "hui",
    "uyghur",
    "uygur",
    "uighur",
)
_SEPARATOR_RE = re.compile(r"[\s\-_.,·'’]+")


def _province_key(value: str) -> str:
    # One folding function for both the index and the query, so every
    # spelling the index accepts is matched by construction.
    text = unicodedata.normalize("NFKC", value).casefold()
    text = _SEPARATOR_RE.sub(" ", text).strip()
    changed = True
    while changed:
        changed = False
        for suffix in _EN_SUFFIXES:
            # Whole words only: "anhui" must keep its "hui".
            if text.endswith(" " + suffix):
                text = text[: -len(suffix) - 1].rstrip()
                changed = True
        for suffix in _ZH_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    for prefix in ("中华人民共和国", "中華人民共和國", "中国", "中國"):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
            break
    return text.replace(" ", "")


@cache
def _province_index() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in provinces():
        names = (province.name_zh, province.name_en, *_PROVINCE_ALIASES.get(province.code, ()),
                 *_PROVINCE_TRADITIONAL.get(province.code, ()), *_PROVINCE_SHORT.get(province.code, ()))
        for name in names:
            key = _province_key(name)
            other = index.setdefault(key, province)
            if other is not province:
                raise RuntimeError(f"province name {name!r} is ambiguous")
    return index


@cache
def _iso_index() -> dict[str, Province]:
    return {iso: _provinces_by_code()[code] for code, iso in _PROVINCE_ISO.items()}


@lru_cache(maxsize=4096)  # imports look the same few dozen spellings up for every row
def find_province(value: str | None) -> Province | None:
    """Return the province named by a GB/T 2260 code (2 or 6 digits), an ISO 3166-2 code (CN-GD), a
    simplified, traditional, short (粤) or English/pinyin name, else None."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if text.isascii() and text.isdigit() and len(text) in (2, 6):
        # Any GB/T 2260 code (e.g. a city's "440300", or the division inside
        # a credit code) belongs to the province sharing its first two digits.
        return _provinces_by_code().get(text[:2] + "0000")
    iso = _ISO_SUBDIVISION.fullmatch(text.upper())
    if iso:
        part = iso.group(1)
        return _provinces_by_code().get(part + "0000") if part.isdigit() else _iso_index().get(part)
    return _province_index().get(_province_key(text))


def resolve_province_code(value: str | None) -> str:
    """The GB/T 2260 code of a province setting (HOME_PROVINCE, an organisation's home province) written in any
    form find_province reads; ValueError when it names no province, so "广东省" cannot silently mean nothing."""
    province = find_province(value)
    if province is None:
        raise ValueError(f"not a province: {value!r}; write a GB/T 2260 code such as 440000 or a name such as 广东")
    return province.code


def region_for(country: str, province_code: str | None) -> str:
    """Return the region key for a supplier in ISO ``country`` and ``province_code``."""
    code = _country_code(country)
    if not code:
        raise ValueError("a supplier's region needs its country")
    special = _SPECIAL_PROVINCE_BY_COUNTRY.get(code)
    if special is not None:
        return _provinces_by_code()[special].region
    if code != "CN":
        return OVERSEAS
    province = find_province(province_code)
    if province is None:
        # Guessing a region here would silently skew the B5.1 breakdown;
        # callers must collect the province for Chinese suppliers.
        raise ValueError(f"Chinese supplier needs a known province, got {province_code!r}")
    return province.region


def province_of(country: str | None, province_code: str | None) -> str | None:
    """The GB/T 2260 province code of a supplier: its own, or Hong Kong's, Macao's or Taiwan's when it is
    recorded by that country code (country "HK" and no province is Hong Kong, 810000)."""
    return province_code or _SPECIAL_PROVINCE_BY_COUNTRY.get(_country_code(country) if country else "")


def is_mainland(country: str, province_code: str | None) -> bool:
    """Return True for a supplier in mainland China (the ones that need a USCC)."""
    if _country_code(country) != "CN":
        return False
    # A CN supplier is mainland unless its province says HK/MO/TW; a missing
    # province must not let a mainland supplier skip the credit code check.
    province = find_province(province_code)
    return province is None or province.code not in _NON_MAINLAND_CODES


def is_local(province_code: str | None, home_province: str | None) -> bool:
    """Return True when the supplier's province is the reporting entity's home province."""
    # Two unknown provinces are not evidence of locality.
    return bool(province_code) and province_code == home_province


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------

# CLDR's territory list is a superset of ISO 3166-1 alpha-2: these are
# macro-regions, pseudo-locales, user-assigned or only "exceptionally
# reserved" codes, none of which can be a supplier's country of registration.
_NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)

# Names people actually type that differ from CLDR's display names.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "CN": (
        "PRC",
        "P.R.C.",
        "P.R. China",
        "People's Republic of China",
        "Mainland China",
        "China Mainland",
        "中华人民共和国",
        "中華人民共和國",
        "中國",
        "中國大陸",
        "中國內地",
        "China PRC",
        "中国大陆",
        "中国内地",
    ),
    "HK": ("Hong Kong", "Hongkong", "Hong Kong SAR", "HKSAR", "香港", "中国香港", "中國香港", "香港特别行政区",
           "香港特別行政區", "中国香港特别行政区", "中國香港特別行政區", "Hong Kong SAR China", "Hong Kong China"),
    "MO": ("Macao", "Macau", "Macao SAR", "Macau SAR", "澳门", "澳門", "中国澳门", "中國澳門", "澳门特别行政区",
           "澳門特別行政區", "中国澳门特别行政区", "中國澳門特別行政區", "Macao SAR China", "Macau China"),
    "TW": ("Chinese Taipei", "台灣", "臺灣", "台湾", "中国台湾", "中國臺灣", "中國台灣", "台湾省", "臺灣省",
           "台灣省", "中华台北", "中華台北", "Taiwan China"),
    "US": ("USA", "U.S.A.", "United States of America", "America", "美利坚合众国"),
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland"),
    "KR": ("Korea", "Republic of Korea", "大韩民国", "南韩"),
    "KP": ("DPRK", "Democratic People's Republic of Korea", "北韩"),
    "RU": ("Russian Federation", "俄罗斯联邦"),
    "VN": ("Viet Nam",),
    "TR": ("Turkey",),
    "CZ": ("Czech Republic",),
    "NL": ("Holland", "The Netherlands"),
    "AE": ("UAE", "阿联酋"),
    "MM": ("Burma",),
    "CI": ("Ivory Coast",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "CV": ("Cabo Verde",),
    "TL": ("East Timor",),
    "PS": ("Palestine",),
    "VA": ("Vatican", "Holy See"),
    "DE": ("Deutschland",),
}

_NON_ALNUM_RE = re.compile(r"[^\w]+")
_SAINT_RE = re.compile(r"\bsaint\b")


def _fold(text: str) -> str:
    # Accent-insensitive so "Cote d'Ivoire" finds "Côte d’Ivoire" and
    # "Aland" sorts next to "Albania" instead of after "Zimbabwe".
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _country_key(value: str) -> str:
    text = _fold(value).replace("&", " and ")
    text = _SAINT_RE.sub("st", text)
    # Punctuation and spacing vary endlessly ("U.S.A.", "Timor Leste"), so
    # only letters and digits (including CJK) take part in matching.
    return _NON_ALNUM_RE.sub("", text).replace("_", "")


HANT = "zh_Hant_HK"  # traditional Chinese names: CLDR's Hong Kong set, as the interface (OpenCC s2hk)


def _language(locale: object) -> str:
    # Accepts "zh", "zh_CN", "zh-Hans", "zh_Hant" or a babel.Locale (what Flask-Babel
    # hands out); everything else means English.
    text = str(locale or "en").replace("-", "_")
    lang = text.split("_", 1)[0].lower()
    if lang == "zh" and ("hant" in text.lower() or text.upper().endswith(("_TW", "_HK", "_MO"))):
        return HANT
    return "zh" if lang == "zh" else "en"


@cache
def _iso_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isascii() and code.isalpha() and code not in _NOT_ISO_3166
    )


@cache
def _names(lang: str) -> dict[str, str]:
    territories = Locale(lang).territories
    return {code: territories[code] for code in _iso_codes() if code in territories}


@cache
def _sorted_countries(lang: str) -> tuple[tuple[str, str], ...]:
    names = _names(lang)
    if lang != "en":
        # Babel ships no collation and pinyin sorting would need another
        # dependency; code-point order groups names by radical and is stable.
        key = lambda item: (item[1], item[0])  # noqa: E731
    else:
        key = lambda item: (_fold(item[1]), item[0])  # noqa: E731
    return tuple(sorted(names.items(), key=key))


def countries(locale: object = "en") -> list[tuple[str, str]]:
    """Return ``(alpha-2 code, name)`` pairs for every ISO country, sorted by name."""
    # A fresh list so callers may insert "China first" etc. without
    # corrupting the cached copy shared by all requests.
    return list(_sorted_countries(_language(locale)))


def country_name(code: str, locale: object = "en") -> str | None:
    """Return the display name of ISO alpha-2 ``code`` in ``locale``, or None if unknown."""
    return _names(_language(locale)).get((code or "").strip().upper())


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    # Earlier sources win on collisions: codes are unambiguous, our aliases
    # are deliberate, display names come next and alpha-3 codes last.
    for code in _iso_codes():
        index[_country_key(code)] = code
    for code, aliases in _COUNTRY_ALIASES.items():
        for alias in aliases:
            index.setdefault(_country_key(alias), code)
    for locale in ("en", "zh", "zh_Hant"):
        territories = Locale.parse(locale).territories
        for code in _iso_codes():
            if code in territories:
                index.setdefault(_country_key(territories[code]), code)
    # CLDR's alias table carries every ISO alpha-3 code ("DEU" -> ["DE"]);
    # only unambiguous three-letter ones are useful for lookup.
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1 and targets[0] in _iso_codes():
            index.setdefault(_country_key(alias), targets[0])
    return index


@lru_cache(maxsize=4096)
def find_country(value: str | None) -> str | None:
    """Return the ISO alpha-2 code for a code, alpha-3 code, English/Chinese name or alias."""
    if not value:
        return None
    key = _country_key(value)
    return _country_index().get(key) if key else None


def _country_code(country: str | None) -> str:
    text = (country or "").strip()
    if len(text) == 2 and text.isascii():
        # The common case (stored alpha-2 codes) stays a cheap upper() call.
        return text.upper()
    # Names are tolerated ("China"); anything unresolvable is kept as-is and
    # therefore treated as a foreign country by the callers.
    return find_country(text) or text.upper()
