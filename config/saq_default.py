"""The default supplier self-assessment questionnaire (SAQ), in Chinese and English.

Loaded with the demo data (and by `flask saq load-default`) as version 1 of the questionnaire
"esg"; admins copy it to a new version and edit it in the UI. Six sections, the themes of the
scoring engine's saq_theme criteria. Points per answer; an answer marked with evidence needs a
supporting file (a certificate, a policy) before the questionnaire can be submitted.

Option tuples: (value, label_zh, label_en, points, evidence_required).
Number bands: [[minimum, points], ...]; the highest minimum not above the answer gives the points.
"""

from __future__ import annotations


def _yes_no(yes_points: float, no_points: float, evidence_on_yes: bool = False) -> list[tuple]:
    return [("yes", "是", "Yes", yes_points, evidence_on_yes), ("no", "否", "No", no_points, False)]


DEFAULT_QUESTIONNAIRE = {
    "code": "esg",
    "title_zh": "供应商 ESG 自评问卷",
    "title_en": "Supplier ESG self-assessment questionnaire",
    "intro_zh": ("请如实回答每个问题。标注需上传证明材料的答案，须附上证书、制度文件等扫描件"
                 "（PDF、PNG 或 JPEG）。可随时保存草稿，全部作答后提交，采购部门将逐题审核。"),
    "intro_en": ("Please answer every question truthfully. Answers marked as needing evidence require "
                 "a scan of the certificate or policy (PDF, PNG or JPEG). Save a draft at any time; "
                 "submit when everything is answered, and procurement will review each answer."),
    "questions": [
        # --- environment -------------------------------------------------------------------------------
        {"code": "ENV-01", "theme": "environment", "qtype": "yes_no",
         "text_zh": "贵公司是否持有有效的 ISO 14001 环境管理体系认证证书？",
         "text_en": "Does your company hold a valid ISO 14001 environmental management system certificate?",
         "help_zh": "回答“是”须上传证书。", "help_en": "A “yes” needs the certificate.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "ENV-02", "theme": "environment", "qtype": "yes_no",
         "text_zh": "近三年内，贵公司是否因环境违法行为受到行政处罚？",
         "text_en": "In the last three years, has your company received an administrative penalty for an "
                    "environmental violation?",
         "options": _yes_no(0, 10)},
        {"code": "ENV-03", "theme": "environment", "qtype": "multiple",
         "text_zh": "贵公司定期监测并记录以下哪些环境数据？",
         "text_en": "Which environmental data does your company measure and record regularly?",
         "options": [("energy", "能源消耗", "Energy consumption", 3, False),
                     ("water", "用水量", "Water use", 2, False),
                     ("ghg", "温室气体排放（范围一、二）", "Greenhouse gas emissions (scope 1 and 2)",
                      3, False),
                     ("waste", "废弃物（含危险废物）", "Waste, including hazardous waste", 2, False)]},
        {"code": "ENV-04", "theme": "environment", "qtype": "number", "unit": "%",
         "text_zh": "上一年度可再生能源占能源消耗总量的比例（%）",
         "text_en": "Share of renewable energy in your total energy use last year (%)",
         "number_bands": [[0, 0], [10, 3], [30, 6], [50, 10]]},
        {"code": "ENV-05", "theme": "environment", "qtype": "single",
         "text_zh": "贵公司是否设定了量化的环境目标（如节能、减排、节水）？",
         "text_en": "Has your company set quantified environmental targets (energy, emissions, water)?",
         "options": [("none", "没有", "No targets", 0, False),
                     ("some", "有部分目标", "Some targets", 5, False),
                     ("all", "有全面目标并定期公开进展", "Comprehensive targets with published progress",
                      10, True)]},
        # --- labour and human rights -------------------------------------------------------------------
        {"code": "LAB-01", "theme": "labour_human_rights", "qtype": "yes_no",
         "text_zh": "贵公司是否有书面制度禁止使用童工和强迫劳动？",
         "text_en": "Does your company have a written policy prohibiting child labour and forced labour?",
         "help_zh": "回答“是”须上传制度文件。", "help_en": "A “yes” needs the policy document.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "LAB-02", "theme": "labour_human_rights", "qtype": "yes_no",
         "text_zh": "是否与全部员工签订书面劳动合同，并按时足额支付工资和缴纳社会保险？",
         "text_en": "Do all employees have written labour contracts, with wages and social insurance "
                    "paid in full and on time?",
         "options": _yes_no(10, 0)},
        {"code": "LAB-03", "theme": "labour_human_rights", "qtype": "number", "unit": "h",
         "text_zh": "上一年度一线员工平均每周工作小时数（含加班）",
         "text_en": "Average weekly working hours of production workers last year, overtime included",
         "number_bands": [[0, 10], [49, 5], [61, 0]]},
        {"code": "LAB-04", "theme": "labour_human_rights", "qtype": "single",
         "text_zh": "员工有哪些申诉渠道？",
         "text_en": "What grievance channel do employees have?",
         "options": [("none", "没有正式渠道", "No formal channel", 0, False),
                     ("internal", "内部申诉渠道", "An internal channel", 5, False),
                     ("anonymous", "可匿名申诉并有跟踪处理记录",
                      "An anonymous channel with tracked follow-up", 10, False)]},
        {"code": "LAB-05", "theme": "labour_human_rights", "qtype": "text", "required": False, "points": 5,
         "text_zh": "请说明贵公司如何确保劳务派遣单位和分包商遵守劳动条件要求。",
         "text_en": "Describe how you make sure labour agencies and subcontractors respect working "
                    "conditions."},
        # --- health and safety -------------------------------------------------------------------------
        {"code": "HS-01", "theme": "health_safety", "qtype": "yes_no",
         "text_zh": "贵公司是否持有有效的 ISO 45001 职业健康安全管理体系认证证书？",
         "text_en": "Does your company hold a valid ISO 45001 occupational health and safety certificate?",
         "help_zh": "回答“是”须上传证书。", "help_en": "A “yes” needs the certificate.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "HS-02", "theme": "health_safety", "qtype": "number", "unit": "",
         "text_zh": "上一年度发生的损工事故起数",
         "text_en": "Number of lost-time injuries last year",
         "number_bands": [[0, 10], [1, 5], [3, 0]]},
        {"code": "HS-03", "theme": "health_safety", "qtype": "single",
         "text_zh": "贵公司是否持有有效的安全生产许可证？",
         "text_en": "Does your company hold a valid safety production licence?",
         "options": [("yes", "是", "Yes", 10, True),
                     ("not_required", "本行业不要求", "Not required in our industry", 10, False),
                     ("no", "否", "No", 0, False)]},
        {"code": "HS-04", "theme": "health_safety", "qtype": "multiple",
         "text_zh": "贵公司落实了以下哪些安全措施？",
         "text_en": "Which safety measures are in place?",
         "options": [("risk", "岗位风险辨识与评估", "Job hazard identification and risk assessment",
                      3, False),
                     ("drills", "每年应急演练", "Yearly emergency drills", 3, False),
                     ("ppe", "免费配发劳动防护用品", "Personal protective equipment provided free", 2, False),
                     ("health", "职业健康检查", "Occupational health examinations", 2, False)]},
        # --- business ethics ---------------------------------------------------------------------------
        {"code": "ETH-01", "theme": "business_ethics", "qtype": "yes_no",
         "text_zh": "贵公司是否制定反腐败、反商业贿赂制度并传达至全体员工？",
         "text_en": "Does your company have an anti-corruption and anti-bribery policy communicated "
                    "to all staff?",
         "help_zh": "回答“是”须上传制度文件。", "help_en": "A “yes” needs the policy document.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "ETH-02", "theme": "business_ethics", "qtype": "yes_no",
         "text_zh": "近五年内，贵公司或其负责人是否因行贿受到调查或被定罪？",
         "text_en": "In the last five years, has your company or its principal been investigated or "
                    "convicted for bribery?",
         "options": _yes_no(0, 10)},
        {"code": "ETH-03", "theme": "business_ethics", "qtype": "single",
         "text_zh": "贵公司是否设有举报渠道？",
         "text_en": "Does your company have a whistle-blowing channel?",
         "options": [("none", "没有", "No", 0, False),
                     ("internal", "有内部举报渠道", "An internal channel", 5, False),
                     ("independent", "有独立、可匿名的举报渠道并保护举报人",
                      "An independent, anonymous channel protecting whistle-blowers", 10, False)]},
        {"code": "ETH-04", "theme": "business_ethics", "qtype": "yes_no",
         "text_zh": "贵公司是否有保护客户信息和商业秘密的制度？",
         "text_en": "Does your company have a policy protecting customer information and trade secrets?",
         "options": _yes_no(5, 0)},
        # --- management systems ------------------------------------------------------------------------
        {"code": "MS-01", "theme": "management_systems", "qtype": "yes_no",
         "text_zh": "贵公司是否持有有效的 ISO 9001 质量管理体系认证证书？",
         "text_en": "Does your company hold a valid ISO 9001 quality management certificate?",
         "help_zh": "回答“是”须上传证书。", "help_en": "A “yes” needs the certificate.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "MS-02", "theme": "management_systems", "qtype": "single",
         "text_zh": "谁负责贵公司的 ESG（环境、社会和治理）工作？",
         "text_en": "Who is responsible for ESG (environmental, social and governance) matters?",
         "options": [("nobody", "未指定", "Nobody in particular", 0, False),
                     ("part_time", "兼职人员", "A part-time role", 5, False),
                     ("dedicated", "专职人员并由高管负责", "A dedicated role reporting to senior management",
                      10, False)]},
        {"code": "MS-03", "theme": "management_systems", "qtype": "yes_no",
         "text_zh": "贵公司是否发布社会责任报告或 ESG 报告？",
         "text_en": "Does your company publish a social responsibility or ESG report?",
         "help_zh": "回答“是”须上传最近一期报告。", "help_en": "A “yes” needs the latest report.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "MS-04", "theme": "management_systems", "qtype": "file", "required": False, "points": 5,
         "text_zh": "如有，请上传贵公司的 ESG 或社会责任方针文件。",
         "text_en": "If you have one, upload your ESG or social responsibility policy."},
        # --- sustainable procurement -------------------------------------------------------------------
        {"code": "SP-01", "theme": "sustainable_procurement", "qtype": "yes_no",
         "text_zh": "贵公司是否要求自己的供应商签署供应商行为准则？",
         "text_en": "Do you require your own suppliers to sign a supplier code of conduct?",
         "help_zh": "回答“是”须上传行为准则。", "help_en": "A “yes” needs the code of conduct.",
         "options": _yes_no(10, 0, evidence_on_yes=True)},
        {"code": "SP-02", "theme": "sustainable_procurement", "qtype": "number", "unit": "%",
         "text_zh": "上一年度按环境和社会标准评估过的主要供应商占比（%）",
         "text_en": "Share of your key suppliers assessed on environmental and social criteria last year (%)",
         "number_bands": [[0, 0], [25, 4], [50, 7], [80, 10]]},
        {"code": "SP-03", "theme": "sustainable_procurement", "qtype": "multiple",
         "text_zh": "选择供应商时，贵公司考虑以下哪些标准？",
         "text_en": "Which criteria do you apply when selecting your suppliers?",
         "options": [("environment", "环境表现", "Environmental performance", 3, False),
                     ("labour", "劳工权益", "Labour rights", 3, False),
                     ("safety", "安全生产", "Safe production", 2, False),
                     ("ethics", "商业道德", "Business ethics", 2, False)]},
        {"code": "SP-04", "theme": "sustainable_procurement", "qtype": "text", "required": False, "points": 5,
         "text_zh": "请说明贵公司如何优先采购环境友好型产品和服务。",
         "text_en": "Describe how you give preference to environmentally preferable products and services."},
    ],
}
