"""Cell values as platform exports and Excel write them: dates, category lists, phones, e-mails,
footer rows and credit codes that Excel turned into numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

_ISO = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?"
                  r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # Excel's day number (1900 date system), 1954–2119
_EXCEL_EPOCH = date(1899, 12, 30)
CATEGORY_SEPARATORS = re.compile(r"[;；、，,]")
_EXTENSION = re.compile(r"\s*(?:转|轉|分机|分機|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PHONE_LABEL = re.compile(r"^(?:电话|電話|手机|手機|tel|phone|mobile)\s*[:：]?\s*", re.IGNORECASE)
# A footer: the first cell (or the name) starts with one of these words.
_FOOTER = re.compile(r"^\s*(?:合计|合計|总计|總計|小计|小計|共计|共計|备注|備註|注|說明|说明|制表|製表|"
                     r"审核|審核|total|subtotal|note|notes|remarks)\s*(?:[:：\s].*)?$",
                     re.IGNORECASE | re.DOTALL)
_PLAIN_EMAIL = re.compile(r"[^\s<>;,:]+@[^\s<>;,]+")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d{1,2}", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """A date as people and Excel write it; None for an empty cell, ValueError when it is not a date.

    2023-05-06, 2023/5/6, 2023.5.6, 2023年5月6日, 20230506, an Excel date-time (2023-05-06 14:30:00)
    or an Excel day number (45052) left in a CSV.
    """
    if len(text or "") == 10 and text[4] == "-":  # the common case, YYYY-MM-DD
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    match = _ISO.fullmatch(value) or _COMPACT.fullmatch(value)
    if match:
        return date(*(int(part) for part in match.groups()))
    if _SERIAL.fullmatch(value) and 20000 <= float(value) < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(float(value)))
    raise ValueError(text)


def date_text(value: date | datetime) -> str:
    """An XLSX date cell as text: ISO date, with the time only when there is one."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    return value.isoformat()


def split_categories(text: str) -> list[str]:
    """Category names or codes separated by ; 、 ， or , (any width)."""
    return [part.strip() for part in CATEGORY_SEPARATORS.split(text or "") if part.strip()]


@lru_cache(maxsize=1)
def _converters():
    import opencc

    return opencc.OpenCC("hk2s.json"), opencc.OpenCC("tw2s.json")


@lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """Traditional Chinese in simplified characters, Hong Kong variants (綫, 裏) and Taiwan's (臺, 著) alike."""
    if text.isascii():
        return text
    hong_kong, taiwan = _converters()
    return taiwan.convert(hong_kong.convert(text))


@lru_cache(maxsize=4096)
def category_key(text: str) -> str:
    """A short name (a supply category) as compared across scripts: folded (NFKC, case, spaces) and in
    simplified characters, so 設備 (Hong Kong or Taiwan) and 设备 are the same name."""
    return to_simplified(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold())


def normalize_phone(text: str) -> str:
    """Full-width digits and brackets folded; 转801 / ext. 801 written as -801; a "电话:" label removed."""
    if (text or "").isdigit() and text.isascii():  # the common case: nothing to fold
        return text
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = _PHONE_LABEL.sub("", value)
    value = _EXTENSION.sub(r"-\1", value)
    return re.sub(r"\s+", " ", value).strip()


def normalize_email(text: str) -> str:
    """Full-width letters and ＠ folded, a mailto: prefix and stray punctuation around it removed."""
    if (text or "").isascii() and _PLAIN_EMAIL.fullmatch(text):  # the common case: nothing to fold
        return text
    value = unicodedata.normalize("NFKC", text or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return re.sub(r"^[\s<>;,，。]+|[\s<>;,，。]+$", "", value)


def is_footer(cells: list[str]) -> bool:
    """A summary or notes row under the table (合计 …, 备注：…, Total …): its first non-empty cell says so."""
    first = next((cell for cell in cells if cell and not cell.isspace()), "")
    # NFKC leaves ASCII as it is: skip it for the common row (this runs for every row of a large file).
    return bool(_FOOTER.fullmatch(first if first.isascii() else unicodedata.normalize("NFKC", first)))


def excel_mangled_code(text: str) -> bool:
    """A credit code Excel stored as a number: scientific notation, or 18 digits ending in 000 (Excel keeps
    15 significant digits and pads with zeros)."""
    if not text or (text.isascii() and "E" not in text.upper() and not text.rstrip().endswith("000")):
        return False  # the common case, decided without folding
    value = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if _SCIENTIFIC.fullmatch(value):
        return True
    return len(value) == 18 and value.isascii() and value.isdigit() and value.endswith("000")


def number_text(value: float) -> str:
    """An XLSX number cell as text: whole numbers without ".0"; numbers Excel cannot hold exactly (more than
    15 digits, a credit code typed as a number) keep Excel's own rounded form so the reader can tell."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15:
        return f"{value:.15G}"
    return repr(value)


# Lifecycle statuses as platforms name them (a migration of an existing supply base).
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "registered": ("registered", "已注册", "注册", "已登记", "登记", "潜在", "潜在供应商", "註冊", "已註冊",
                   "潛在供應商", "已登記", "登記"),
    "under_review": ("under review", "准入评审中", "审核中", "评审中", "待审核", "准入評審中", "審核中", "評審中"),
    "trial": ("trial", "trial supply", "试用", "试供", "试用供货", "试供货", "试用供应商", "試用", "試供", "試用供貨",
              "試供貨"),
    "qualified": ("qualified", "合格", "合格供应商", "已准入", "准入", "在用", "正式供应商", "合格供應商",
                  "正式供應商"),
    "conditional": ("conditional", "有条件合格", "限期整改", "整改", "有條件合格"),
    "suspended": ("suspended", "暂停", "冻结", "已冻结", "暫停", "凍結"),
    "exited": ("exited", "退出", "淘汰", "已淘汰", "已退出"),
    "blacklisted": ("blacklisted", "blacklist", "黑名单", "列入黑名单", "黑名單"),
    "rejected": ("rejected", "未准入", "不合格", "拒绝", "未通过", "拒絕", "未通過"),
}
_STATUS_INDEX = {unicodedata.normalize("NFKC", word).casefold().replace("_", " "): status
                 for status, words in _STATUS_WORDS.items() for word in (status, *words)}


def parse_status(text: str) -> str | None:
    """A lifecycle status key from its key or a common Chinese/English name; None when unknown."""
    key = unicodedata.normalize("NFKC", text or "").strip().casefold().replace("_", " ")
    return _STATUS_INDEX.get(re.sub(r"\s+", " ", key))


def _word_index(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {re.sub(r"[\s\-_/]+", "", unicodedata.normalize("NFKC", word).casefold()): key
            for key, names in words.items() for word in (key, *names)}


_PLEDGE_KINDS = _word_index({
    "integrity": ("廉洁承诺书", "廉洁承诺", "廉潔承諾書", "integrity pledge", "integrity"),
    "clean_government": ("廉政责任书", "廉政承诺书", "廉政責任書", "clean government responsibility letter"),
    "anti_bribery": ("反商业贿赂承诺书", "反贿赂承诺书", "反商業賄賂承諾書", "anti-commercial-bribery pledge",
                     "anti bribery pledge"),
    "code_of_conduct": ("供应商行为准则", "行为准则", "供應商行為準則", "supplier code of conduct", "code of conduct"),
    "wage_guarantee": ("保障农民工工资支付协议", "农民工工资保障协议", "工资支付协议", "保障農民工工資支付協議",
                       "migrant-worker wage payment guarantee", "wage guarantee"),
})
_CERT_TYPES = _word_index({
    "iso9001": ("ISO 9001", "ISO9001", "GB/T 19001", "质量管理体系", "質量管理體系", "quality management"),
    "iso14001": ("ISO 14001", "GB/T 24001", "环境管理体系", "環境管理體系", "environmental management"),
    "iso45001": ("ISO 45001", "OHSAS 18001", "GB/T 45001", "职业健康安全管理体系", "職業健康安全管理體系"),
    "iso50001": ("ISO 50001", "能源管理体系", "能源管理體系"),
    "iso27001": ("ISO 27001", "ISO/IEC 27001", "信息安全管理体系", "資訊安全管理體系"),
    "iso14064": ("ISO 14064", "温室气体核查", "溫室氣體核查"),
    "iatf16949": ("IATF 16949", "汽车质量管理体系"),
    "sa8000": ("SA 8000", "SA8000", "社会责任管理体系"),
    "production_licence": ("生产许可证", "工业产品生产许可证", "生產許可證", "production licence",
                           "production license"),
    "safety_production_licence": ("安全生产许可证", "安全生產許可證", "safety production licence",
                                  "safety production license"),
    "pollutant_permit": ("排污许可证", "危险废物经营许可证", "排污許可證", "pollutant permit", "discharge permit"),
})


def parse_pledge_kind(text: str) -> str | None:
    """A pledge kind key from its key, Chinese (simplified or traditional) or English name; None if unknown."""
    return _PLEDGE_KINDS.get(re.sub(r"[\s\-_/]+", "", unicodedata.normalize("NFKC", text or "").casefold()))


def parse_cert_type(text: str) -> str | None:
    """A certificate type key from a code, standard number (ISO 9001, GB/T 19001) or name; None if unknown."""
    return _CERT_TYPES.get(re.sub(r"[\s\-_/]+", "", unicodedata.normalize("NFKC", text or "").casefold()))


# Supplier types (issue 11) as procurement platforms name them.
_SUPPLIER_TYPES = _word_index({
    "manufacturer": ("manufacturer", "producer", "生产商", "制造商", "生产厂家", "厂家", "生产企业", "製造商",
                     "生產商", "生產廠家", "廠家"),
    "distributor": ("distributor", "trader", "reseller", "dealer", "经销商", "代理商", "贸易商", "分销商",
                    "經銷商", "貿易商", "分銷商"),
    "service": ("service", "service provider", "服务商", "服务提供商", "服务类", "服務商", "服務提供商"),
    "contractor": ("contractor", "subcontractor", "承包商", "分包商", "施工单位", "工程分包", "分包單位",
                   "施工單位"),
})


def parse_supplier_type(text: str) -> str | None:
    """A supplier type key from its key or a common Chinese/English name; None when unknown."""
    return _SUPPLIER_TYPES.get(re.sub(r"[\s\-_/]+", "", unicodedata.normalize("NFKC", text or "").casefold()))
