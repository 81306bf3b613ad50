"""Demo audits: a site-audit checklist and two held audits, each with a major finding (issue 11, part 3).

One social finding is a potential impact whose corrective action is still open (the audit stays held, the
"no open major finding" rule fails, GRI 414-2 b counts it); one environmental finding was corrected and
verified, and its audit is closed.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import (
    Audit,
    AuditFinding,
    ChecklistItem,
    ChecklistTemplate,
    Supplier,
    SupplierRelationship,
)
from supplychain.services.risk import audits

ITEMS = (
    "营业执照、生产许可证及 ISO 体系证书在有效期内",
    "危险废物分类贮存，转移联单齐全",
    "废水、废气排放有在线监测或第三方检测报告",
    "特种作业人员持证上岗",
    "消防通道畅通，灭火器在有效期内",
    "劳动合同签订率 100%，无童工及强迫劳动",
    "工时与加班记录完整，加班符合法规",
    "宿舍及食堂符合安全卫生要求",
)
# (kind, days before today held, answers per item, finding (severity, dimension, impact, text), verified?)
AUDITS = (
    ("periodic", 45, ("pass", "pass", "pass", "pass", "fail", "pass", "fail", "fail"),
     ("major", "social", "potential",
      "员工宿舍私拉电线，消防通道堆放杂物，存在群死群伤隐患；部分员工月加班超过 36 小时。"),
     False),
    ("unannounced", 200, ("pass", "fail", "fail", "pass", "pass", "pass", "pass", "na"),
     ("major", "environmental", "actual", "危险废物（废乳化液）露天堆放，雨水收集池有渗漏，已对土壤造成污染。"),
     True),
)


def load(session: Session, today: date) -> None:
    """Add the checklist and the demo audits once (nothing when a checklist exists)."""
    if session.scalar(select(ChecklistTemplate.id).limit(1)) is not None:
        return
    template = ChecklistTemplate(code="site-audit", version=1, name_zh="供应商现场审核检查表",
                                 name_en="Supplier site audit checklist",
                                 note="环境、职业健康安全与劳工现场审核（实地考察）")
    template.items = [ChecklistItem(position=i, text=text) for i, text in enumerate(ITEMS)]
    session.add(template)
    session.flush()
    earliest = today - timedelta(days=400)
    candidates = session.execute(scope.unscoped(
        select(Supplier, SupplierRelationship.organisation_id)
        .join(SupplierRelationship, SupplierRelationship.supplier_id == Supplier.id)
        .where(Supplier.status.in_(("qualified", "conditional")), Supplier.registered_on <= earliest)
        .order_by(Supplier.id))).all()
    chosen: dict[int, tuple[Supplier, int]] = {}
    for supplier, organisation_id in candidates:
        chosen.setdefault(supplier.id, (supplier, organisation_id))
    ordered = list(chosen.values())
    # Not the first suppliers (the portal account's and those with demo incidents), when there are enough.
    picked = ordered[7:9] if len(ordered) >= 9 else ordered[:2]
    policy = audits.ActionPolicy()
    for (supplier, organisation_id), (kind, days, answers, finding_data, verified) in zip(
            picked, AUDITS, strict=False):
        held_on = today - timedelta(days=days)
        audit = Audit(supplier_id=supplier.id, organisation_id=organisation_id, kind=kind, planned_on=held_on,
                      actual_on=held_on, auditors="供应链管理部 张工；安全环保部 李工", template_id=template.id,
                      status="held", summary="按年度审核计划实施的现场审核。")
        audit.results = {str(item.id): answer for item, answer in zip(template.items, answers, strict=True)}
        audit.score = audits.checklist_score(template.items, audit.results)
        session.add(audit)
        session.flush()
        severity, dimension, impact, text = finding_data
        finding = AuditFinding(audit_id=audit.id, supplier_id=supplier.id, organisation_id=organisation_id,
                               severity=severity, dimension=dimension, impact=impact, description=text)
        session.add(finding)
        session.flush()
        action = audits.open_action(session, audit, finding, policy, None, held_on)
        finding.corrective_action_id = action.id
        if verified:
            action.status, action.submitted_on = "verified", held_on + timedelta(days=20)
            action.submission_note = "已建设危废暂存间并完成渗漏修复，附第三方土壤检测报告。"
            action.verification_note = "现场复核：危废规范贮存，检测合格。"
            action.verified_on = held_on + timedelta(days=30)
            audit.status, audit.closed_on = "closed", held_on + timedelta(days=31)
    session.flush()
