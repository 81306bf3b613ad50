"""Recognising the columns of a supplier file: header names in Chinese and English, title rows above
the header, two-row headers, and a user's own mapping for the rest.

A platform export names its columns as its vendor likes (供应商名称, 企業名稱, Supplier name …).
Each field has a list of names; a header cell is compared after folding width, case, spaces,
punctuation and "required" marks. Fields are open: a new column (the group's ``org``) is one more
entry in FIELDS, and every step here works on it unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

# Field name -> the header names that mean it (simplified, traditional, English). The field name
# itself always matches, so the product's own template keeps working.
FIELDS: dict[str, tuple[str, ...]] = {
    "name_zh": ("供应商名称", "供应商全称", "供应商", "企业名称", "公司名称", "单位名称", "名称", "中文名称",
                "法定名称", "供应商中文名称", "供應商名稱", "供應商全稱", "供應商", "企業名稱", "公司名稱",
                "單位名稱", "名稱", "中文名稱", "supplier name", "supplier", "company name", "company",
                "name", "legal name", "chinese name", "name (chinese)", "name zh"),
    "name_en": ("英文名称", "供应商英文名称", "英文名", "英文名稱", "供應商英文名稱", "english name",
                "name (english)", "supplier name (english)", "name en"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "统一代码", "税号",
                    "纳税人识别号", "統一社會信用代碼", "社會信用代碼", "信用代碼", "統一編號", "稅號",
                    "uscc", "unified social credit code", "credit code", "social credit code",
                    "tax id", "tax number"),
    "country": ("国家", "国家地区", "国别", "所在国家", "國家", "國家地區", "國別", "country",
                "country region", "nation"),
    "province": ("省份", "省", "所在省份", "省直辖市", "省市", "所在省", "省自治区直辖市", "省級", "省級行政區",
                 "所在省份直辖市", "省份直轄市", "省直轄市", "所在地区", "地区", "地區", "province",
                 "state province", "province state", "region province"),
    "city": ("城市", "市", "所在城市", "所在市", "地市", "城市地区", "city", "town"),
    "address": ("地址", "详细地址", "注册地址", "办公地址", "通讯地址", "联系地址", "公司地址", "詳細地址",
                "註冊地址", "辦公地址", "通訊地址", "聯絡地址", "address", "registered address",
                "street address"),
    "categories": ("供应类别", "供货类别", "物资类别", "品类", "类别", "采购类别", "供应品类", "供应范围",
                   "物料类别", "供應類別", "供貨類別", "物資類別", "品類", "類別", "採購類別",
                   "categories", "category", "supply categories", "supply category"),
    "contact_name": ("联系人", "联系人姓名", "联系人名称", "姓名", "联系人信息姓名", "聯絡人", "聯繫人",
                     "聯絡人姓名", "聯繫人姓名", "contact", "contact name", "contact person",
                     "contact information name", "contact name person"),
    "contact_phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "联系人电话", "联系方式", "电话号码",
                      "联系人信息电话", "電話", "聯絡電話", "聯繫電話", "手機", "聯絡人電話", "聯繫方式",
                      "phone", "telephone", "mobile", "contact phone", "tel", "phone number",
                      "contact information phone"),
    "contact_email": ("邮箱", "电子邮箱", "电子邮件", "联系人邮箱", "邮件", "联系人信息邮箱", "郵箱",
                      "電子郵箱", "電子郵件", "電郵", "聯絡人電郵", "email", "e mail", "email address",
                      "contact email", "mail", "contact information email"),
    "registered_on": ("注册日期", "登记日期", "入库日期", "准入日期", "加入日期", "创建日期", "登記日期",
                      "註冊日期", "入庫日期", "准入日期", "registered on", "registration date",
                      "date registered", "date added"),
    "supplier_type": ("供应商类型", "企业类型", "单位类型", "供應商類型", "企業類型",
                      "supplier type", "type of supplier"),
    # Migration of an existing supply base only (admins, with a reason).
    "status": ("状态", "供应商状态", "合格状态", "狀態", "供應商狀態", "status", "supplier status"),
    "status_since": ("状态日期", "状态起始日期", "状态生效日期", "生效日期", "合格日期", "狀態日期",
                     "status since", "status date", "since"),
    "qualified_categories": ("合格类别", "合格品类", "准入类别", "合格供应类别", "合格類別", "合格品類",
                             "qualified categories", "qualified category"),
}
# 法定代表人, screened for a bribery conviction (issue 11).
FIELDS["legal_representative"] = ("法定代表人", "法人代表", "法定代表人姓名", "法定代表人负责人",
                                  "legal representative", "legal rep")
# The organisations of the group that buy from the supplier (codes separated by ; 、 or ,), issue 9.
FIELDS["org"] = ("采购组织", "使用单位", "需求单位", "所属组织", "组织", "組織", "採購組織", "org", "orgs",
                 "organisation", "organisations", "organization", "buying organisation")
# The supplier a row of evidence belongs to: by credit code, else by its registered Chinese name.
_SUPPLIER_REF = {
    "supplier": ("供应商", "供应商名称", "企业名称", "公司名称", "单位名称", "供應商", "供應商名稱", "企業名稱",
                 "supplier", "supplier name", "company", "name_zh"),
    "credit_code": FIELDS["credit_code"],
}
# Evidence files (issue 15 item 8), one vocabulary per kind.
EVIDENCE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "pledges": _SUPPLIER_REF | {
        "kind": ("承诺书类型", "承诺类型", "类型", "承诺书", "承諾書類型", "類型", "kind", "pledge kind", "pledge type",
                 "type"),
        "template": ("模板版本", "版本", "模板", "范本版本", "版本號", "template", "template version", "version"),
        "signatory": ("签署人", "签字人", "签署人姓名", "簽署人", "signatory", "signed by", "signatory name"),
        "signatory_title": ("职务", "签署人职务", "職務", "title", "signatory title"),
        "signed_on": ("签署日期", "签订日期", "签字日期", "簽署日期", "signed on", "date signed", "signing date"),
        "valid_until": ("有效期至", "截止日期", "到期日期", "有效期", "valid until", "expires", "expiry date"),
        "scan": ("扫描件", "扫描件文件名", "文件名", "附件", "掃描件", "檔案名稱", "scan", "file", "file name",
                 "scan file"),
        # The group's organisation that signed with the supplier (one code), issue 15 item 8.
        "org": FIELDS["org"] + ("签约组织", "签约单位", "我方单位", "我方签署单位", "簽約單位", "簽約組織",
                                "counterparty", "counterparty organisation", "signed with"),
    },
    "certificates": _SUPPLIER_REF | {
        "cert_type": ("证书类型", "证书名称", "认证类型", "體系", "證書類型", "證書名稱", "type", "certificate",
                      "certificate type"),
        "number": ("证书编号", "编号", "证书号", "證書編號", "number", "certificate number", "certificate no"),
        "issuer": ("发证机构", "认证机构", "发证单位", "頒發機構", "認證機構", "issuer", "body", "certification body",
                   "issued by"),
        "scope": ("范围", "认证范围", "证书范围", "範圍", "認證範圍", "scope"),
        "issued_on": ("发证日期", "颁发日期", "签发日期", "發證日期", "issued", "issued on", "issue date"),
        "expires_on": ("有效期至", "到期日期", "截止日期", "失效日期", "有效期", "expires", "expires on", "expiry date",
                       "valid until"),
    },
    "training": _SUPPLIER_REF | {
        "session": ("培训名称", "培训主题", "培训", "培训课程", "培訓名稱", "培訓", "session", "training",
                    "training session", "course"),
        "held_on": ("培训日期", "日期", "培訓日期", "held on", "date", "training date"),
        "head_count": ("人数", "参训人数", "参加人数", "人數", "參訓人數", "head count", "attendees", "participants"),
        "names": ("参训人员", "姓名", "参加人员", "參訓人員", "names", "attendee names"),
    },
    "evaluations": _SUPPLIER_REF | {
        "period": ("考核期间", "评价期间", "期间", "年度", "考核年度", "評價期間", "年度別", "period", "year",
                   "evaluation period"),
        "grade": ("等级", "评价等级", "考核等级", "结果", "等級", "評價等級", "grade", "rating", "result"),
        "total": ("得分", "总分", "分数", "综合得分", "總分", "得分數", "total", "score", "total score"),
        "note": ("备注说明", "说明", "評語", "note", "comment"),
    },
}
# External screening results (`flask screening import`, issue 11). "note" and "备注" are left out of every file,
# so the findings column has names of its own.
SCREENING_FIELDS: dict[str, tuple[str, ...]] = _SUPPLIER_REF | {
    "list_code": ("名单", "名单代码", "筛查名单", "名单类型", "名單", "名單代碼", "list", "list code",
                  "screening list"),
    "checked_on": ("查询日期", "筛查日期", "核查日期", "检查日期", "查詢日期", "篩查日期", "checked on", "check date",
                   "date checked"),
    "result": ("结果", "筛查结果", "查询结果", "結果", "篩查結果", "result", "outcome"),
    "source_reference": ("来源", "查询来源", "信息来源", "来源链接", "查询网站", "來源", "查詢來源", "source",
                         "source reference", "reference", "url"),
    "findings": ("查询情况", "发现问题", "情况说明", "查詢情況", "findings", "finding"),
}
# The group's organisations (`flask orgs import`, issue 9).
ORGANISATION_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("代码", "组织代码", "单位代码", "組織代碼", "code", "organisation code", "org code"),
    "parent_code": ("上级代码", "上级组织代码", "上級代碼", "parent", "parent code", "parent_code"),
    "name_zh": ("名称", "组织名称", "单位名称", "中文名称", "組織名稱", "name", "name_zh", "chinese name"),
    "name_en": ("英文名称", "英文名稱", "english name", "name_en"),
    "kind": ("类型", "组织类型", "類型", "kind", "type"),
    "home_province": ("所在省份", "省份", "所在省", "省份代码", "home province", "province", "home_province"),
    "opened_on": ("成立日期", "启用日期", "opened on", "opened_on", "opened"),
}
# Purchasing data (issue 10): `flask spend import` and `flask receipts import`.
SPEND_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "external id", "外部编号", "外部id", "编号",),
    "organisation": ("organisation", "组织", "组织代码", "organization", "org",),
    "category": ("category", "品类", "品类代码",),
    "month": ("month", "月份",),
    "amount": ("amount", "金额", "采购金额",),
    "currency": ("currency", "币种", "货币",),
    "credit_code": ("credit_code", "credit code", "统一社会信用代码", "信用代码",),
    "supplier_id": ("supplier_id", "supplier id", "供应商id", "供应商编号",),
    "order_count": ("order_count", "order count", "订单数", "订单数量", "orders",),
}
RECEIPTS_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "external id", "外部编号",),
    "organisation": ("organisation", "组织", "组织代码",),
    "category": ("category", "品类", "品类代码",),
    "due_on": ("due_on", "due on", "到期日", "要求到货日期",),
    "received_on": ("received_on", "received on", "收货日期", "到货日期",),
    "quantity_received": ("quantity_received", "quantity received", "收货数量",),
    "quantity_accepted": ("quantity_accepted", "quantity accepted", "合格数量",),
    "quantity_rejected": ("quantity_rejected", "quantity rejected", "不合格数量",),
    "credit_code": ("credit_code", "credit code", "统一社会信用代码", "信用代码",),
    "supplier_id": ("supplier_id", "supplier id", "供应商编号", "供应商id",),
    "po_line": ("po_line", "po line", "采购订单行", "订单行",),
}
# A questionnaire campaign's uploaded list of suppliers (issue 11): their credit codes.
CAMPAIGN_LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "credit_code": ("credit_code", "credit code", "统一社会信用代码", "信用代码", "統一社會信用代碼", "uscc"),
    "name": ("供应商名称", "供应商", "名称", "企業名稱", "supplier", "supplier name", "name"),
}
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {"suppliers": FIELDS, "organisations": ORGANISATION_FIELDS,
                                                        "spend": SPEND_FIELDS, "receipts": RECEIPTS_FIELDS,
                                                        "campaign_list": CAMPAIGN_LIST_FIELDS,
                                                        "screening": SCREENING_FIELDS, **EVIDENCE_FIELDS}
REQUIRED = ("name_zh",)  # every row needs a name; the rest is required per row (e.g. a mainland code)
HEADER_SEARCH = 10  # rows (a title, notes) that may stand above the header
IGNORE = ""  # a mapping to this ignores the column
# "信息"/"info" closes group headers (联系人信息 over 姓名, 电话, 邮箱); "*" marks required columns.
_NOISE = re.compile(r"[\s_\-—–·•.,，、:：;；/／\\()（）\[\]【】{}<>《》*＊#№\"'“”‘’?？!！]+")


def header_key(text: object) -> str:
    """A header cell folded for comparison: NFKC, case, spaces, punctuation and "*" marks removed."""
    folded = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "").casefold()
    return _NOISE.sub("", folded)


# Columns every platform export has and nobody imports: left out without asking.
_IGNORED = frozenset(header_key(name) for name in (
    "序号", "编号", "行号", "备注", "说明", "序號", "編號", "備註", "說明", "no", "no.", "#", "remarks", "remark",
    "notes", "note", "comment", "comments"))

@cache
def _index(vocabulary: str = "suppliers") -> dict[str, str]:
    index: dict[str, str] = {}
    for name, synonyms in VOCABULARIES[vocabulary].items():
        for synonym in (name, *synonyms):
            key = header_key(synonym)
            other = index.setdefault(key, name)
            if other != name:
                raise RuntimeError(f"header {synonym!r} means both {other} and {name}")
    return index


def field_for(text: object, mapping: Mapping[str, str] | None = None, vocabulary: str = "suppliers") -> str | None:
    """The field a header cell names: the user's mapping first, then the known names; None if unknown.

    IGNORE ("") means a column deliberately left out: a row number, remarks, or the user's choice.
    """
    key = header_key(text)
    if not key:
        return None
    if mapping and key in mapping:
        fields = VOCABULARIES[vocabulary]
        return mapping[key] if mapping[key] in fields or mapping[key] == IGNORE else None
    if key in _IGNORED:
        return IGNORE
    return _index(vocabulary).get(key)


@dataclass
class Header:
    """The header found in a file: its line(s), the field of each column, and what was not recognised."""

    line: int  # the (last) header line; data starts after it
    first_line: int
    columns: list[str | None]  # field per column position (None: unknown, "": ignored)
    labels: list[str]  # the header text per column, as shown to the user
    unknown: list[str] = field(default_factory=list)  # header keys nobody recognised, in order
    duplicates: list[str] = field(default_factory=list)  # fields named by two columns

    @property
    def fields(self) -> set[str]:
        """The fields this file has a column for."""
        return {name for name in self.columns if name}

    def label_of(self, name: str) -> str | None:
        """The header text of the (first) column holding field `name`; None when no column does."""
        for column, label in zip(self.columns, self.labels, strict=False):
            if column == name:
                return label
        return None


def _forward_filled(cells: list[str]) -> list[str]:
    """A group header row with merged cells: each blank cell takes the group name on its left."""
    filled, current = [], ""
    for cell in cells:
        if (cell or "").strip():
            current = cell
        filled.append(current)
    return filled


def _resolve(cells: list[str], mapping: Mapping[str, str] | None, vocabulary: str) -> list[str | None]:
    return [field_for(cell, mapping, vocabulary) for cell in cells]


def _two_row(top: list[str], bottom: list[str], mapping: Mapping[str, str] | None,
             vocabulary: str) -> tuple[list, list[str]]:
    """Fields and labels of a header in two rows (a group over several columns, names below)."""
    width = max(len(top), len(bottom))
    top = (top + [""] * width)[:width]
    bottom = (bottom + [""] * width)[:width]
    filled = _forward_filled(top)
    columns, labels = [], []
    for upper, group, lower in zip(top, filled, bottom, strict=True):
        lower = (lower or "").strip()
        candidates = [f"{group}{lower}", lower, upper] if lower else [upper]
        found = next((f for f in (field_for(c, mapping, vocabulary) for c in candidates if c) if f is not None),
                     None)
        columns.append(found)
        labels.append(" / ".join(part for part in ((group if lower else upper).strip(), lower) if part))
    return columns, labels


def _known(columns: list[str | None]) -> int:
    return len({name for name in columns if name})


def find_header(records: list[tuple[int, list[str]]], mapping: Mapping[str, str] | None = None,
                vocabulary: str = "suppliers") -> tuple[Header, int] | None:
    """The header among the first rows (the one naming the most fields), with the index of the first data
    record; a header in two rows (联系人信息 over 姓名/电话/邮箱) is read as one. None: no header."""
    best = None  # (known fields, -index, columns, labels, rows used)
    for index, (_line, cells) in enumerate(records[:HEADER_SEARCH]):
        single = _resolve(cells, mapping, vocabulary)
        options = [(single, [str(c or "").strip() for c in cells], 1)]
        if index + 1 < len(records):
            below = records[index + 1][1]
            merged, merged_labels = _two_row(cells, below, mapping, vocabulary)
            # Two rows only when the upper one adds to the lower one: a title above the header (one cell,
            # forward-filled over every column) must not become part of every column's name, or a mapping
            # remembered for this file would not fit next month's file with another title.
            if _known(merged) > max(_known(single), _known(_resolve(below, mapping, vocabulary))):
                options.append((merged, merged_labels, 2))
        for columns, labels, used in options:
            known = _known(columns)
            if known and (best is None or known > best[0]):
                best = (known, index, columns, labels, used)
    if best is None:
        return None
    _known_count, index, columns, labels, used = best
    seen: set[str] = set()
    duplicates, unknown = [], []
    for position, name in enumerate(columns):
        if name:
            if name in seen and name not in duplicates:
                duplicates.append(name)
            seen.add(name)
        elif name is None and header_key(labels[position]):
            unknown.append(labels[position])
    header = Header(records[index + used - 1][0], records[index][0], columns, labels, unknown, duplicates)
    return header, index + used
