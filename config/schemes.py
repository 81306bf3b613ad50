"""Default scoring schemes (DOMAIN.md "Admission review" and "Periodic evaluation").

These are version 1 of the admission and periodic schemes; the database seeds its first scheme
versions from them, admins copy them per supply category and edit them in the UI (each save
is a new version). Bands: Excellent >= 90, Qualified >= 75, Conditional >= 60, Unqualified < 60.

Delivery and quality in the periodic scheme come from purchase receipts (issue 10): the on-time
delivery rate scores 100 at 98 % or more and 0 at 80 % or less, the acceptance rate 100 at 99.5 % or
more and 0 at 90 % or less, on a straight line between (see docs/purchasing.md). When a supplier has
no receipt line in the 12 months to the as-of date, the evaluator scores them against the rubric, and
the explanation line says which of the two was used.

Self-assessment (``saq_theme``) criteria are not in the defaults: until the supplier portal
feeds questionnaire scores every supplier would lose those points. Add them once it does.
"""

from __future__ import annotations

from supplychain.scoring.model import (
    ACCEPTANCE_RATE,
    BLACKLISTED,
    CERTIFICATE_VALID,
    CRITICAL_INCIDENT,
    DISHONEST_LIST,
    MANUAL,
    MISSING_LICENCE,
    NO_MAJOR_INCIDENT,
    ON_TIME_DELIVERY_RATE,
    PLEDGE_REFUSED,
    PLEDGE_SIGNED,
    PRINCIPAL_BRIBERY,
    SAQ_THEME,
    TRAINING_HOURS,
    Criterion,
    Dimension,
    GradeBand,
    RedLine,
    Scheme,
)

ESG_INCIDENT_CATEGORIES = ("environmental", "labour", "safety", "ethics")


def _rubric(excellent: str, good: str, fair: str, poor: str, *, zh: bool) -> str:
    """A four-tier written rubric aligned with the grade bands."""
    if zh:
        return f"90–100：{excellent}\n75–89：{good}\n60–74：{fair}\n0–59：{poor}"
    return f"90–100: {excellent}\n75–89: {good}\n60–74: {fair}\n0–59: {poor}"


def _manual(
    key: str, name_zh: str, name_en: str, weight: float, rubric_zh: tuple, rubric_en: tuple
) -> Criterion:
    return Criterion(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        kind=MANUAL,
        weight=weight,
        rubric_zh=_rubric(*rubric_zh, zh=True),
        rubric_en=_rubric(*rubric_en, zh=False),
    )


def _rate(
    key: str, name_zh: str, name_en: str, weight: float, kind: str, full_at: float, zero_at: float,
    rubric_zh: tuple, rubric_en: tuple,
) -> Criterion:
    """A receipt rate criterion; the rubric is what the evaluator scores against when there are no receipts."""
    return Criterion(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        kind=kind,
        weight=weight,
        params={"full_at": full_at, "zero_at": zero_at, "months": 12},
        rubric_zh=_rubric(*rubric_zh, zh=True),
        rubric_en=_rubric(*rubric_en, zh=False),
    )


def _certificate(key: str, name_zh: str, name_en: str, weight: float, cert_type: str) -> Criterion:
    return Criterion(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        kind=CERTIFICATE_VALID,
        weight=weight,
        params={"cert_type": cert_type},
    )


def _no_incident(
    key: str, name_zh: str, name_en: str, weight: float, years: int, *categories: str
) -> Criterion:
    return Criterion(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        kind=NO_MAJOR_INCIDENT,
        weight=weight,
        params={"years": years, "categories": categories},
    )


def _pledge(key: str, name_zh: str, name_en: str, weight: float, pledge_kind: str) -> Criterion:
    return Criterion(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        kind=PLEDGE_SIGNED,
        weight=weight,
        params={"pledge_kind": pledge_kind},
    )


def _bands(excellent: str, qualified: str, conditional: str, unqualified: str) -> tuple[GradeBand, ...]:
    return (
        GradeBand("excellent", "优秀", "Excellent", 90, 100, "#1a7f37", excellent),
        GradeBand("qualified", "合格", "Qualified", 75, 90, "#0969da", qualified),
        GradeBand("conditional", "有条件合格", "Conditional", 60, 75, "#bf8700", conditional),
        GradeBand("unqualified", "不合格", "Unqualified", 0, 60, "#cf222e", unqualified),
    )


# Periodic evaluation: excellent/qualified supplier certificates, corrective action, suspension.
DEFAULT_BANDS = _bands("excellent_certificate", "qualified_certificate", "corrective_action", "suspend")
# Admission review: the same grades, read as admission decisions.
ADMISSION_BANDS = _bands("priority_admission", "admission", "conditional_admission", "reject")


def _red_lines(*, years: int, require_signed: bool) -> tuple[RedLine, ...]:
    return (
        RedLine(
            "dishonest_list",
            DISHONEST_LIST,
            {},
            True,
            "严重违法失信名单",
            "National dishonest-enterprise list",
        ),
        RedLine(
            "principal_bribery",
            PRINCIPAL_BRIBERY,
            {},
            True,
            "负责人行贿犯罪记录",
            "Bribery conviction of principal",
        ),
        RedLine("blacklisted", BLACKLISTED, {}, True, "供应商黑名单", "Blacklist"),
        RedLine("missing_licence", MISSING_LICENCE, {}, False, "必备许可证", "Required licences"),
        RedLine(
            "integrity_pledge",
            PLEDGE_REFUSED,
            {"pledge_kind": "integrity", "require_signed": require_signed},
            True,
            "廉洁承诺书",
            "Integrity pledge",
        ),
        RedLine(
            "critical_incident",
            CRITICAL_INCIDENT,
            {"years": years, "categories": ESG_INCIDENT_CATEGORIES},
            True,
            "特别重大环境、劳工、安全或商业道德事件",
            "Critical environmental, labour, safety or ethics incident",
        ),
    )


ADMISSION_SCHEME = Scheme(
    code="admission.default",
    kind="admission",
    version=1,
    name_zh="供应商准入评审（默认）",
    name_en="Supplier admission review (default)",
    dimensions=(
        Dimension(
            "qualifications",
            "资质与生产认证",
            "Qualifications and certifications",
            15,
            (
                _certificate(
                    "iso9001",
                    "ISO 9001 质量管理体系认证",
                    "ISO 9001 quality management certificate",
                    40,
                    "iso9001",
                ),
                _manual(
                    "qualification_scope",
                    "资质与生产许可覆盖范围",
                    "Scope of qualifications and licences",
                    60,
                    (
                        "营业执照、生产许可及行业资质齐全，完全覆盖申请品类，证照与现场一致",
                        "资质齐全，个别资质的范围或等级略有不足",
                        "资质基本满足，需补充部分证明材料",
                        "资质缺失或与申请品类不符",
                    ),
                    (
                        "business licence, production licences and trade qualifications complete, "
                        "covering every category applied for and matching the site",
                        "complete, with minor gaps in the scope or grade of one qualification",
                        "broadly sufficient; some supporting documents must be supplied",
                        "qualifications missing or not matching the categories applied for",
                    ),
                ),
            ),
        ),
        Dimension(
            "production_capacity",
            "生产能力",
            "Production capacity",
            15,
            (
                _manual(
                    "capacity",
                    "产能与设备",
                    "Capacity and equipment",
                    60,
                    (
                        "产能和关键设备充足，可满足需求并有余量，设备维护记录完整",
                        "产能满足需求，关键设备状态良好",
                        "产能勉强满足，需依赖外协或加班",
                        "产能或关键设备不足以满足需求",
                    ),
                    (
                        "capacity and key equipment comfortably exceed demand; maintenance records complete",
                        "capacity meets demand; key equipment in good condition",
                        "capacity barely meets demand; relies on outsourcing or overtime",
                        "capacity or key equipment insufficient for demand",
                    ),
                ),
                _manual(
                    "process_capability",
                    "工艺与技术能力",
                    "Process and technical capability",
                    40,
                    (
                        "工艺成熟、文件化，具备研发与持续改进能力",
                        "工艺稳定，技术人员配置合理",
                        "工艺基本可控，技术力量薄弱",
                        "工艺不稳定或缺乏必要技术人员",
                    ),
                    (
                        "mature, documented processes with development and continuous improvement",
                        "stable processes, adequately staffed with technicians",
                        "processes broadly under control; thin technical staff",
                        "unstable processes or missing essential technical staff",
                    ),
                ),
            ),
        ),
        Dimension(
            "product_quality",
            "产品质量",
            "Product quality",
            20,
            (
                _manual(
                    "quality_control",
                    "质量管理与检测能力",
                    "Quality control and testing",
                    40,
                    (
                        "质量体系有效运行，检测设备齐全，出厂检验全覆盖且可追溯",
                        "质量体系运行良好，关键项目有检测手段",
                        "质量控制基本到位，部分检测依赖外部",
                        "缺少有效的质量控制或检测手段",
                    ),
                    (
                        "quality system effective; full testing equipment; "
                        "every shipment inspected and traceable",
                        "quality system works well; key characteristics tested",
                        "basic quality control; some testing outsourced",
                        "no effective quality control or testing",
                    ),
                ),
                _manual(
                    "trial_supply",
                    "样品与少量试用结果",
                    "Samples and trial supply",
                    60,
                    (
                        "样品及少量试用全部合格，性能稳定",
                        "试用合格，仅有轻微问题且已关闭",
                        "试用出现问题，整改后基本合格",
                        "试用不合格或未完成试用",
                    ),
                    (
                        "samples and trial supply fully conforming, stable performance",
                        "trial supply conforming; minor issues closed",
                        "issues in trial supply, broadly conforming after correction",
                        "trial supply nonconforming or not completed",
                    ),
                ),
            ),
        ),
        Dimension(
            "safe_production",
            "安全生产",
            "Safe production",
            15,
            (
                _certificate(
                    "iso45001",
                    "ISO 45001 职业健康安全管理体系认证",
                    "ISO 45001 occupational health and safety certificate",
                    30,
                    "iso45001",
                ),
                _no_incident(
                    "no_major_safety_incident",
                    "近三年无重大安全事故",
                    "No major safety incident in 3 years",
                    40,
                    3,
                    "safety",
                ),
                _manual(
                    "safety_management",
                    "安全生产管理",
                    "Safety management",
                    30,
                    (
                        "安全责任制健全，隐患排查闭环，培训和应急演练记录完整",
                        "安全制度健全，现场管理良好",
                        "安全制度基本具备，现场存在一般隐患",
                        "安全管理缺失或存在重大隐患",
                    ),
                    (
                        "clear safety responsibilities, hazards closed out, "
                        "complete training and drill records",
                        "sound safety rules, well-kept site",
                        "basic safety rules; ordinary hazards on site",
                        "no safety management or serious hazards",
                    ),
                ),
            ),
        ),
        Dimension(
            "environmental_management",
            "环境管理",
            "Environmental management",
            10,
            (
                _certificate(
                    "iso14001",
                    "ISO 14001 环境管理体系认证",
                    "ISO 14001 environmental management certificate",
                    30,
                    "iso14001",
                ),
                _no_incident(
                    "no_major_environmental_incident",
                    "近三年无重大环境事件",
                    "No major environmental incident in 3 years",
                    40,
                    3,
                    "environmental",
                ),
                _manual(
                    "environmental_compliance",
                    "环保资质与污染防治",
                    "Environmental permits and pollution control",
                    30,
                    (
                        "排污许可等环保资质齐全有效，污染治理设施运行良好，监测达标",
                        "环保资质齐全，治理设施正常运行",
                        "环保资质基本具备，个别项目需整改",
                        "缺少环保资质或存在超标排放",
                    ),
                    (
                        "discharge permits and environmental qualifications valid, treatment working, "
                        "monitoring within limits",
                        "qualifications complete, treatment facilities running",
                        "broadly compliant; individual items need correction",
                        "missing environmental qualifications or emissions over limits",
                    ),
                ),
            ),
        ),
        Dimension(
            "business_ethics",
            "商业道德与诚信",
            "Business ethics and integrity",
            10,
            (
                _pledge("integrity_pledge", "签署廉洁承诺书", "Integrity pledge signed", 40, "integrity"),
                _pledge(
                    "code_of_conduct",
                    "签署供应商行为准则",
                    "Supplier code of conduct signed",
                    20,
                    "code_of_conduct",
                ),
                _no_incident(
                    "no_major_ethics_labour_incident",
                    "近三年无重大商业道德或劳工事件",
                    "No major ethics or labour incident in 3 years",
                    40,
                    3,
                    "ethics",
                    "labour",
                ),
            ),
        ),
        Dimension(
            "delivery_after_sales",
            "交付与售后服务",
            "Delivery and after-sales service",
            15,
            (
                _manual(
                    "delivery_capability",
                    "交付能力",
                    "Delivery capability",
                    50,
                    (
                        "交期承诺明确，物流与库存保障充分，可应急供货",
                        "能按期交付，物流安排合理",
                        "交付能力一般，偶有延误风险",
                        "无法保证交期",
                    ),
                    (
                        "firm lead times, sufficient logistics and stock, can supply urgently",
                        "delivers on time with sound logistics",
                        "average delivery capability, occasional risk of delay",
                        "cannot guarantee lead times",
                    ),
                ),
                _manual(
                    "after_sales",
                    "售后服务",
                    "After-sales service",
                    50,
                    (
                        "服务网络完善，响应及时，质量问题闭环处理",
                        "响应及时，问题处理有效",
                        "响应较慢，问题处理需督促",
                        "无售后保障或拒不处理问题",
                    ),
                    (
                        "complete service network, prompt response, quality issues closed out",
                        "prompt response, issues handled effectively",
                        "slow response, issues need chasing",
                        "no after-sales cover or issues refused",
                    ),
                ),
            ),
        ),
    ),
    bands=ADMISSION_BANDS,
    red_lines=_red_lines(years=3, require_signed=True),
)


PERIODIC_SCHEME = Scheme(
    code="periodic.default",
    kind="periodic",
    version=1,
    name_zh="供应商年度考核（默认）",
    name_en="Supplier periodic evaluation (default)",
    dimensions=(
        Dimension(
            "product_quality",
            "产品质量",
            "Product quality",
            30,
            (
                _rate(
                    "quality_acceptance",
                    "来料检验与质量问题",
                    "Incoming inspection and quality issues",
                    70,
                    ACCEPTANCE_RATE,
                    99.5,
                    90,
                    (
                        "批次合格率 ≥ 99.5%，无质量投诉",
                        "批次合格率 ≥ 98%，质量问题及时关闭",
                        "批次合格率 ≥ 95%，有重复性质量问题",
                        "批次合格率 < 95% 或发生批量质量问题",
                    ),
                    (
                        "lot acceptance ≥ 99.5 %, no quality complaints",
                        "lot acceptance ≥ 98 %, issues closed promptly",
                        "lot acceptance ≥ 95 %, recurring issues",
                        "lot acceptance < 95 % or a batch quality failure",
                    ),
                ),
                _no_incident(
                    "no_major_quality_incident",
                    "本年度无重大质量事故",
                    "No major quality incident in the year",
                    30,
                    1,
                    "quality",
                ),
            ),
        ),
        Dimension(
            "delivery_performance",
            "交付绩效",
            "Delivery performance",
            20,
            (
                _rate(
                    "on_time_delivery",
                    "准时交付",
                    "On-time delivery",
                    100,
                    ON_TIME_DELIVERY_RATE,
                    98,
                    80,
                    (
                        "准时交付率 ≥ 98%，数量准确",
                        "准时交付率 ≥ 95%",
                        "准时交付率 ≥ 90%",
                        "准时交付率 < 90% 或影响生产",
                    ),
                    (
                        "on-time delivery ≥ 98 %, quantities exact",
                        "on-time delivery ≥ 95 %",
                        "on-time delivery ≥ 90 %",
                        "on-time delivery < 90 % or production disrupted",
                    ),
                ),
            ),
        ),
        Dimension(
            "price_level",
            "价格水平",
            "Price level",
            15,
            (
                _manual(
                    "price_competitiveness",
                    "价格竞争力",
                    "Price competitiveness",
                    100,
                    (
                        "价格低于市场同类水平，主动降本",
                        "价格与市场水平相当",
                        "价格略高于市场水平",
                        "价格明显偏高或随意调价",
                    ),
                    (
                        "below market for comparable goods, proposes cost reductions",
                        "in line with the market",
                        "slightly above the market",
                        "clearly above the market or arbitrary price changes",
                    ),
                ),
            ),
        ),
        Dimension(
            "service_quality",
            "服务质量",
            "Service quality",
            10,
            (
                _manual(
                    "service_responsiveness",
                    "服务响应",
                    "Service responsiveness",
                    100,
                    (
                        "24 小时内响应，问题闭环并主动改进",
                        "响应及时，问题有效解决",
                        "响应较慢，需多次督促",
                        "不响应或拒不解决问题",
                    ),
                    (
                        "responds within 24 h, closes issues and improves on its own initiative",
                        "prompt response, issues resolved",
                        "slow response, repeated chasing needed",
                        "no response or issues refused",
                    ),
                ),
            ),
        ),
        Dimension(
            "contract_performance",
            "合同履约",
            "Contract performance",
            10,
            (
                _manual(
                    "contract_compliance",
                    "合同履约情况",
                    "Contract compliance",
                    100,
                    (
                        "全面履约，单据与结算规范",
                        "履约良好，偶有轻微偏差",
                        "存在违约情形，经协商解决",
                        "严重违约或发生合同纠纷",
                    ),
                    (
                        "fully performed, documents and invoicing correct",
                        "performed well, occasional minor deviations",
                        "breaches settled by negotiation",
                        "serious breach or contract dispute",
                    ),
                ),
            ),
        ),
        Dimension(
            "esg_performance",
            "ESG 表现",
            "ESG performance",
            15,
            (
                _no_incident(
                    "no_major_environmental_incident",
                    "本年度无重大环境事件",
                    "No major environmental incident in the year",
                    15,
                    1,
                    "environmental",
                ),
                _no_incident(
                    "no_major_safety_incident",
                    "本年度无重大安全事故",
                    "No major safety incident in the year",
                    15,
                    1,
                    "safety",
                ),
                _no_incident(
                    "no_major_labour_incident",
                    "本年度无重大劳工事件",
                    "No major labour incident in the year",
                    15,
                    1,
                    "labour",
                ),
                _pledge("integrity_pledge", "廉洁承诺书有效", "Integrity pledge in force", 15, "integrity"),
                Criterion(
                    key="esg_training",
                    name_zh="近 12 个月 ESG 培训不少于 8 小时",
                    name_en="ESG training of at least 8 h in the last 12 months",
                    kind=TRAINING_HOURS,
                    weight=15,
                    params={"hours": 8},
                ),
                # Issue 5: the reviewed self-assessment feeds the ESG score (0 until a review is accepted).
                Criterion(
                    key="saq_environment",
                    name_zh="自评问卷：环境（经审核）",
                    name_en="Self-assessment: environment (reviewed)",
                    kind=SAQ_THEME,
                    weight=12.5,
                    params={"theme": "environment"},
                ),
                Criterion(
                    key="saq_labour",
                    name_zh="自评问卷：劳工与人权（经审核）",
                    name_en="Self-assessment: labour and human rights (reviewed)",
                    kind=SAQ_THEME,
                    weight=12.5,
                    params={"theme": "labour_human_rights"},
                ),
            ),
        ),
    ),
    bands=DEFAULT_BANDS,
    red_lines=_red_lines(years=1, require_signed=False),
)

DEFAULT_SCHEMES: dict[str, Scheme] = {"admission": ADMISSION_SCHEME, "periodic": PERIODIC_SCHEME}
