"""Realistic sample inputs for every renderer: used by the tests, benchmarks and previews."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .data import (
    CertificateData,
    DisclosureData,
    DisclosureSection,
    Figure,
    RegionCount,
    ScorecardData,
    SignedPledgeData,
)

SAMPLE_CREDIT_CODE = "91500000MA5U7K2X4L"


def sample_scorecard_data(**changes: object) -> ScorecardData:
    """A periodic evaluation of a Chongqing machining supplier; keyword arguments override fields."""
    fields: dict[str, object] = dict(
        supplier_name_zh="重庆渝新精密机械有限公司",
        supplier_name_en="Chongqing Yuxin Precision Machinery Co., Ltd.",
        credit_code=SAMPLE_CREDIT_CODE,
        region_zh="西南 · 重庆",
        region_en="Southwest · Chongqing",
        categories=("铸锻件 Castings", "紧固件 Fasteners", "机加工 Machining"),
        status_zh="合格",
        status_en="Qualified",
        kind_zh="年度评审",
        kind_en="Annual evaluation",
        period="2024",
        total=86.5,
        grade_name_zh="优秀",
        grade_name_en="Excellent",
        grade_colour="#1a7f37",
        percentile=88,
        dimensions=[
            ("产品质量", "Product quality", 92, 0.30),
            ("交付情况", "Delivery", 85, 0.20),
            ("价格水平", "Price level", 78, 0.15),
            ("售后服务", "After-sales service", 88, 0.10),
            ("安全生产", "Safe production", 90, 0.15),
            ("环境绩效", "Environmental performance", 76, 0.10),
        ],
        trend=[("2020", 71.0), ("2021", 74.5), ("2022", 79.0), ("2023", 82.5), ("2024", 86.5)],
        red_flags=[],
        explanation=[
            "产品质量：来料合格率 99.2%，高于 98% 的目标 (+9.2)",
            "Delivery: on-time rate 96.0 % against a 95 % target",
            "安全生产：全年无工伤事故；ISO 45001 证书有效",
            "环境绩效：一项环保整改逾期 12 天 (-4.0)",
        ],
        certificates=[
            ("ISO 9001", "00122Q31234R2M", date(2026, 5, 31), "valid"),
            ("ISO 14001", "00122E30987R1M", date(2025, 3, 15), "expiring"),
            ("ISO 45001", "00122S20456R0M", date(2026, 11, 30), "valid"),
            ("安全生产许可证", "(渝)JZ安许证字[2021]001234", date(2024, 12, 31), "expired"),
        ],
        pledges=[
            ("廉洁承诺书", "Integrity pledge", date(2024, 1, 8)),
            ("反商业贿赂承诺书", "Anti-commercial-bribery pledge", date(2024, 1, 8)),
            ("供应商行为准则", "Supplier code of conduct", date(2023, 12, 20)),
        ],
        training_hours_12m=14.5,
        open_corrective_actions=1,
        corrective_actions=[("废水排放口标识不规范，补设标识并完善台账", date(2025, 2, 28), "overdue")],
        incidents=[(date(2024, 9, 12), "environmental", "废水排放口标识缺失（现场审核发现）", "low")],
        approvals=[
            (1, "李明 (采购专员)", datetime(2025, 1, 10, 9, 30, tzinfo=UTC), "approved"),
            (2, "王芳 (供应链管理部经理)", datetime(2025, 1, 12, 14, 5, tzinfo=UTC), "approved"),
            (3, "陈刚 (招标监督委员会)", datetime(2025, 1, 15, 10, 0, tzinfo=UTC), "approved"),
        ],
        generated_at=datetime(2025, 1, 16, 8, 0, tzinfo=UTC),
        verification_code="SC-7Q4M-2KD9",
        verification_url="https://esg.example.com/verify/SC-7Q4M-2KD9",
        issuer="重庆机电控股（集团）有限公司",
    )
    fields.update(changes)
    return ScorecardData(**fields)  # type: ignore[arg-type]


def sample_certificate_data(**changes: object) -> CertificateData:
    """An Excellent Supplier certificate for the sample supplier."""
    fields: dict[str, object] = dict(
        kind="excellent",
        supplier_name_zh="重庆渝新精密机械有限公司",
        supplier_name_en="Chongqing Yuxin Precision Machinery Co., Ltd.",
        credit_code=SAMPLE_CREDIT_CODE,
        year=2024,
        issuer_zh="重庆机电控股（集团）有限公司",
        issuer_en="Chongqing Mechanical & Electrical Holding (Group) Co., Ltd.",
        certificate_number="CQME-2024-EX-0042",
        issued_on=date(2025, 1, 20),
        verification_code="CT-9F3A-11ZQ",
        verification_url="https://esg.example.com/verify/CT-9F3A-11ZQ",
        valid_until=date(2025, 12, 31),
    )
    fields.update(changes)
    return CertificateData(**fields)  # type: ignore[arg-type]


def sample_disclosure_data(**changes: object) -> DisclosureData:
    """A 2024 supply-chain disclosure with HKEX B5 and GRI 308/414 sections."""

    def fig(code: str, en: str, zh: str, unit: str, v22: object, v23: object, v24: object) -> Figure:
        return Figure(code, en, zh, unit, {2022: v22, 2023: v23, 2024: v24})

    fields: dict[str, object] = dict(
        company_name_zh="重庆机电控股（集团）有限公司",
        company_name_en="Chongqing Mechanical & Electrical Holding (Group) Co., Ltd.",
        year=2024,
        generated_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        sections=[
            DisclosureSection(
                "KPI",
                "供应链管理关键绩效",
                "Supply-chain KPIs",
                "下表数据均由系统记录计算，可追溯至供应商档案。",
                "Every figure below is computed from the system's records and traceable to them.",
                (
                    fig("total_suppliers", "Total suppliers", "供应商总数", "", 3050, 3120, 3168),
                    fig(
                        "reviewed", "Suppliers reviewed in the period", "本期审核供应商数", "", 820, 910, 1004
                    ),
                    fig(
                        "rejected_sr",
                        "Potential suppliers rejected for social-responsibility non-compliance",
                        "因社会责任不合规被拒绝的潜在供应商",
                        "",
                        4,
                        6,
                        9,
                    ),
                    fig(
                        "terminated_sr",
                        "Suppliers terminated for social-responsibility non-compliance",
                        "因社会责任不合规被终止合作的供应商",
                        "",
                        2,
                        3,
                        5,
                    ),
                    fig(
                        "training_sessions",
                        "Supplier ESG training sessions",
                        "供应商ESG培训场次",
                        "",
                        48,
                        60,
                        71,
                    ),
                    fig("pledge_rate", "Pledge signing rate", "承诺书签署率", "%", 98.5, 100, 100),
                    fig("local_suppliers", "Local suppliers", "本地供应商", "", 1290, 1330, 1376),
                ),
            ),
            DisclosureSection(
                "B5.1",
                "按地区划分的供应商数目",
                "Number of suppliers by geographical region",
                "本集团供应商主要分布于西南地区，本地（重庆）供应商 1,376 家。",
                "Most suppliers are in Southwest China; 1,376 are local to Chongqing.",
                (),
            ),
            DisclosureSection(
                "GRI 308-1",
                "使用环境标准筛选的新供应商",
                "New suppliers screened using environmental criteria",
                "所有新供应商在准入评审中均接受环境资质审核。",
                "All new suppliers had their environmental qualifications reviewed at admission.",
                (
                    fig(
                        "308-1",
                        "New suppliers screened using environmental criteria",
                        "使用环境标准筛选的新供应商比例",
                        "%",
                        92.0,
                        97.5,
                        100,
                    ),
                ),
            ),
        ],
        regions=[
            RegionCount("西南", "Southwest", 1647),
            RegionCount("华东", "East", 760),
            RegionCount("华南", "South", 222),
            RegionCount("华北", "North", 158),
            RegionCount("华中", "Central", 150),
            RegionCount("西北", "Northwest", 110),
            RegionCount("东北", "Northeast", 95),
            RegionCount("海外", "Overseas", 26),
        ],
    )
    fields.update(changes)
    return DisclosureData(**fields)  # type: ignore[arg-type]


SAMPLE_PLEDGE_ZH = (
    "本公司郑重承诺：在与贵集团的业务往来中，严格遵守国家法律法规及贵集团廉洁从业的各项规定；"
    "不以任何形式向贵集团工作人员及其亲属提供回扣、礼金、有价证券、宴请或其他不正当利益；"
    "不参与围标、串标等违法行为。如有违反，本公司自愿接受终止合作并列入黑名单的处理。"
)
SAMPLE_PLEDGE_EN = (
    "We solemnly undertake to comply with the law and with the Group's integrity rules in all our "
    "dealings with the Group; not to offer its staff or their relatives kickbacks, gifts of money, "
    "securities, entertainment or any other improper benefit; and not to take part in bid rigging. "
    "Should we breach this pledge, we accept termination of business and blacklisting."
)


def sample_signed_pledge_data(**changes: object) -> SignedPledgeData:
    """An integrity pledge signed in the supplier portal."""
    import hashlib

    fields: dict[str, object] = dict(
        kind_zh="廉洁承诺书",
        kind_en="Integrity pledge",
        text_zh=SAMPLE_PLEDGE_ZH,
        text_en=SAMPLE_PLEDGE_EN,
        supplier_name_zh="重庆渝新精密机械有限公司",
        supplier_name_en="Chongqing Yuxin Precision Machinery Co., Ltd.",
        credit_code=SAMPLE_CREDIT_CODE,
        signatory_name="张伟",
        signatory_title="总经理 General Manager",
        signed_at=datetime(2024, 1, 8, 10, 24, 31, tzinfo=UTC),
        ip_address="203.0.113.42",
        text_sha256=hashlib.sha256((SAMPLE_PLEDGE_ZH + "\n" + SAMPLE_PLEDGE_EN).encode("utf-8")).hexdigest(),
        generated_at=datetime(2025, 1, 16, 8, 0, tzinfo=UTC),
        verification_code="PL-3H8D-77QA",
        verification_url="https://esg.example.com/verify/PL-3H8D-77QA",
    )
    fields.update(changes)
    return SignedPledgeData(**fields)  # type: ignore[arg-type]
