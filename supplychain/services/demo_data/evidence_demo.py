"""Deterministic demo evidence: pledge templates in Chinese and English, pledges, certificates (some
expiring or expired), training, incidents with corrective actions and a blacklist entry."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import credit_code
from supplychain.models import (
    BlacklistEntry,
    Certification,
    CorrectiveAction,
    Incident,
    IntegrityPledge,
    PledgeTemplate,
    Supplier,
    TrainingAttendance,
    TrainingSession,
)
from supplychain.services.evidence import pledges, requirements

TEMPLATES = {
    "integrity": (
        "廉洁承诺书", "Integrity Pledge",
        "本公司承诺在与贵集团的一切业务往来中恪守廉洁原则，"
        "不向贵集团员工及其亲属提供任何形式的财物、宴请或其他不正当利益。\n"
        "如有违反，本公司愿意承担合同解除、列入黑名单等全部责任。",
        "We undertake to act with integrity in all dealings with the Group and not to offer its staff "
        "or their relatives money, gifts, hospitality or any other improper benefit.\n"
        "Any breach entitles the Group to terminate the contract and blacklist us."),
    "clean_government": (
        "廉政责任书", "Clean-Government Responsibility Letter",
        "双方共同遵守国家廉政建设的各项规定，不得以任何名义索取或收受对方财物。",
        "Both parties observe the national rules on clean government and neither asks for nor "
        "accepts anything of value from the other under any pretext."),
    "anti_bribery": (
        "反商业贿赂承诺书", "Anti-Commercial-Bribery Pledge",
        "本公司不以回扣、佣金、咨询费等任何形式进行商业贿赂，并建立内部反贿赂制度。",
        "We do not engage in commercial bribery in any form, including kickbacks, commissions or "
        "consulting fees, and maintain an internal anti-bribery policy."),
    "code_of_conduct": (
        "供应商行为准则", "Supplier Code of Conduct",
        "本公司遵守劳工权益、职业健康安全、环境保护和商业道德方面的法律法规及本准则。",
        "We comply with the law and this code on labour rights, occupational health and safety, "
        "environmental protection and business ethics."),
    "wage_guarantee": (
        "保障农民工工资支付协议", "Migrant-Worker Wage Payment Guarantee",
        "本公司保证按时足额支付农民工工资，设立工资专用账户，不拖欠、不克扣。",
        "We guarantee to pay migrant workers in full and on time through a dedicated wage account, "
        "without arrears or deductions."),
}
ISSUERS = ("中国质量认证中心", "方圆标志认证集团有限公司", "北京世标认证中心有限公司", "华夏认证中心有限公司")
AUTHORITIES = {"production_licence": "重庆市市场监督管理局",
               "safety_production_licence": "重庆市住房和城乡建设委员会",
               "pollutant_permit": "重庆市生态环境局"}
TRAININGS = (
    ("供应商ESG与社会责任培训", "esg", 3.0, "online"),
    ("安全生产标准化培训", "safety", 4.0, "onsite"),
    ("环境保护与污染防治培训", "environment", 2.5, "onsite"),
    ("廉洁合规与反商业贿赂培训", "anti_corruption", 2.0, "online"),
    ("劳工权益与职业健康培训", "labour_rights", 3.0, "onsite"),
    ("供应商质量管理培训", "quality", 6.0, "onsite"),
    ("供应商ESG信息披露培训", "esg", 2.0, "online"),
    ("有限空间作业安全培训", "safety", 3.5, "onsite"),
)
ACTIVE = requirements.ACTIVE_STATUSES


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _templates(session: Session, today: date) -> dict[str, list[PledgeTemplate]]:
    existing = pledges.list_templates(session)
    if existing:
        found: dict[str, list[PledgeTemplate]] = {}
        for template in existing:
            found.setdefault(template.kind, []).append(template)
        return found
    result: dict[str, list[PledgeTemplate]] = {}
    for kind, (title_zh, title_en, text_zh, text_en) in TEMPLATES.items():
        first = PledgeTemplate(kind=kind, version=1, title_zh=title_zh, title_en=title_en, text_zh=text_zh,
                               text_en=text_en, effective_on=today - timedelta(days=4 * 365))
        session.add(first)
        result[kind] = [first]
    # A second version of the integrity pledge, in effect for half a year: older signatures keep version 1.
    second = PledgeTemplate(kind="integrity", version=2, title_zh="廉洁承诺书（2版）",
                            title_en="Integrity Pledge (v2)",
                            text_zh=TEMPLATES["integrity"][2] + "\n本公司同意接受贵集团的廉洁合规审计。",
                            text_en=TEMPLATES["integrity"][3] + "\nWe accept integrity audits by the Group.",
                            effective_on=today - timedelta(days=180))
    session.add(second)
    result["integrity"].append(second)
    session.flush()
    return result


def _sign(session: Session, supplier: Supplier, kind: str, signed_on: date, templates,
          signatory: str) -> None:
    template = max((t for t in templates[kind] if t.effective_on <= signed_on), key=lambda t: t.version)
    session.add(IntegrityPledge(
        supplier_id=supplier.id, kind=kind, template_id=template.id, signatory_name=signatory,
        signatory_title="总经理", signed_on=signed_on, valid_until=signed_on + timedelta(days=3 * 365),
        method="paper", text_sha256=pledges.template_digest(template)))


def _certificate(session: Session, rng: random.Random, supplier: Supplier, cert_type: str,
                 issued_on: date, expires_on: date, verified: bool) -> Certification:
    prefix = {"production_licence": "XK", "safety_production_licence": "(渝)JZ安许证字",
              "pollutant_permit": "91500000"}.get(cert_type, "CQC")
    cert = Certification(
        supplier_id=supplier.id, cert_type=cert_type, number=f"{prefix}{rng.randint(10**7, 10**8 - 1)}",
        issuer=AUTHORITIES.get(cert_type) or rng.choice(ISSUERS),
        scope="设计、生产和服务" if cert_type.startswith("iso") else None,
        issued_on=issued_on, expires_on=expires_on,
        verified_on=issued_on + timedelta(days=rng.randint(3, 30)) if verified else None,
        verification_method="cnca_register" if verified else None)
    session.add(cert)
    return cert


def load(session: Session, seed: int, today: date, featured: Supplier | None = None) -> None:
    """Add demo evidence to the demo suppliers; the featured one (the portal account's) gets the full set."""
    if session.scalar(select(TrainingSession.id).limit(1)) is not None:
        return  # loaded before: demo data is added once
    rng = random.Random(f"evidence-{seed}")
    requirements.ensure_defaults(session)
    templates = _templates(session, today)
    mapping = requirements.requirement_map(session)
    stmt = select(Supplier).where(Supplier.status.in_(ACTIVE)).order_by(Supplier.id)
    suppliers = list(session.scalars(stmt))
    for supplier in suppliers:
        if supplier is featured:
            continue
        required = requirements.required_from([c.id for c in supplier.categories], mapping)
        signatory = (supplier.contacts[0].name if supplier.contacts else "张伟")
        for kind in required.pledges:
            if rng.random() < 0.88:
                _sign(session, supplier, kind, _day_between(rng, supplier.registered_on, today), templates,
                      signatory)
        for cert_type in required.certificates:
            if rng.random() < 0.85:
                issued = today - timedelta(days=rng.randint(30, 3 * 365 + 90))
                _certificate(session, rng, supplier, cert_type, issued, issued + timedelta(days=3 * 365),
                             rng.random() < 0.75)
    sessions = []
    for index, (title, topic, hours, mode) in enumerate(TRAININGS):
        held_on = today - timedelta(days=20 + index * 45 + rng.randint(0, 20))
        training = TrainingSession(title=title, topic=topic, held_on=held_on, hours=hours, mode=mode,
                                   organiser="供应链管理部")
        session.add(training)
        sessions.append(training)
        for supplier in rng.sample(suppliers, min(len(suppliers), rng.randint(8, 25))):
            if supplier is not featured:
                session.add(TrainingAttendance(session=training, supplier_id=supplier.id,
                                               head_count=rng.randint(1, 6), completed=rng.random() < 0.95))
    session.flush()
    others = [s for s in suppliers if s is not featured]
    for supplier, category, severity in zip(others[3:6], ("safety", "quality", "labour"),
                                            ("minor", "major", "major"), strict=False):
        occurred = today - timedelta(days=rng.randint(60, 300))
        incident = Incident(supplier_id=supplier.id, category=category, severity=severity,
                            occurred_on=occurred, description="现场检查发现问题，已要求限期整改。",
                            source="现场审核", status="open")
        session.add(incident)
        session.flush()
        # One of them is overdue: its deadline passed without a verified correction.
        owner = supplier.contacts[0].name if supplier.contacts else "供应商负责人"
        session.add(CorrectiveAction(supplier_id=supplier.id, incident_id=incident.id,
                                     action="提交整改报告及现场照片", owner=owner,
                                     due_on=occurred + timedelta(days=30 if category == "quality" else 400),
                                     status="open"))
    session.add(BlacklistEntry(
        credit_code=credit_code.generate(rng, "500100"), company_name="重庆某某建筑劳务有限公司",
        reason="bribery", note="向项目人员行贿，经招标监督委员会认定。", decided_by="招标监督委员会",
        since_on=today - timedelta(days=400), social_noncompliance=True))
    if featured is not None:
        _featured(session, rng, featured, templates, sessions, today)
    session.flush()


def _featured(session: Session, rng: random.Random, supplier: Supplier, templates, sessions,
              today: date) -> None:
    """All five pledges, three ISO certificates (one expiring, one expired), two trainings, an incident."""
    signatory = supplier.contacts[0].name if supplier.contacts else "王伟"
    for kind in TEMPLATES:
        _sign(session, supplier, kind, today - timedelta(days=rng.randint(10, 150)), templates, signatory)
    for cert_type, issued_days_ago, expires_in_days in (("iso9001", 400, 700), ("iso14001", 1060, 30),
                                                         ("iso45001", 1115, -20)):
        _certificate(session, rng, supplier, cert_type, today - timedelta(days=issued_days_ago),
                     today + timedelta(days=expires_in_days), True)
    for training in sessions[:2]:
        session.add(TrainingAttendance(session=training, supplier_id=supplier.id, head_count=3,
                                       names="王伟\n李娜\n张强", completed=True))
    incident = Incident(supplier_id=supplier.id, category="environmental", severity="major",
                        occurred_on=today - timedelta(days=25),
                        description="废水排放口COD超标，被区生态环境局通报。",
                        source="重庆市生态环境局通报", status="open")
    session.add(incident)
    session.flush()
    session.add(CorrectiveAction(supplier_id=supplier.id, incident_id=incident.id,
                                 action="整改污水处理设施，提交第三方检测报告", owner=signatory,
                                 due_on=today + timedelta(days=35), status="open"))
