"""Deterministic, realistic demo data: suppliers with valid credit codes and Chinese names, demo accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import clock, credit_code, password_policy, regions
from supplychain.models import RegionRisk, Supplier
from supplychain.services.core import users
from supplychain.services.demo_data import group_demo
from supplychain.services.registry import categories, suppliers

TRADE_NAMES = (
    "长江",
    "嘉陵",
    "华宇",
    "恒通",
    "金桥",
    "宏达",
    "天成",
    "瑞丰",
    "东方",
    "博远",
    "新世纪",
    "巨能",
    "中联",
    "鑫源",
    "永安",
    "联创",
    "海川",
    "明德",
    "九州",
    "同力",
    "盛华",
    "腾飞",
    "安泰",
    "信达",
)
INDUSTRIES = (
    ("精密机械", "Precision Machinery", "equipment"),
    ("钢材贸易", "Steel Trading", "raw_materials"),
    ("电气设备", "Electrical Equipment", "equipment"),
    ("汽车零部件", "Auto Parts", "components"),
    ("建筑工程", "Construction Engineering", "engineering"),
    ("物流", "Logistics", "logistics"),
    ("环保科技", "Environmental Technology", "environmental_services"),
    ("化工材料", "Chemical Materials", "raw_materials"),
    ("技术服务", "Technical Services", "services"),
    ("铸造", "Foundry", "components"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞")
OVERSEAS = (
    ("DE", "Schmidt Maschinenbau GmbH"),
    ("JP", "Yamada Seiki Co., Ltd."),
    ("US", "Northwind Components Inc."),
    ("KR", "Hanil Precision Co., Ltd."),
    ("IT", "Rossi Valvole S.p.A."),
    ("SG", "Lion City Logistics Pte. Ltd."),
)
# Share of suppliers per region when the home province is in the south-west (the Chongqing group in DOMAIN.md).
REGION_WEIGHTS = {
    "southwest": 52,
    "east": 24,
    "south": 7,
    "north": 5,
    "central": 5,
    "northwest": 3,
    "northeast": 2,
    "overseas": 2,
}
DEMO_ACCOUNTS = (
    ("admin@example.com", "admin", "系统管理员"),
    ("buyer@example.com", "procurement", "采购员 王敏"),
    ("reviewer@example.com", "reviewer", "审核人 李强"),
    ("reviewer2@example.com", "reviewer", "审核人 张静"),
    ("reviewer3@example.com", "reviewer", "审核人 陈杰"),
    ("auditor@example.com", "auditor", "审计 刘洋"),
)


@dataclass
class DemoResult:
    """What was loaded, with the generated passwords (shown once)."""

    supplier_count: int
    accounts: list[tuple[str, str, str]]


def _supplier_rows(count: int, rng: random.Random, home_province: str, today: date) -> list[suppliers.SupplierData]:
    home = regions.find_province(home_province)
    by_region: dict[str, list[regions.Province]] = {}
    for province in regions.provinces():
        if province.code not in ("710000", "810000", "820000"):
            by_region.setdefault(province.region, []).append(province)
    keys, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    rows, used = [], set()
    for index in range(count):
        region = rng.choices(keys, weights)[0]
        trade, (industry_zh, industry_en, category) = rng.choice(TRADE_NAMES), rng.choice(INDUSTRIES)
        contact = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        registered_on = today - timedelta(days=rng.randint(0, 3 * 365))
        if region == "overseas":
            country, name_en = OVERSEAS[index % len(OVERSEAS)]
            rows.append(
                suppliers.SupplierData(
                    name_zh=name_en,  # an overseas legal name; a repeat is skipped as a duplicate
                    name_en=name_en,
                    country=country,
                    categories=[category],
                    contacts=[suppliers.ContactData("Alex Miller", "+49 89 1234567", f"sales{index}@example.com")],
                    registered_on=registered_on,
                )
            )
            continue
        # Half of the south-western suppliers are in the home province itself: the "local" share.
        province = home if (home and region == home.region and rng.random() < 0.8) else rng.choice(by_region[region])
        city = province.name_zh.rstrip("省市") if province.code.endswith("0000") else province.name_zh
        name_zh = f"{city}{trade}{industry_zh}有限公司"
        while name_zh in used:
            name_zh = f"{city}{trade}{industry_zh}{rng.choice(('第二', '新', '分', '联合'))}有限公司"
            trade += rng.choice(TRADE_NAMES)[0]
        used.add(name_zh)
        rows.append(
            suppliers.SupplierData(
                name_zh=name_zh,
                name_en=f"{province.name_en} {industry_en} Co., Ltd." if rng.random() < 0.4 else "",
                credit_code=credit_code.generate(rng, province.code[:2] + "0100"),
                country="CN",
                province=province.code,
                city=city,
                address=f"{city}{rng.choice(('高新区', '经开区', '工业园'))}{rng.randint(1, 999)}号",
                categories=[category],
                contacts=[
                    suppliers.ContactData(
                        contact,
                        f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
                        f"contact{index}@example.cn",
                    )
                ],
                registered_on=registered_on,
            )
        )
    return rows


def load(
    session: Session,
    count: int = 120,
    seed: int = 2024,
    home_province: str = "500000",
    if_empty: bool = False,
    today: date | None = None,
    company_name: str | None = None,
) -> DemoResult | None:
    """Load demo suppliers and accounts; the same seed gives the same suppliers."""
    if if_empty and session.scalar(select(func.count(Supplier.id))):
        return None
    today = today or clock.today()
    rng = random.Random(seed)
    categories.ensure_defaults(session)
    index = suppliers.category_index(session)
    created = 0
    for data in _supplier_rows(count, rng, home_province, today):
        clean, errors = suppliers.clean_supplier(data, index, today)
        if errors or suppliers.duplicates(session, clean):
            continue
        supplier = Supplier(status=rng.choices(("registered", "qualified", "trial", "conditional"), (3, 10, 1, 1))[0])
        suppliers.apply_clean(supplier, clean)
        session.add(supplier)
        created += 1
    session.flush()
    orgs = group_demo.ensure_group(session, company_name, home_province)
    group_demo.spread_suppliers(session, orgs, seed)
    accounts = []
    staff = [(email, role, name, "GROUP") for email, role, name in DEMO_ACCOUNTS]
    staff += [(email, "procurement", name, code) for email, name, code in group_demo.BUYERS]
    for email, role, name, code in staff:
        password = password_policy.generate()
        existing = users.find_by_email(session, email)
        organisation = orgs.get(code) or orgs["GROUP"]
        if existing is None:
            users.create_user(session, users.UserData(email=email, role=role, name=name,
                                                      organisation_id=organisation.id), password, actor=None)
        else:
            existing.password_hash = users.hash_password(password)
        accounts.append((email, f"{role} @ {organisation.code}", password))
    first = session.scalar(select(Supplier).where(Supplier.country == "CN").order_by(Supplier.id).limit(1))
    if first is not None:
        email = "supplier@example.com"
        password = password_policy.generate()
        if users.find_by_email(session, email) is None:
            users.create_user(
                session,
                users.UserData(email=email, role="supplier", name=first.name_zh, supplier_id=first.id),
                password,
                actor=None,
            )
            accounts.append((email, "supplier", password))
    # The shipped self-assessment questionnaire, Chinese and English (issue 5); loaded once.
    from supplychain.services.evidence import saq

    saq.load_default(session, clock.now())
    from supplychain.services.demo_data import evidence_demo

    evidence_demo.load(session, seed, today, featured=first)
    from supplychain.services.demo_data import evaluation_demo

    evaluation_demo.load(session, today)
    from supplychain.services.risk import campaign_demo

    campaign_demo.load(session, today, featured=first)
    from supplychain.services.risk import screening_demo

    screening_demo.load(session, today)
    group_demo.assign_records(session)
    group_demo.qualify_by_status(session)
    from supplychain.services.risk import audit_demo

    audit_demo.load(session, today)
    from supplychain.services.risk import contractors_demo

    contractors_demo.load(session, today, seed)
    # Inherent risk tiers (issue 11), so a newcomer sees high-risk suppliers on the dashboard.
    from supplychain.services.risk import recompute
    from supplychain.services.risk import settings as risk_settings

    if session.get(RegionRisk, "overseas") is None:
        risk_settings.save_region_risk(session, "overseas", "medium", None)
    recompute.recompute_all(session, today)
    return DemoResult(created, accounts)
