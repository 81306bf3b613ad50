"""Deterministic supplier rows in the import file format (the same seed gives the same file).

Spread over the regions like the Chongqing group in DOMAIN.md (south-west 52 %, east 24 %, …),
with valid credit codes from supplychain.credit_code.generate and the spellings people really
use: provinces as Chinese names, English names or GB/T 2260 codes; categories by code or name.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from supplychain import credit_code, regions

COLUMNS = ("name_zh", "name_en", "credit_code", "country", "province", "city", "address", "categories",
           "contact_name", "contact_phone", "contact_email", "registered_on")
REGION_WEIGHTS = {"southwest": 52, "east": 24, "south": 7, "north": 5, "central": 5, "northwest": 3,
                  "northeast": 2, "overseas": 2}
TRADE_NAMES = ("长江", "嘉陵", "华宇", "恒通", "金桥", "宏达", "天成", "瑞丰", "东方", "博远", "新世纪",
               "巨能", "中联", "鑫源", "永安", "联创", "海川", "明德", "九州", "同力", "盛华", "腾飞",
               "安泰", "信达")
INDUSTRIES = (("精密机械", "Precision Machinery"), ("钢材贸易", "Steel Trading"),
              ("电气设备", "Electrical Equipment"),
              ("汽车零部件", "Auto Parts"), ("建筑工程", "Construction Engineering"), ("物流", "Logistics"),
              ("环保科技", "Environmental Technology"), ("化工材料", "Chemical Materials"),
              ("技术服务", "Technical Services"), ("铸造", "Foundry"))
# Categories as a user would type them: codes, Chinese names or English names (the defaults).
CATEGORIES = ("equipment", "原材料", "components", "Engineering subcontracting", "服务", "logistics",
              "环保服务", "raw_materials;components", "设备;零部件")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞")
OVERSEAS = (("DE", "Germany", "Schmidt Maschinenbau"), ("JP", "日本", "Yamada Seiki"),
            ("US", "USA", "Northwind"), ("KR", "KR", "Hanil Precision"), ("IT", "Italy", "Rossi Valvole"),
            ("SG", "Singapore", "Lion City"))
HOME_PROVINCE = "500000"


def supplier_rows(count: int, seed: int = 2024, today: date | None = None) -> list[dict[str, str]]:
    """`count` valid, distinct supplier rows (dicts keyed by COLUMNS)."""
    rng = random.Random(seed)
    today = today or date(2025, 12, 31)
    by_region: dict[str, list[regions.Province]] = {}
    for province in regions.provinces():
        if province.code not in ("710000", "810000", "820000"):
            by_region.setdefault(province.region, []).append(province)
    home = regions.find_province(HOME_PROVINCE)
    keys, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    codes: set[str] = set()
    rows = []
    for index in range(count):
        region = rng.choices(keys, weights)[0]
        trade = rng.choice(TRADE_NAMES)
        industry_zh, industry_en = rng.choice(INDUSTRIES)
        contact = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        registered_on = (today - timedelta(days=rng.randint(0, 5 * 365))).isoformat()
        if rng.random() >= 0.9:
            registered_on = ""  # a tenth without a date: the importer uses today
        if region == "overseas":
            country_code, country, name = OVERSEAS[index % len(OVERSEAS)]
            rows.append({
                "name_zh": f"{name} {index}", "name_en": f"{name} Co., Ltd. {index}", "credit_code": "",
                "country": country, "province": "", "city": "", "address": "",
                "categories": rng.choice(CATEGORIES), "contact_name": "Alex Miller",
                "contact_phone": "+49 89 1234567", "contact_email": f"sales{index}@example.com",
                "registered_on": registered_on,
            })
            continue
        province = home if (region == home.region and rng.random() < 0.5) else rng.choice(by_region[region])
        city = province.name_zh.rstrip("省市")
        code = credit_code.generate(rng, province.code[:2] + "0100")
        while code in codes:
            code = credit_code.generate(rng, province.code[:2] + "0100")
        codes.add(code)
        spelling = rng.random()
        province_text = (province.name_zh if spelling < 0.6 else province.name_en if spelling < 0.8
                         else province.code)
        rows.append({
            "name_zh": f"{city}{trade}{industry_zh}有限公司{index}",
            "name_en": f"{province.name_en} {industry_en} Co., Ltd. {index}" if rng.random() < 0.4 else "",
            "credit_code": code, "country": "CN" if rng.random() < 0.8 else "中国", "province": province_text,
            "city": city,
            "address": f"{city}{rng.choice(('高新区', '经开区', '工业园'))}{rng.randint(1, 999)}号",
            "categories": rng.choice(CATEGORIES), "contact_name": contact,
            "contact_phone": f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
            "contact_email": f"contact{index}@example.cn", "registered_on": registered_on,
        })
    return rows


def to_csv(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    """The rows as a CSV file (header first)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


# A procurement platform's export of the same rows (issue 15): Chinese headers, one column the importer does
# not know (mapped by the benchmark as a saved template would), a title above, a footer below, GBK.
PLATFORM_HEADERS = {
    "name_zh": "供应商名称", "name_en": "英文名称", "credit_code": "统一社会信用代码", "country": "国家",
    "province": "省份", "city": "城市", "address": "详细地址", "categories": "供应类别", "contact_name": "联系人",
    "contact_phone": "联系电话", "contact_email": "电子邮箱", "registered_on": "入库日期",
}
PLATFORM_MAPPING = {"平台编号": ""}  # header key -> field ("" = not imported), as import_mappings stores it


def to_platform_csv(rows: list[dict[str, str]]) -> bytes:
    """The rows as a GBK platform export with Chinese headers, a title row, a platform id column and a footer."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["供应商名录（采购平台导出）"])
    writer.writerow(["平台编号", *(PLATFORM_HEADERS[name] for name in COLUMNS)])
    for index, row in enumerate(rows):
        writer.writerow([f"P{index:07d}", *(row[name] for name in COLUMNS)])
    writer.writerow([f"合计：{len(rows)} 家"])
    return buffer.getvalue().encode("gb18030")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    """The rows as an XLSX workbook (one sheet, header first)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("suppliers")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[name] for name in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_suppliers(session, count: int, today: date, seed: int = 2024) -> None:
    """Import N generated suppliers through the registry importer (the caller commits); exit when they do not."""
    from supplychain.services.imports import importer

    rows, problems = importer.read_rows("bench.csv", to_csv(supplier_rows(count, seed, today)))
    plan = importer.check_rows(session, rows, today)
    if problems or not plan.ok:
        raise SystemExit("generated data did not import")
    importer.apply_plan(session, plan, None, source="bench.csv")
