"""Test data for audits and inspections: a checklist, an audit held at a supplier, a finding."""

from __future__ import annotations

from datetime import date

from supplychain.models import Audit, AuditFinding, ChecklistItem, ChecklistTemplate, Supplier


def gen_checklist(session, code: str = "site-visit", items: tuple[str, ...] = (
        "危险废物贮存场所符合要求", "特种作业人员持证上岗", "劳动合同签订率 100%")) -> ChecklistTemplate:
    """Version 1 of a checklist with a few items."""
    template = ChecklistTemplate(code=code, version=1, name_zh="现场审核检查表", name_en="Site audit checklist")
    template.items = [ChecklistItem(position=i, text=text) for i, text in enumerate(items)]
    session.add(template)
    session.flush()
    return template


def gen_audit(session, supplier: Supplier, held_on: date | None = date(2026, 3, 10), score: float | None = None,
              kind: str = "periodic", organisation_id: int | None = None,
              template: ChecklistTemplate | None = None) -> Audit:
    """An audit of the supplier, held on ``held_on`` (planned then when None is given)."""
    audit = Audit(supplier_id=supplier.id, organisation_id=organisation_id, kind=kind,
                  planned_on=held_on or date(2026, 9, 1), actual_on=held_on, auditors="张工, 李工",
                  template_id=template.id if template else None, results={}, score=score,
                  status="held" if held_on else "planned")
    session.add(audit)
    session.flush()
    return audit


def gen_finding(session, audit: Audit, severity: str = "major", dimension: str = "social",
                impact: str = "potential", action_id: int | None = None) -> AuditFinding:
    """A finding of the audit, optionally linked to a corrective action."""
    finding = AuditFinding(audit_id=audit.id, supplier_id=audit.supplier_id, organisation_id=audit.organisation_id,
                           severity=severity, dimension=dimension, impact=impact, description="消防通道堵塞",
                           corrective_action_id=action_id)
    session.add(finding)
    session.flush()
    return finding
